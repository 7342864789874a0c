import { cidrContains, parseCidr } from "../util/ipv4.js";

/**
 * `ip route get` output, read for the decision it records: a route out of an
 * interface (via a gateway or not), or a refusal — no route at all, or a
 * blackhole / unreachable / prohibit route. Pure.
 */
export interface RouteDecision {
  kind: "via" | "local" | "no-route" | "blackhole" | "unreachable" | "prohibit" | "unknown";
  dev?: string;
  via?: string;
  src?: string;
  /** The line or error printed, quoted in the evidence. */
  text: string;
}

export function parseRouteGet(stdout: string, stderr = "", exitCode = 0): RouteDecision {
  // `ip -o` joins continuation lines with a backslash.
  const out = (stdout.trim().split("\n")[0] ?? "").replace(/\s*\\\s*/g, " ").trim();
  const err = stderr.trim().split("\n").pop()?.trim() ?? "";
  // The kernel answers a lookup that hits a refusing route with the errno that route returns.
  if (/Network is unreachable/i.test(err)) return { kind: "no-route", text: err };
  if (/No route to host/i.test(err)) return { kind: "unreachable", text: err };
  if (/Permission denied/i.test(err)) return { kind: "prohibit", text: err };
  if (/Invalid argument/i.test(err)) return { kind: "blackhole", text: err };
  if (/^(blackhole|unreachable|prohibit)\b/.test(out)) return { kind: out.split(/\s/)[0] as RouteDecision["kind"], text: out };
  if (exitCode !== 0 || !out) return { kind: "unknown", text: err || out || `exit ${exitCode}` };
  const dev = /\bdev (\S+)/.exec(out)?.[1];
  const via = /\bvia (\S+)/.exec(out)?.[1];
  const src = /\bsrc (\S+)/.exec(out)?.[1];
  return { kind: /^local\b/.test(out) ? "local" : "via", ...(dev ? { dev } : {}), ...(via ? { via } : {}), ...(src ? { src } : {}), text: out };
}

/** One line of `ip route show`: its type (unicast unless it says otherwise) and prefix. */
export interface RouteEntry {
  type: "unicast" | "blackhole" | "unreachable" | "prohibit" | "local" | "other";
  prefix: string;
  line: string;
}

export function parseRouteTable(text: string): RouteEntry[] {
  const out: RouteEntry[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line) continue;
    const words = line.split(/\s+/);
    const typed = ["blackhole", "unreachable", "prohibit", "local", "broadcast", "throw", "nat", "multicast", "anycast"].includes(words[0]!);
    const type = typed ? (["blackhole", "unreachable", "prohibit", "local"].includes(words[0]!) ? (words[0] as RouteEntry["type"]) : "other") : "unicast";
    const prefix = typed ? words[1]! : words[0]!;
    out.push({ type, prefix: prefix === "default" ? "0.0.0.0/0" : prefix.includes("/") ? prefix : `${prefix}/32`, line });
  }
  return out;
}

/** The most specific route for `ip` (main table, IPv4), as the kernel's longest-prefix match picks it. */
export function lookupRoute(table: RouteEntry[], ip: string): RouteEntry | undefined {
  let best: RouteEntry | undefined;
  let bestLen = -1;
  for (const r of table) {
    if (r.type === "local" || r.type === "other") continue;
    try {
      const c = parseCidr(r.prefix);
      if (cidrContains(c, ip) && c.prefix > bestLen) [best, bestLen] = [r, c.prefix];
    } catch {
      continue;
    }
  }
  return best;
}
