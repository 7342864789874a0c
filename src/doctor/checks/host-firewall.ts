import { parseIptablesSave } from "../parse/iptables-save.js";
import { parseJsonArray, uplinkOf, type IpRoute } from "../parse/ip-json.js";
import { parsePs } from "../parse/ps.js";
import type { DoctorCheck, Finding, FindingEvidence } from "../types.js";

/**
 * ufw and firewalld filter INPUT; Docker DNATs published ports in PREROUTING and
 * forwards them, so a "deny" in ufw/firewalld never sees that traffic: a port
 * published on all addresses is open to whoever reaches the host. The fix is
 * DOCKER-USER (evaluated first for forwarded traffic) or binding to 127.0.0.1.
 */
export const hostFirewallCheck: DoctorCheck = {
  id: "host-firewall",
  area: "firewall",
  title: "ufw / firewalld vs published ports",
  async run(ctx) {
    const [filter, ps, nft, routes] = await Promise.all([
      ctx.facts.exec(["iptables-save", "-t", "filter"]),
      ctx.facts.exec(["ps", "-eo", "pid,args"]),
      ctx.facts.exec(["nft", "list", "tables"]),
      ctx.facts.exec(["ip", "-j", "route"]),
    ]);
    const ufwConf = await ctx.facts.readFile("/etc/ufw/ufw.conf");
    const chains = Object.keys(parseIptablesSave(filter.stdout).policies.filter ?? {});
    const ufwEnabled = /^\s*ENABLED\s*=\s*yes/m.test(ufwConf ?? "");
    const ufwChains = chains.filter((c) => c.startsWith("ufw-"));
    const ufw = ufwEnabled && ufwChains.length > 0;
    const firewalldProc = parsePs(ps.stdout).find((p) => /(^|[\s/])firewalld(\s|$)/.test(p.args));
    const firewalldTable = nft.exitCode === 0 && /table inet firewalld/.test(nft.stdout);
    const firewalld = Boolean(firewalldProc) || firewalldTable;
    const evidence: FindingEvidence[] = [
      ctx.facts.fileEvidence("/etc/ufw/ufw.conf", ufwConf === undefined ? "absent" : ufwConf.split("\n").find((l) => /^\s*ENABLED/.test(l)) ?? "(no ENABLED line)"),
      { source: `iptables-save -t filter [${filter.where}] → ufw-* chains`, value: ufwChains.slice(0, 6).join(", ") || "(none)" },
      { source: `ps -eo pid,args [${ps.where}] → firewalld; nft list tables`, value: `${firewalldProc ? `${firewalldProc.pid} ${firewalldProc.args}` : "no firewalld process"}; ${firewalldTable ? "table inet firewalld present" : "no firewalld nft table"}` },
    ];
    const managers = [ufw && "ufw", firewalld && "firewalld"].filter((x): x is string => Boolean(x));
    if (managers.length === 0) return [{ id: "firewall/host-firewall", area: "firewall", status: "ok", title: "no ufw or firewalld active", evidence }];
    const snap = await ctx.facts.engineSnapshot();
    const exposed = (snap?.containers ?? [])
      .filter((c) => c.State === "running")
      .flatMap((c) => (c.Ports ?? []).filter((p) => p.PublicPort && !/^127\.|^::1$/.test(p.IP ?? "")).map((p) => `${p.PublicPort}/${p.Type} (${(c.Names?.[0] ?? c.Id).replace(/^\//, "")})`));
    const uniq = [...new Set(exposed)];
    const uplink = uplinkOf(parseJsonArray<IpRoute>(routes.stdout)) ?? "<uplink>";
    evidence.push({ source: "GET /containers/json → Ports not bound to 127.0.0.1", value: uniq.join("\n") || "(none)" });
    const f: Finding = {
      id: "firewall/host-firewall",
      area: "firewall",
      status: uniq.length ? "warn" : "ok",
      title: uniq.length
        ? `${managers.join(" and ")} active, but published ports bypass its rules (Docker DNATs them before ${managers.join("/")}'s INPUT rules): ${uniq.join(", ")} answer anyone who reaches this host`
        : `${managers.join(" and ")} active; no port is published on a public address`,
      evidence,
      fix: uniq.length
        ? `filter published ports in DOCKER-USER, which Docker evaluates first for forwarded traffic: \`iptables -I DOCKER-USER -i ${uplink} -j DROP\` then \`iptables -I DOCKER-USER -i ${uplink} -s <allowed network> -j RETURN\` and \`iptables -I DOCKER-USER -i ${uplink} -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN\` (per port: \`-p tcp -m conntrack --ctorigdstport <port> --ctdir ORIGINAL\`); or publish only on loopback (\`-p 127.0.0.1:<port>:<port>\`)${firewalld ? "; with firewalld, add those rules with `firewall-cmd --direct --add-rule ipv4 filter DOCKER-USER …` so a reload keeps them" : ""}`
        : undefined,
    };
    return [f];
  },
};
