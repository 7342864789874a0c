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
  /** Frames that carry each protocol at any layer: a VXLAN frame counts its underlay and its overlay (like `tshark -Y proto`). */
  protocols: Record<ProtocolCounter, number>;
  /** Frames per VLAN tag stack, outermost first: "100", "20/297" (QinQ). */
  vlans: Map<string, number>;
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
      vlans: new Map(),
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
    let vlanKey = "";
    if (view.vlans.length > 0) {
      vlanKey = view.vlans.join("/");
      s.vlans.set(vlanKey, (s.vlans.get(vlanKey) ?? 0) + 1);
    }
    const flow = s.flows.add(view, r.sec, r.nsec, r.originalLength, index);
    if (flow !== undefined && vlanKey !== "" && !flow.vlans.includes(vlanKey)) flow.vlans.push(vlanKey);
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
  if (v.vlans.length > 0) c.vlan++;
  const tunnel = v.vni >= 0;
  if (tunnel) c.vxlan++;
  const outer = tunnel ? v.outer : v.ip;
  // The overlay's layer, when it differs from the underlay's (-1/0: nothing more to count).
  const innerVersion = tunnel ? v.ip.version : 0;
  const innerProto = tunnel ? v.ip.proto : -1;
  if (v.arpOffset >= 0 || v.innerArp) c.arp++;
  if (outer.version === 4 || innerVersion === 4) c.ipv4++;
  if (outer.version === 6 || innerVersion === 6) c.ipv6++;
  if (v.arpOffset < 0 && outer.version === 0) c.other++;
  if (outer.proto === IpProto.TCP || innerProto === IpProto.TCP) c.tcp++;
  if (outer.proto === IpProto.UDP || innerProto === IpProto.UDP) c.udp++;
  if (outer.proto === IpProto.ICMP || innerProto === IpProto.ICMP) c.icmp++;
  if (outer.proto === IpProto.ICMPV6 || innerProto === IpProto.ICMPV6) c.icmpv6++;
}
