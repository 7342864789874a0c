import { parseIptablesSave, rulesIn, ruleOption, type IptablesRule } from "../parse/iptables-save.js";
import type { DoctorCheck, DoctorContext, Finding } from "../types.js";
import { bridgeName, bridgeNetworks, dockerBridges } from "./docker-bridges.js";

const DROPS = new Set(["DROP", "REJECT"]);

/** Rules that accept a bridge's outbound traffic: `-i br ! -o br -j ACCEPT` (or the DOCKER-FORWARD chain of newer engines). */
function acceptsOutbound(rules: IptablesRule[], bridge: string): boolean {
  return rules.some((r) => {
    const i = ruleOption(r.spec, "-i");
    return i?.value === bridge && !i.negated && r.target === "ACCEPT";
  });
}

/** FORWARD policy vs Docker's accept rules, and drop rules in DOCKER-USER. */
export const forwardPolicyCheck: DoctorCheck = {
  id: "forward-policy",
  area: "firewall",
  title: "FORWARD chain and DOCKER-USER",
  async run(ctx) {
    const area = "firewall" as const;
    const res = await ctx.facts.exec(["iptables-save", "-t", "filter"]);
    if (res.exitCode !== 0) return [{ id: "firewall/forward-policy", area, status: "skip", title: "cannot read the filter table", evidence: [ctx.facts.evidence(res)] }];
    const t = parseIptablesSave(res.stdout);
    const policy = t.policies.filter?.FORWARD ?? "ACCEPT";
    const forward = rulesIn(t, "filter", "FORWARD");
    const bridges = await dockerBridges(ctx);
    const ev = { source: `iptables-save -t filter [${res.where}] → FORWARD`, value: [`:FORWARD ${policy}`, ...forward.map((r) => `-A FORWARD ${r.spec}`)].join("\n") };
    const out: Finding[] = [];
    let uncovered = bridges.filter((b) => !acceptsOutbound(forward, b) && !acceptsOutbound(rulesIn(t, "filter", "DOCKER-FORWARD"), b));
    if (uncovered.length) uncovered = await stillUncovered(ctx, uncovered);
    const blanketDrop = forward.find((r) => DROPS.has(r.target ?? "") && !/-[io]\s|-s\s|-d\s|-m\s/.test(r.spec));
    if (policy === "DROP" && uncovered.length > 0) {
      out.push({
        id: "firewall/forward-policy",
        area,
        status: "fail",
        title: `FORWARD policy DROP without Docker's accept rules for ${uncovered.join(", ")}: containers cannot reach anything outside their bridge`,
        evidence: [ev],
        fix: "another firewall manager (firewalld reload, ufw, libvirt, a flush) removed Docker's rules: restart dockerd (`systemctl restart docker`) to re-create them, and configure that manager to leave FORWARD to Docker",
        fixAction: {
          describe: `insert ACCEPT rules in FORWARD for ${uncovered.join(", ")} (what dockerd adds)`,
          commands: uncovered.flatMap((b) => [
            ["iptables", "-I", "FORWARD", "-i", b, "!", "-o", b, "-j", "ACCEPT"],
            ["iptables", "-I", "FORWARD", "-o", b, "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED", "-j", "ACCEPT"],
          ]),
          undo: uncovered.flatMap((b) => [
            ["iptables", "-D", "FORWARD", "-i", b, "!", "-o", b, "-j", "ACCEPT"],
            ["iptables", "-D", "FORWARD", "-o", b, "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED", "-j", "ACCEPT"],
          ]),
        },
      });
    } else if (blanketDrop && forward.indexOf(blanketDrop) < forward.findIndex((r) => r.target === "DOCKER-USER" || r.target === "ACCEPT")) {
      out.push({
        id: "firewall/forward-policy",
        area,
        status: "fail",
        title: `FORWARD starts with an unconditional ${blanketDrop.target} before Docker's rules: \`-A FORWARD ${blanketDrop.spec}\``,
        evidence: [ev],
        fix: `remove it (\`iptables -D FORWARD ${blanketDrop.spec}\`) or move it after Docker's rules; put site policy in DOCKER-USER instead`,
      });
    } else {
      out.push({ id: "firewall/forward-policy", area, status: "ok", title: `FORWARD policy ${policy}; accept rules present for ${bridges.join(", ") || "no bridges"}`, evidence: [ev] });
    }
    const user = rulesIn(t, "filter", "DOCKER-USER");
    const drops = user.filter((r) => DROPS.has(r.target ?? ""));
    const ours = drops.filter((r) => /^netcheck:/.test(r.comment ?? ""));
    const foreign = drops.filter((r) => !ours.includes(r));
    const userEv = { source: `iptables-save -t filter [${res.where}] → DOCKER-USER`, value: user.map((r) => `-A DOCKER-USER ${r.spec}`).join("\n") || "(chain absent or empty)" };
    out.push({
      id: "firewall/docker-user",
      area,
      status: foreign.length ? "warn" : "ok",
      title: foreign.length
        ? `DOCKER-USER drops traffic before Docker's rules: ${foreign.map((r) => `\`${r.spec}\``).join("; ")}`
        : ours.length ? `DOCKER-USER holds only netcheck lab safety rules (${[...new Set(ours.map((r) => r.comment))].join(", ")}): expected while a run is live` : "DOCKER-USER drops nothing",
      evidence: [userEv],
      fix: foreign.length ? `if unintended: ${foreign.map((r) => `iptables -D DOCKER-USER ${r.spec}`).join("; ")}` : undefined,
    });
    return out;
  },
};

/**
 * A network being created or removed (a lab starting or tearing down) is briefly
 * listed without its rules: read both again a moment later, and count only what
 * is still missing then.
 */
async function stillUncovered(ctx: DoctorContext, bridges: string[]): Promise<string[]> {
  await new Promise((r) => setTimeout(r, 1500));
  const again = await ctx.host.exec(["iptables-save", "-t", "filter"], { signal: ctx.signal, timeoutMs: 4000 });
  if (again.exitCode !== 0) return bridges;
  const t = parseIptablesSave(again.stdout);
  const nets = ctx.engine ? await ctx.engine.listNetworks().catch(() => undefined) : undefined;
  const present = nets ? new Set(bridgeNetworks(nets).map(bridgeName)) : undefined;
  return bridges.filter((b) => (!present || present.has(b)) && !acceptsOutbound(rulesIn(t, "filter", "FORWARD"), b) && !acceptsOutbound(rulesIn(t, "filter", "DOCKER-FORWARD"), b));
}
