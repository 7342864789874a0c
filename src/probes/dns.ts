import type { ExecResult } from "../host/host.js";
import type { Probe } from "./probe.js";

/**
 * What a DNS server said: an answer, a proven "no such name" (NXDOMAIN, or an
 * empty answer), or a failure that proves nothing about the name (no server
 * reachable, SERVFAIL, the probe could not run).
 */
export type DnsAnswerClass = "answer" | "nxdomain" | "no-answer" | "servfail" | "timeout" | "unreachable" | "probe-error";

export interface DnsLookupResult {
  resolved: boolean;
  answer: DnsAnswerClass;
  addresses: string[];
  /** The server that answered, as nslookup reports it. */
  server?: string;
  nxdomain: boolean;
  detail: string;
}

/** `busybox nslookup <name> [server]`: uses the node's resolv.conf unless a server is given. */
export function dnsLookup(name: string, opts: { server?: string; timeoutS?: number } = {}): Probe<DnsLookupResult> {
  return {
    name: "dns",
    targets: opts.server ? [opts.server] : [],
    command: ["busybox", "nslookup", "-type=a", name, ...(opts.server ? [opts.server] : [])],
    timeoutMs: (opts.timeoutS ?? 5) * 1000,
    parse: parseNslookup,
  };
}

export function parseNslookup(r: ExecResult): DnsLookupResult {
  const text = `${r.stdout}\n${r.stderr}`;
  const server = /^Server:\s+(\S+)/m.exec(text)?.[1];
  const answers = text.split(/Non-authoritative answer:|Name:\s/).slice(1).join("\n");
  // Only lines after "Name:" are answers; the server's own "Address: a.b.c.d:53" line never matches (port suffix).
  const addresses = [...answers.matchAll(/^Address(?: \d+)?:\s+([\d.]+)(?!:\d)\s*$/gm)].map((m) => m[1]!);
  const answer = classifyAnswer(r, text, addresses.length > 0);
  const nxdomain = answer === "nxdomain";
  const from = server ? ` from ${server}` : "";
  const detail =
    answer === "answer"
      ? `resolved to ${addresses.join(", ")}${server ? ` by ${server}` : ""}`
      : answer === "nxdomain"
        ? `NXDOMAIN${from}`
        : answer === "no-answer"
          ? `an empty answer (no A record)${from}`
          : answer === "timeout"
            ? "no DNS server answered (timed out)"
            : answer === "unreachable"
              ? `the DNS server could not be reached (${/read: [^\n]*|connect[^\n]*/.exec(text)?.[0] ?? "refused"})`
              : answer === "servfail"
                ? `SERVFAIL${from}`
                : (text.trim().split("\n").pop() ?? `exit ${r.exitCode}`);
  return { resolved: answer === "answer", answer, addresses, server, nxdomain, detail };
}

function classifyAnswer(r: ExecResult, text: string, hasAddresses: boolean): DnsAnswerClass {
  if (r.exitCode === 0 && hasAddresses) return "answer";
  if (/NXDOMAIN|Non-existent domain/i.test(text)) return "nxdomain";
  if (/SERVFAIL|REFUSED/.test(text)) return "servfail";
  if (/No answer/i.test(text)) return "no-answer";
  if (/Connection refused|Network is unreachable|No route to host/.test(text)) return "unreachable";
  if (r.timedOut || /timed out|no servers could be reached/i.test(text)) return "timeout";
  return "probe-error";
}
