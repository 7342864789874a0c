import { bigIntToIpv6, cidr6Contains, ipv6ToBigInt, parseCidr6 } from "../util/ipv6.js";
import type { VerdictFinding } from "./reach.js";

/**
 * An IPv6 network's declared subnet and gateway are what the container uses:
 * a global address in the subnet with its prefix length, and the default v6
 * route via the gateway. Pure: `ip -o -6 addr` and `ip -6 route` text in.
 */
export interface Addressing6Judgement {
  node: string;
  subnet: string;
  gateway: string;
  ipAddrOutput: string;
  ipRouteOutput: string;
  /** An --internal network has no default route. */
  internal?: boolean;
}

export function judgeAddressing6(j: Addressing6Judgement): VerdictFinding {
  const addrs = [...j.ipAddrOutput.matchAll(/^\d+:\s+(\S+)\s+inet6\s+([0-9a-f:]+)\/(\d+)\s+scope global/gim)].map((m) => ({ dev: m[1]!, address: m[2]!, prefixLen: Number(m[3]) }));
  const subnet = parseCidr6(j.subnet);
  const inSubnet = addrs.find((a) => cidr6Contains(subnet, a.address));
  const problems: string[] = [];
  if (!inSubnet) problems.push(`no global IPv6 address in ${j.subnet} (has ${addrs.map((a) => `${a.address}/${a.prefixLen}`).join(", ") || "none"})`);
  else if (inSubnet.prefixLen !== subnet.prefix) problems.push(`prefix /${inSubnet.prefixLen}, declared ${j.subnet}`);
  const via = /^default via (\S+)/m.exec(j.ipRouteOutput)?.[1];
  const canon = (ip: string) => bigIntToIpv6(ipv6ToBigInt(ip));
  if (!j.internal && (!via || canon(via) !== canon(j.gateway))) problems.push(`default IPv6 route ${via ? `via ${via}` : "missing"}, declared gateway ${j.gateway}`);
  if (problems.length) return { status: "fail", verdict: "fail", reason: `${j.node}: ${problems.join("; ")}` };
  return { status: "pass", verdict: "pass", reason: `${inSubnet!.address}/${inSubnet!.prefixLen} in ${j.subnet}${j.internal ? "" : `, default via ${j.gateway}`}` };
}
