/** One flow of `conntrack -L` (or /proc/net/nf_conntrack): the original and the reply tuple. */
export interface ConntrackFlow {
  proto: string;
  orig: { src: string; dst: string; sport: number; dport: number };
  reply: { src: string; dst: string; sport: number; dport: number };
  line: string;
}

/** Parses both `conntrack -L` lines and /proc/net/nf_conntrack lines (which start with the address family). */
export function parseConntrack(text: string): ConntrackFlow[] {
  const out: ConntrackFlow[] = [];
  for (const line of text.split("\n")) {
    const proto = /\b(udp|tcp|icmp|sctp)\b/.exec(line)?.[1];
    const src = [...line.matchAll(/\bsrc=(\S+)/g)].map((m) => m[1]!);
    const dst = [...line.matchAll(/\bdst=(\S+)/g)].map((m) => m[1]!);
    const sport = [...line.matchAll(/\bsport=(\d+)/g)].map((m) => Number(m[1]));
    const dport = [...line.matchAll(/\bdport=(\d+)/g)].map((m) => Number(m[1]));
    if (!proto || src.length < 2 || dst.length < 2 || sport.length < 2 || dport.length < 2) continue;
    out.push({
      proto,
      orig: { src: src[0]!, dst: dst[0]!, sport: sport[0]!, dport: dport[0]! },
      reply: { src: src[1]!, dst: dst[1]!, sport: sport[1]!, dport: dport[1]! },
      line: line.trim(),
    });
  }
  return out;
}
