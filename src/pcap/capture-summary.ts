import { decodeInto } from "./decode.js";
import type { Flow } from "./flow.js";
import { FlowTable, type FlowTableOptions } from "./flow-table.js";
import { IpProto, PacketView } from "./packet-view.js";
import { compareTimestamps, type PcapRecord, type Timestamp } from "./record.js";

export type ProtocolCounter = "ipv4" | "ipv6" | "arp" | "tcp" | "udp" | "icmp" | "icmpv6" | "vxlan" | "vlan" | "other";

/** Everything `netcheck pcap` prints about one capture; bounded in size whatever the capture's. */
export interface CaptureSummary {
  source: string;
  packets: number;
  bytes: number;
  first?: Timestamp;
  last?: Timestamp;
  linkTypes: Map<number, number>;
  protocols: Record<ProtocolCounter, number>;
  flows: FlowTable;
  /** For each token asked about: the flows whose packets carried it. */
  tokens: Map<string, { packets: number; flows: Flow[] }>;
}

/**
 * Streaming accumulator: feed records in order, read the summary at the end.
 * Memory is one flow per conversation (capped by maxFlows), never per packet.
 */
export class CaptureSummarizer {
  private readonly view = new PacketView();
  private readonly tokenBytes: [string, Buffer][];
  readonly summary: CaptureSummary;

  constructor(source: string, options: FlowTableOptions & { tokens?: string[] } = {}) {
    this.tokenBytes = (options.tokens ?? []).map((t) => [t, Buffer.from(t)]);
    this.summary = {
      source,
      packets: 0,
      bytes: 0,
      linkTypes: new Map(),
      protocols: { ipv4: 0, ipv6: 0, arp: 0, tcp: 0, udp: 0, icmp: 0, icmpv6: 0, vxlan: 0, vlan: 0, other: 0 },
      flows: new FlowTable(options),
      tokens: new Map(this.tokenBytes.map(([t]) => [t, { packets: 0, flows: [] }])),
    };
  }

  add(r: PcapRecord): Flow | undefined {
    const s = this.summary;
    const view = decodeInto(this.view, r.data, r.linkType);
    const index = s.packets++;
    s.bytes += r.originalLength;
    const ts = { sec: r.sec, nsec: r.nsec };
    if (s.first === undefined || compareTimestamps(ts, s.first) < 0) s.first = ts;
    if (s.last === undefined || compareTimestamps(ts, s.last) > 0) s.last = ts;
    s.linkTypes.set(r.linkType, (s.linkTypes.get(r.linkType) ?? 0) + 1);
    count(s.protocols, view);
    const flow = s.flows.add(view, r.sec, r.nsec, r.originalLength, index);
    for (const [token, bytes] of this.tokenBytes) {
      if (r.data.indexOf(bytes) < 0) continue;
      const seen = s.tokens.get(token)!;
      seen.packets++;
      if (flow && !seen.flows.includes(flow)) seen.flows.push(flow);
    }
    return flow;
  }
}

function count(c: Record<ProtocolCounter, number>, v: PacketView): void {
  const ip = v.ip;
  if (v.vlans.length > 0) c.vlan++;
  if (v.vni >= 0) c.vxlan++;
  if (v.arpOffset >= 0) c.arp++;
  else if (ip.version === 4) c.ipv4++;
  else if (ip.version === 6) c.ipv6++;
  else c.other++;
  if (ip.proto === IpProto.TCP) c.tcp++;
  else if (ip.proto === IpProto.UDP) c.udp++;
  else if (ip.proto === IpProto.ICMP) c.icmp++;
  else if (ip.proto === IpProto.ICMPV6) c.icmpv6++;
}
