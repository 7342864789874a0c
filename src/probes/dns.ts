import type { ExecResult } from "../host/host.js";
import type { Probe } from "./probe.js";

export interface DnsLookupResult {
  resolved: boolean;
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
  const addresses = [...answers.matchAll(/^Address(?: \d+)?:\s+([\d.]+)(?!:\d)\s*$/gm)].map((m) => m[1]!).filter((a) => a !== server);
  const nxdomain = /NXDOMAIN|can't find|can't resolve/i.test(text);
  const resolved = r.exitCode === 0 && addresses.length > 0;
  const detail = resolved ? `resolved to ${addresses.join(", ")}${server ? ` by ${server}` : ""}` : nxdomain ? `NXDOMAIN${server ? ` from ${server}` : ""}` : r.timedOut ? "timed out" : (text.trim().split("\n").pop() ?? "");
  return { resolved, addresses, server, nxdomain, detail };
}
