/** The one flow an explanation is about, as the host's netfilter sees it. */
export interface Flow {
  /** "a", "10.213.5.2", "the lab host". */
  srcLabel: string;
  dstLabel: string;
  src: string;
  /** The address probed (before any DNAT). */
  dst: string;
  proto: "tcp" | "udp" | "icmp";
  dport?: number;
  /** The host interface the packet enters on (the source's bridge), when the path crosses the host. */
  inIface?: string;
  /** The host interface the route sends it out of. */
  outIface?: string;
}

export const flowText = (f: Flow): string => `${f.srcLabel} (${f.src}) → ${f.dstLabel} (${f.dst}${f.dport !== undefined && f.proto !== "icmp" ? `:${f.dport}` : ""}, ${f.proto})`;
