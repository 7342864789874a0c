import type { ExecResult } from "../host/host.js";

/**
 * What happened to a reach probe, decided from the probe's own output and exit
 * code. The classes keep apart what a bare exit code mixes up: a refusal (RST or
 * ICMP port-unreachable) means the path is OPEN — the target's kernel answered —
 * while `unreachable` and `timeout` are blocks, and `dns-failure`/`probe-error`
 * prove nothing about the path at all.
 */
export type ReachClass = "delivered" | "refused" | "unreachable" | "timeout" | "dns-failure" | "probe-error";

export interface ReachOutcome {
  class: ReachClass;
  /** Why this class was chosen: the line or exit status it was read from. */
  why: string;
  /** For `unreachable`: raised by the source's own stack (no route, prohibit route, local firewall) or an ICMP error / failed neighbour lookup on the path. */
  at?: "source" | "path";
}

export const CLASS_WORDS: Record<ReachClass, string> = {
  delivered: "delivered (the target answered)",
  refused: "refused (RST or ICMP port-unreachable: the path is open, nothing listens)",
  unreachable: "unreachable (an ICMP error or the source's own stack said no)",
  timeout: "timeout (no answer: silently dropped)",
  "dns-failure": "dns-failure (the target name did not resolve)",
  "probe-error": "probe-error (the probe could not run)",
};

interface Rule {
  re: RegExp;
  class: ReachClass;
  at?: "source" | "path";
  why: (m: RegExpExecArray) => string;
}

// Order matters: the most specific messages first. Texts are busybox 1.35's (nc, wget, ping, nslookup)
// and the kernel's errno strings; recorded in src/probes/outcome.test.ts.
const RULES: Rule[] = [
  { re: /bad address '([^']*)'/, class: "dns-failure", why: (m) => `"${m[1]}" did not resolve (${m[0]})` },
  { re: /bad port '([^']*)'|invalid number '([^']*)'|bad port spec/, class: "probe-error", why: (m) => `the probe's arguments are invalid (${m[0]})` },
  { re: /applet not found|not found$|exec format error|no such file or directory/im, class: "probe-error", why: (m) => `the probe's command could not start (${m[0].trim()})` },
  { re: /Connection refused/, class: "refused", why: () => "Connection refused: the target's kernel answered with a RST or an ICMP port-unreachable" },
  { re: /Network is unreachable/, class: "unreachable", at: "source", why: () => "Network is unreachable: the source has no route to the target (ENETUNREACH)" },
  {
    re: /Permission denied|Operation not permitted/,
    class: "unreachable",
    at: "source",
    why: (m) => `${m[0]}: a prohibit route or a firewall rule on the source's own output path rejected the packet`,
  },
  {
    // A blackhole route at the source: the kernel refuses the send with EINVAL (ping's sendto, nc's connect).
    // Over IPv6 busybox nc leaves the "(address)" out of its message.
    re: /sendto: Invalid argument|can't connect to remote host(?: \([^)]*\))?: Invalid argument/,
    class: "unreachable",
    at: "source",
    why: (m) => `${m[0]}: a blackhole route at the source (the kernel refuses to send with EINVAL)`,
  },
  {
    re: /No route to host|Host is unreachable/,
    class: "unreachable",
    at: "path",
    why: () => "No route to host: an ICMP host-unreachable/admin-prohibited came back, or nobody answered ARP for the next hop (EHOSTUNREACH)",
  },
  { re: /timed out|Connection timed out|timeout/i, class: "timeout", why: (m) => `no answer before the probe's own deadline (${m[0]})` },
];

/** Classify a connection-style probe (nc, the HTTP probe) from its output. */
export function classifyConnect(r: ExecResult, delivered: boolean): ReachOutcome {
  if (delivered) return { class: "delivered", why: `exit ${r.exitCode} with the target's answer` };
  return classifyFailure(r);
}

/** Classify an ICMP echo probe: replies counted from ping's statistics line. */
export function classifyPing(r: ExecResult): ReachOutcome & { sent: number; received: number } {
  const m = /(\d+) packets transmitted, (\d+) (?:packets )?received/.exec(r.stdout);
  const sent = m ? Number(m[1]) : 0;
  const received = m ? Number(m[2]) : 0;
  if (received > 0) return { class: "delivered", why: `${received} of ${sent} echo replies received`, sent, received };
  const text = `${r.stderr}\n${r.stdout}`;
  // ping reports a local refusal on sendto and still prints "0 received": the error line decides.
  if (RULES.some((rule) => rule.class !== "timeout" && rule.re.test(text))) return { ...classifyFailure(r), sent, received };
  if (m && r.exitCode !== 0) return { class: "timeout", why: `${sent} echo requests sent, no reply within the deadline`, sent, received };
  return { ...classifyFailure(r), sent, received };
}

function classifyFailure(r: ExecResult): ReachOutcome {
  const text = `${r.stderr}\n${r.stdout}`;
  for (const rule of RULES) {
    const m = rule.re.exec(text);
    if (m) return { class: rule.class, why: rule.why(m), ...(rule.at ? { at: rule.at } : {}) };
  }
  // The probes bound themselves (nc -w, ping -W/-w); one killed by the exec deadline did not finish, on a host too
  // slow to run it (seen on a TCG VM: a `docker exec` of a 2 s ping returned after 10.6 s). Whether it sent
  // anything is unknown, so it is no timeout: a negative check must not pass on it.
  if (r.timedOut) return { class: "probe-error", why: `the probe did not finish: killed by the exec deadline after ${Math.round(r.durationMs)} ms, so whether it sent anything is unknown` };
  if (r.exitCode === 126 || r.exitCode === 127) return { class: "probe-error", why: `the probe's command could not run (exit ${r.exitCode})` };
  if (r.exitCode >= 128) return { class: "probe-error", why: `the probe died with signal ${r.exitCode - 128} (exit ${r.exitCode})` };
  const last = (r.stderr.trim() || r.stdout.trim()).split("\n").pop() ?? "";
  return { class: "probe-error", why: `unrecognised failure (exit ${r.exitCode}${last ? `: ${last}` : ", no output"})` };
}
