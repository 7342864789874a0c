import type { CountedRule } from "./counters.js";
import type { DaemonSettings } from "./daemon.js";
import type { PlaceFacts } from "./facts.js";

/**
 * What to do about a rule that dropped a flow, in the words of the rule's
 * origin: Docker's icc=false rule and its isolation chains are settings and
 * design, a user's DOCKER-USER rule is theirs to narrow, anything else is
 * named by its position so it can be removed.
 */
export function dropFix(rule: CountedRule, place: PlaceFacts, daemon: DaemonSettings | undefined): string {
  if (rule.backend === "nft") return `remove or narrow it: nft delete rule ${rule.table} ${rule.chain} handle ${rule.position}${inside(place)}`;
  const iccRule = /^-i (\S+) -o \1 -j DROP$/.test(rule.spec) && rule.chain === "FORWARD";
  if (iccRule) {
    return `Docker's icc=false rule${daemon?.icc === false ? ` (${daemon.source})` : ""}: set "icc": true in /etc/docker/daemon.json and restart dockerd, or put these containers on a user-defined network (icc applies to the default bridge)`;
  }
  if (rule.chain.startsWith("DOCKER-ISOLATION")) return "Docker isolates different networks by design: connect both containers to one network (docker network connect <network> <container>)";
  if (rule.chain === "DOCKER-USER") return `if this flow should pass, delete the rule (iptables -D DOCKER-USER ${rule.position}) or narrow its -s/-d/-p/--dport so it spares the flow`;
  return `if this flow should pass, remove the rule (iptables -t ${rule.table} -D ${rule.chain} ${rule.position}${inside(place)}) or narrow it so it spares the flow`;
}

const inside = (p: PlaceFacts): string => (p.role === "host" ? "" : `, inside ${p.where}: nsenter -t <its pid> -n`);

export function routeFix(line: string, place: PlaceFacts, dst: string): string {
  if (!line) return `add a route that covers ${dst} in ${place.where} (ip route add ${dst} via <gateway>), or fix the default route`;
  const [type, prefix] = line.split(/\s+/);
  return `remove the route (ip route del ${type} ${prefix}${inside(place)}), and whatever adds it (a network config, a VPN client)`;
}

export function ruleName(r: CountedRule): string {
  return r.backend === "nft" ? `nft ${r.table} chain ${r.chain} rule handle ${r.position}` : `${r.chain} rule ${r.position} in table ${r.table}`;
}

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
