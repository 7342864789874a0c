import type { DnsLookupResult } from "../probes/dns.js";
import type { VerdictFinding } from "./reach.js";

/**
 * DNS verdicts. "Does not resolve" is proven only by the server that should
 * know saying so (NXDOMAIN or an empty answer): a timeout or an unreachable
 * server says nothing about the name.
 */
export interface ResolveJudgement {
  mustResolve: boolean;
  name: string;
  /** "a" — who asked. */
  from: string;
  lookup: DnsLookupResult;
  /** The server that must answer (an address or a prefix of one), when the check names one. */
  via?: string;
  /** The address the name must resolve to. */
  expectAddress?: string;
}

export function judgeResolution(j: ResolveJudgement): VerdictFinding {
  const l = j.lookup;
  const wrongServer = j.via !== undefined && l.server !== undefined && !l.server.startsWith(j.via);
  if (!j.mustResolve) {
    if (l.answer === "answer") return { status: "fail", verdict: "fail", reason: `"${j.name}" resolved to ${l.addresses.join(", ")}${l.server ? ` (server ${l.server})` : ""}, but must not` };
    if (l.answer === "nxdomain" || l.answer === "no-answer") {
      if (wrongServer) return { status: "fail", verdict: "inconclusive", reason: `inconclusive: ${l.detail}, but from ${l.server}, not from ${j.via}` };
      return { status: "pass", verdict: "pass", reason: `${j.from} has no such name: ${l.detail}` };
    }
    return { status: "fail", verdict: "inconclusive", reason: `inconclusive: "${j.name}" got no answer at all (${l.detail}); only NXDOMAIN or an empty answer from the resolver proves the name does not exist` };
  }
  if (l.answer !== "answer") return { status: "fail", verdict: "fail", reason: `"${j.name}" did not resolve: ${l.detail}` };
  if (wrongServer) return { status: "fail", verdict: "fail", reason: `"${j.name}" was answered by ${l.server}, expected ${j.via}` };
  if (j.expectAddress && !l.addresses.includes(j.expectAddress)) return { status: "fail", verdict: "fail", reason: `"${j.name}" resolved to ${l.addresses.join(", ")}, expected ${j.expectAddress}` };
  return { status: "pass", verdict: "pass", reason: l.detail };
}
