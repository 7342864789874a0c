import { parseIptablesSave, ruleOption, rulesIn } from "../parse/iptables-save.js";
import type { DoctorCheck, DoctorContext, Finding } from "../types.js";
import { bridgeName, bridgeNetworks, subnetsOf } from "./docker-bridges.js";

/** A MASQUERADE rule per bridge subnet, a DNAT rule per published port. */
export const natRulesCheck: DoctorCheck = {
  id: "nat-rules",
  area: "firewall",
  title: "NAT rules for networks and published ports",
  async run(ctx) {
    const snap = await ctx.facts.engineSnapshot();
    if (!snap) return [{ id: "firewall/masquerade", area: "firewall", status: "skip", title: "engine not reachable: cannot compare networks with NAT rules", evidence: [] }];
    const res = await ctx.facts.exec(["iptables-save", "-t", "nat"]);
    if (res.exitCode !== 0) return [{ id: "firewall/masquerade", area: "firewall", status: "skip", title: "cannot read the nat table", evidence: [ctx.facts.evidence(res)] }];
    const t = parseIptablesSave(res.stdout);
    const post = rulesIn(t, "nat", "POSTROUTING");
    const postEv = { source: `iptables-save -t nat [${res.where}] → POSTROUTING`, value: post.map((r) => `-A POSTROUTING ${r.spec}`).join("\n") || "(empty)" };
    const out: Finding[] = [];
    for (const net of bridgeNetworks(snap.networks)) {
      if (net.Internal || net.Options?.["com.docker.network.bridge.enable_ip_masquerade"] === "false") continue;
      const br = bridgeName(net);
      for (const subnet of subnetsOf(net)) {
        const found = post.some((r) => r.target === "MASQUERADE" && ruleOption(r.spec, "-s")?.value === subnet);
        const rule = ["-s", subnet, "!", "-o", br, "-j", "MASQUERADE"];
        out.push({
          id: `firewall/masquerade/${net.Name}`,
          area: "firewall",
          status: found ? "ok" : "fail",
          title: found ? `MASQUERADE present for ${net.Name} (${subnet})` : `no MASQUERADE rule for network ${net.Name} (${subnet}): its containers' traffic leaves with private source addresses and gets no replies`,
          evidence: [postEv],
          fix: found ? undefined : `restart dockerd to re-create its NAT rules, or: iptables -t nat -A POSTROUTING ${rule.join(" ")}`,
          fixAction: found ? undefined : { describe: `iptables -t nat -A POSTROUTING ${rule.join(" ")}`, commands: [["iptables", "-t", "nat", "-A", "POSTROUTING", ...rule]], undo: [["iptables", "-t", "nat", "-D", "POSTROUTING", ...rule]] },
        });
      }
    }
    const dockerChain = rulesIn(t, "nat", "DOCKER");
    const dnatEv = { source: `iptables-save -t nat [${res.where}] → DOCKER`, value: dockerChain.map((r) => `-A DOCKER ${r.spec}`).join("\n") || "(empty)" };
    for (const c of snap.containers) {
      if (c.State !== "running") continue;
      for (const p of c.Ports ?? []) {
        if (!p.PublicPort || (p.IP ?? "").includes(":")) continue;
        const name = (c.Names?.[0] ?? c.Id.slice(0, 12)).replace(/^\//, "");
        const found = dockerChain.some(
          (r) => r.target === "DNAT" && ruleOption(r.spec, "--dport")?.value === String(p.PublicPort) && ruleOption(r.spec, "-p")?.value === p.Type && (ruleOption(r.spec, "--to-destination")?.value ?? "").endsWith(`:${p.PrivatePort}`),
        );
        // Listed a moment before iptables-save: a container torn down since has lost its rule with good reason.
        if (!found && !(await stillRunning(ctx, c.Id))) continue;
        out.push({
          id: `ports/dnat/${name}/${p.PublicPort}-${p.Type}`,
          area: "ports",
          status: found ? "ok" : "fail",
          title: found ? `DNAT present for ${name} ${p.PublicPort}/${p.Type} → ${p.PrivatePort}` : `published port ${p.PublicPort}/${p.Type} of ${name} has no DNAT rule: it does not answer from other hosts`,
          evidence: [dnatEv, { source: `GET /containers/json → ${name}.Ports`, value: JSON.stringify(p) }],
          fix: found ? undefined : `restart the container (\`docker restart ${name}\`) so dockerd re-creates the rule; if it comes back missing, check that nothing flushes the nat table`,
        });
      }
    }
    if (out.length === 0) out.push({ id: "firewall/masquerade", area: "firewall", status: "ok", title: "no NAT-ed bridge networks or published ports to check", evidence: [postEv] });
    return out;
  },
};

async function stillRunning(ctx: DoctorContext, id: string): Promise<boolean> {
  const info = await ctx.engine?.inspectContainer(id).catch(() => undefined);
  return info?.State?.Running === true;
}
