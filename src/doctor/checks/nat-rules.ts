import { daemonConfig } from "../daemon-config.js";
import { isLabNetwork } from "../ours.js";
import { parseIptablesSave, ruleOption, rulesIn } from "../parse/iptables-save.js";
import type { DoctorCheck, Finding } from "../types.js";
import { bridgeName, bridgeNetworks, subnetsOf } from "./docker-bridges.js";

/** A MASQUERADE rule per NAT-ed bridge subnet (published ports: published-ports.ts). */
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
    const cfg = await daemonConfig(ctx);
    // Docker writes no NAT rules with iptables or ip-masq off: a missing MASQUERADE is then the setting, said once by daemon-settings.
    const noMasq = !cfg.iptables ? '"iptables": false' : !cfg.ipMasq ? '"ip-masq": false' : undefined;
    if (noMasq) out.push({ id: "firewall/masquerade", area: "firewall", status: "skip", title: `MASQUERADE rules not checked: dockerd runs with ${noMasq}, so it writes none (see the engine findings)`, evidence: [...cfg.evidence, postEv] });
    for (const net of noMasq ? [] : bridgeNetworks(snap.networks)) {
      if (net.Internal || net.Options?.["com.docker.network.bridge.enable_ip_masquerade"] === "false") continue;
      const br = bridgeName(net);
      for (const subnet of subnetsOf(net)) {
        const found = post.some((r) => r.target === "MASQUERADE" && ruleOption(r.spec, "-s")?.value === subnet);
        // A lab network starting or tearing down (or built without NAT on purpose) is the run's business: its own checks prove its NAT.
        if (!found && isLabNetwork(net)) {
          out.push({ id: `firewall/masquerade/${net.Name}`, area: "firewall", status: "skip", title: `no MASQUERADE for netcheck lab network ${net.Name} (${subnet}): ours, not checked here`, evidence: [postEv] });
          continue;
        }
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
    if (out.length === 0) out.push({ id: "firewall/masquerade", area: "firewall", status: "ok", title: "no NAT-ed bridge networks to check", evidence: [postEv] });
    return out;
  },
};

