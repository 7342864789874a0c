import type { VerdictFinding } from "./reach.js";

/**
 * Which IPv6 addresses a namespace has, from `ip -o -6 addr`: none at all
 * (Docker 20.10 sets disable_ipv6=1 in a container none of whose networks has
 * IPv6: even lo has no ::1), or exactly the host's (host networking). Pure.
 */
export function parseV6Addresses(ipAddrOutput: string): string[] {
  return [...ipAddrOutput.matchAll(/^\d+:\s+(\S+)\s+inet6\s+([0-9a-f:]+\/\d+)/gim)].map((m) => `${m[2]} (${m[1]})`).sort();
}

export type V6AddressExpectation = { kind: "none" } | { kind: "only"; addresses: string[] } | { kind: "same-as"; reference: string; where: string };

export function judgeV6Addresses(on: string, ipAddrOutput: string, expect: V6AddressExpectation): VerdictFinding {
  const seen = parseV6Addresses(ipAddrOutput);
  const list = (xs: string[]) => xs.join(", ") || "none";
  if (expect.kind === "none") {
    return seen.length === 0 ? { status: "pass", verdict: "pass", reason: `${on} has no IPv6 address at all (not even ::1 on lo)` } : { status: "fail", verdict: "fail", reason: `${on} has IPv6 addresses: ${list(seen)}` };
  }
  const wanted = expect.kind === "only" ? expect.addresses.slice().sort() : parseV6Addresses(expect.reference);
  const what = expect.kind === "only" ? list(wanted) : `${expect.where}'s (${list(wanted)})`;
  if (wanted.length === 0) return { status: "fail", verdict: "inconclusive", reason: `inconclusive: ${expect.kind === "same-as" ? expect.where : "the expectation"} has no IPv6 address to compare with` };
  const missing = wanted.filter((a) => !seen.includes(a));
  const extra = seen.filter((a) => !wanted.includes(a));
  if (missing.length || extra.length) return { status: "fail", verdict: "fail", reason: `${on}'s IPv6 addresses are not ${what}: missing ${list(missing)}; extra ${list(extra)}` };
  return { status: "pass", verdict: "pass", reason: `${on} has exactly ${what}` };
}
