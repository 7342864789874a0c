import type { ConntrackEntry } from "../probes/conntrack.js";

/**
 * /proc/net/nf_conntrack lines of every protocol, ICMP included (its tuples
 * carry type/code/id instead of ports, which src/probes/conntrack.ts skips):
 * the first src/dst pair is the original direction, the second the reply's.
 * Ports are 0 where the protocol has none. Pure.
 */
export function parseConntrackAny(text: string): ConntrackEntry[] {
  const out: ConntrackEntry[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    const m = /^ipv[46]\s+\d+\s+(\w+)\s+\d+\s+\d+\s+(?:([A-Z_]+)\s+)?/.exec(line);
    if (!m) continue;
    const get = (k: string) => [...line.matchAll(new RegExp(`\\b${k}=(\\S+)`, "g"))].map((x) => x[1]!);
    const [src, dst, sport, dport] = [get("src"), get("dst"), get("sport"), get("dport")];
    if (src.length < 2 || dst.length < 2) continue;
    out.push({
      protocol: m[1]!,
      ...(m[2] ? { state: m[2] } : {}),
      orig: { src: src[0]!, dst: dst[0]!, sport: Number(sport[0] ?? 0), dport: Number(dport[0] ?? 0) },
      reply: { src: src[1]!, dst: dst[1]!, sport: Number(sport[1] ?? 0), dport: Number(dport[1] ?? 0) },
      line,
    });
  }
  return out;
}
