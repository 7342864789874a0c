import type { CountedRule } from "./counters.js";
import { settingOff, type DaemonSettings } from "./daemon.js";
import type { Explanation } from "./facts.js";

/** What was read on the host when a NAT expectation about a published port failed. */
export interface NatFacts {
  /** "dnat": traffic from outside to the published port is DNATed; "proxy": 127.0.0.1:<port> is served by docker-proxy. */
  expect: "dnat" | "proxy";
  hostPort: number;
  proto: "tcp" | "udp";
  /** Where it was read ("the lab host"). */
  where: string;
  /** The host's nat table rules (iptables-save). */
  natRules: CountedRule[];
  /** docker-proxy command lines serving this host port (from ps). */
  proxies: string[];
  daemon?: DaemonSettings;
  gathered: string[];
}

/**
 * Why a published port was not DNATed from outside, or not served by
 * docker-proxy on loopback: the rule, the missing jump, the process or the
 * daemon setting — read from the host, never guessed. Pure.
 */
export function explainNat(n: NatFacts): Explanation {
  const evidence = [...n.proxies.map((p) => `docker-proxy: ${p}`), ...(n.daemon?.source ? [`daemon settings read: ${n.daemon.source}`] : []), ...n.gathered.map((g) => `gathered: ${g}`)];
  const done = (kind: Explanation["kind"], summary: string, lines: string[], fix?: string): Explanation => ({ kind, summary, evidence: [...lines, ...evidence], ...(fix ? { fix } : {}) });
  const port = `${n.proto} port ${n.hostPort}`;
  if (n.expect === "proxy") {
    const off = settingOff(n.daemon, "userlandProxy");
    if (off) return done("cause", `${off}: no docker-proxy listens on ${port}; the kernel DNATs 127.0.0.1:${n.hostPort} instead`, [off], 'a setting, not a fault: state expect: "dnat+snat" in the check, or set "userland-proxy": true in daemon.json and restart dockerd');
    if (!n.proxies.length) {
      return done("cause", `no docker-proxy serves host ${port} on ${n.where}: the process is gone (killed or crashed), so nothing listens on 127.0.0.1:${n.hostPort}`, [`ps on ${n.where}: no docker-proxy with -host-port ${n.hostPort}`], "restart the container (docker restart <container>): dockerd starts a docker-proxy for each published port");
    }
    return done("inconclusive", `inconclusive: docker-proxy serves ${port} and the daemon's userland proxy is on`, []);
  }
  const off = settingOff(n.daemon, "iptables");
  if (off) return done("cause", `${off}: Docker writes no DNAT rule for published ports, so ${port} is served by docker-proxy on the host, not DNATed`, [off], 'set "iptables": true and restart dockerd');
  const dport = new RegExp(`--dport ${n.hostPort}(\\s|$)`);
  const dnat = n.natRules.filter((r) => r.chain === "DOCKER" && r.target === "DNAT" && dport.test(r.spec) && r.spec.includes(`-p ${n.proto}`));
  const jumps = n.natRules.filter((r) => r.chain === "PREROUTING" && r.target === "DOCKER");
  const ruleList = (rs: CountedRule[]) => rs.map((r) => `\`-A ${r.chain} ${r.spec}\``).join("; ") || "none";
  if (!dnat.length) {
    return done("cause", `no DNAT rule for ${port} in nat DOCKER on ${n.where} (Docker's per-port rule is gone): traffic to it from outside is not rewritten`, [`nat DOCKER rules for --dport ${n.hostPort}: none (${n.natRules.filter((r) => r.chain === "DOCKER").length} rules in nat DOCKER)`], "restart the container (docker restart <container>) or dockerd: Docker writes a published port's DNAT rule when it starts the container; then find what flushed nat DOCKER");
  }
  if (!jumps.length) {
    return done("cause", `nat PREROUTING does not jump to DOCKER on ${n.where}: the DNAT rule for ${port} (\`${dnat[0]!.spec}\`) is never reached`, [`nat PREROUTING rules: ${ruleList(n.natRules.filter((r) => r.chain === "PREROUTING"))}`, `nat DOCKER: ${ruleList(dnat)}`], "iptables -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER (what dockerd writes), or restart dockerd");
  }
  return done("inconclusive", `inconclusive: the DNAT rule for ${port} and PREROUTING's jump to DOCKER are both there`, [`nat DOCKER: ${ruleList(dnat)}`, `nat PREROUTING → DOCKER: ${ruleList(jumps)}`]);
}
