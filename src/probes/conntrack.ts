/**
 * The kernel's connection-tracking table (/proc/net/nf_conntrack): for each
 * connection, the tuple as it arrived (original) and the tuple replies carry
 * (reply). NAT is recorded there: a DNAT shows as a reply source that is not
 * the original destination, an SNAT as a reply destination that is not the
 * original source. Pure parsing; the read happens on a lab host.
 */
export interface ConntrackTuple {
  src: string;
  dst: string;
  sport: number;
  dport: number;
}

export interface ConntrackEntry {
  protocol: string;
  state?: string;
  orig: ConntrackTuple;
  reply: ConntrackTuple;
  line: string;
}

export function parseConntrack(text: string): ConntrackEntry[] {
  const out: ConntrackEntry[] = [];
  for (const line of text.split("\n")) {
    const m = /^\s*ipv[46]\s+\d+\s+(\w+)\s+\d+\s+\d+\s+(?:([A-Z_]+)\s+)?(.*)$/.exec(line);
    if (!m) continue;
    const fields = [...m[3]!.matchAll(/(src|dst|sport|dport)=(\S+)/g)].map((f) => [f[1]!, f[2]!] as const);
    const tuple = (from: number): ConntrackTuple | undefined => {
      const part = fields.slice(from, from + 4);
      const get = (k: string) => part.find(([key]) => key === k)?.[1];
      const [src, dst, sport, dport] = [get("src"), get("dst"), get("sport"), get("dport")];
      return src && dst && sport && dport ? { src, dst, sport: Number(sport), dport: Number(dport) } : undefined;
    };
    const orig = tuple(0);
    const reply = tuple(4);
    if (orig && reply) out.push({ protocol: m[1]!, ...(m[2] ? { state: m[2] } : {}), orig, reply, line: line.trim() });
  }
  return out;
}
