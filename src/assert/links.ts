import type { DnsLookupResult } from "../probes/dns.js";
import type { VerdictFinding } from "./reach.js";

/**
 * Legacy links (`--link b:alias`) resolve through /etc/hosts only: the default
 * bridge has no embedded DNS. The claim "`name` resolves through the hosts file"
 * holds only when the hosts file maps it to the expected address AND no DNS
 * server could have answered instead: resolv.conf does not name Docker's
 * embedded DNS (127.0.0.11), and the configured resolver says NXDOMAIN.
 */
export interface HostsFileNameEvidence {
  from: string;
  name: string;
  /** The source's /etc/hosts. */
  hostsFile: string;
  /** The source's /etc/resolv.conf. */
  resolvConf: string;
  /** The same name asked of the source's configured resolver (DNS only, no hosts file). */
  lookup: DnsLookupResult;
  expectAddress: string;
}

/** The address /etc/hosts gives `name` (first matching line), and that line. */
export function hostsFileEntry(hostsFile: string, name: string): { address: string; line: string } | undefined {
  for (const raw of hostsFile.split("\n")) {
    const line = raw.replace(/#.*/, "").trim();
    const [address, ...names] = line.split(/\s+/);
    if (address && names.some((n) => n.toLowerCase() === name.toLowerCase())) return { address, line };
  }
  return undefined;
}

export function judgeHostsFileName(e: HostsFileNameEvidence): VerdictFinding {
  const entry = hostsFileEntry(e.hostsFile, e.name);
  if (!entry) return { status: "fail", verdict: "fail", reason: `${e.from}'s /etc/hosts has no entry for "${e.name}" (no link names it)` };
  if (entry.address !== e.expectAddress) return { status: "fail", verdict: "fail", reason: `${e.from}'s /etc/hosts maps "${e.name}" to ${entry.address} ("${entry.line}"), expected ${e.expectAddress}` };
  const servers = [...e.resolvConf.matchAll(/^\s*nameserver\s+(\S+)/gm)].map((m) => m[1]!);
  if (servers.includes("127.0.0.11")) return { status: "fail", verdict: "fail", reason: `${e.from} uses Docker's embedded DNS (nameserver 127.0.0.11): the name need not come from /etc/hosts` };
  const l = e.lookup;
  if (l.answer === "answer") return { status: "fail", verdict: "fail", reason: `DNS also resolves "${e.name}" (${l.detail}): /etc/hosts is not the only source` };
  if (l.answer !== "nxdomain" && l.answer !== "no-answer") {
    return { status: "fail", verdict: "inconclusive", reason: `inconclusive: /etc/hosts maps "${e.name}" to ${entry.address}, but the resolver gave no verdict on the name (${l.detail}), so DNS is not ruled out` };
  }
  return { status: "pass", verdict: "pass", reason: `/etc/hosts maps "${e.name}" to ${entry.address} ("${entry.line}"); DNS has no such name (${l.detail}), no embedded DNS (nameservers ${servers.join(", ")})` };
}
