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

/** `busybox nslookup <name> [server]`: uses the node's resolv.conf unless a server is given; `family: 6` asks for AAAA. */
export function dnsLookup(name: string, opts: { server?: string; timeoutS?: number; family?: 4 | 6 } = {}): Probe<DnsLookupResult> {
  return {
    name: "dns",
    targets: opts.server ? [opts.server] : [],
    command: ["busybox", "nslookup", opts.family === 6 ? "-type=aaaa" : "-type=a", name, ...(opts.server ? [opts.server] : [])],
    timeoutMs: (opts.timeoutS ?? 5) * 1000,
    parse: parseNslookup,
  };
}

export function parseNslookup(r: ExecResult): DnsLookupResult {
  const text = `${r.stdout}\n${r.stderr}`;
  const server = /^Server:\s+(\S+)/m.exec(text)?.[1];
  const answers = text.split(/Non-authoritative answer:|Name:\s/).slice(1).join("\n");
  // Only lines after "Name:" are answers; the server's own "Address: a.b.c.d:53" line never matches (port suffix).
  const v4 = [...answers.matchAll(/^Address(?: \d+)?:\s+([\d.]+)(?!:\d)\s*$/gm)].map((m) => m[1]!);
  // AAAA answers: "Address: fd6e:1:2:1::2" (canonical, from inet_ntop).
  const v6 = [...answers.matchAll(/^Address(?: \d+)?:\s+([0-9a-f]*:[0-9a-f:]+)\s*$/gim)].map((m) => m[1]!.toLowerCase());
  const addresses = [...v4, ...v6];
  const answer = classifyAnswer(r, text, addresses.length > 0);
  const nxdomain = answer === "nxdomain";
  const from = server ? ` from ${server}` : "";
  const detail =
    answer === "answer"
      ? `resolved to ${addresses.join(", ")}${server ? ` by ${server}` : ""}`
      : answer === "nxdomain"
        ? `NXDOMAIN${from}`
        : answer === "no-answer"
          ? `an empty answer (no ${/-type=aaaa/.test(r.command.join(" ")) ? "AAAA" : "A"} record)${from}`
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
  // NOERROR with no record of the type asked (an AAAA query for a v4-only container): busybox prints the heading alone.
  if (r.exitCode === 0 && /Non-authoritative answer:\s*$/.test(text)) return "no-answer";
  if (/Connection refused|Network is unreachable|No route to host/.test(text)) return "unreachable";
  if (r.timedOut || /timed out|no servers could be reached/i.test(text)) return "timeout";
  return "probe-error";
}
