import { formatIp, formatIpv4, formatMac } from "./addr.js";
import { decodeInto } from "./decode.js";
import { parseDns, type DnsMessage } from "./dns.js";
import { protocolName, tcpFlagsText, type FlowTuple } from "./flow.js";
import { IpProto, PacketView, type IpLayer } from "./packet-view.js";
import type { PcapRecord, Timestamp } from "./record.js";

export interface ArpInfo {
  operation: "request" | "reply" | number;
  senderMac: string;
  senderIp: string;
  targetMac: string;
  targetIp: string;
}

export interface IpInfo {
  version: 4 | 6;
  src: string;
  dst: string;
  ttl: number;
  /** IP protocol number of the transport header (after IPv6 extension headers). */
  protocol: number;
  fragment: boolean;
}

export interface TcpInfo {
  srcPort: number;
  dstPort: number;
  flags: number;
  /** tcpdump letters: "S", "S.", "P.". */
  flagsText: string;
  seq: number;
  ack: number;
  window: number;
}

export interface IcmpInfo {
  type: number;
  code: number;
  /** Echo id and sequence, when an echo request/reply. */
  id?: number;
  seq?: number;
}

/** A decoded packet with strings, for assertions and evidence. The hot path uses PacketView instead. */
export interface Packet {
  /** 0-based position in the capture. */
  index: number;
  /** Byte offset of the record in the file. */
  offset: number;
  ts: Timestamp;
  linkType: number;
  capturedLength: number;
  originalLength: number;
  srcMac?: string;
  dstMac?: string;
  vlans: number[];
  etherType?: number;
  arp?: ArpInfo;
  /** Innermost IP layer (inside VXLAN when there is one). */
  ip?: IpInfo;
  tcp?: TcpInfo;
  udp?: { srcPort: number; dstPort: number };
  icmp?: IcmpInfo;
  vxlan?: { vni: number; outer: FlowTuple };
  /** Present when a UDP/TCP packet to or from port 53/5353 parses as DNS. */
  dns?: DnsMessage;
  /** Innermost 5-tuple (src = this packet's sender). */
  tuple?: FlowTuple;
  /** Transport payload (TCP/UDP data, ICMP body after the echo header). */
  payload: Buffer;
  /** The whole captured frame. */
  data: Buffer;
  /** A header was cut by the snaplen. */
  short: boolean;
}

const DNS_PORTS = new Set([53, 5353]);

export function decodePacket(record: PcapRecord, index = 0, view = new PacketView()): Packet {
  decodeInto(view, record.data, record.linkType);
  return toPacket(view, record, index);
}

/** Build the string form of a decoded view. */
export function toPacket(view: PacketView, record: PcapRecord, index: number): Packet {
  const d = view.data;
  const p: Packet = {
    index,
    offset: record.offset,
    ts: { sec: record.sec, nsec: record.nsec },
    linkType: record.linkType,
    capturedLength: d.length,
    originalLength: record.originalLength,
    vlans: view.vlans.slice(),
    payload: d.subarray(0, 0),
    data: d,
    short: view.short,
  };
  if (view.ethOffset >= 0) {
    p.dstMac = formatMac(d, view.ethOffset);
    p.srcMac = formatMac(d, view.ethOffset + 6);
  }
  if (view.etherType >= 0) p.etherType = view.etherType;
  if (view.arpOffset >= 0) p.arp = arpInfo(d, view.arpOffset);
  const ip = view.ip;
  if (view.vni >= 0) p.vxlan = { vni: view.vni, outer: tupleOf(view.outer) };
  if (ip.version === 0) return p;
  p.ip = { version: ip.version as 4 | 6, src: formatIp(ip.version, ip.src), dst: formatIp(ip.version, ip.dst), ttl: ip.ttl, protocol: ip.proto, fragment: ip.fragment };
  if (ip.l4Offset < 0 || ip.fragment) return p;
  p.tuple = tupleOf(ip);
  if (ip.payloadOffset >= 0) p.payload = d.subarray(ip.payloadOffset, ip.payloadOffset + ip.payloadLength);
  if (ip.proto === IpProto.TCP && ip.payloadOffset >= 0) {
    p.tcp = { srcPort: ip.srcPort, dstPort: ip.dstPort, flags: ip.tcpFlags, flagsText: tcpFlagsText(ip.tcpFlags), seq: ip.seq, ack: ip.ack, window: ip.window };
  } else if (ip.proto === IpProto.UDP && ip.payloadOffset >= 0) {
    p.udp = { srcPort: ip.srcPort, dstPort: ip.dstPort };
  } else if ((ip.proto === IpProto.ICMP || ip.proto === IpProto.ICMPV6) && ip.icmpType >= 0) {
    p.icmp = { type: ip.icmpType, code: ip.icmpCode };
    if (ip.icmpSeq >= 0) Object.assign(p.icmp, { id: ip.srcPort, seq: ip.icmpSeq });
  }
  const ports = p.tcp ?? p.udp;
  if (ports && (DNS_PORTS.has(ports.srcPort) || DNS_PORTS.has(ports.dstPort))) {
    // DNS over TCP has a 2-byte length prefix (RFC 1035 4.2.2).
    const dns = parseDns(p.tcp ? p.payload.subarray(2) : p.payload);
    if (dns) p.dns = dns;
  }
  return p;
}

function tupleOf(ip: IpLayer): FlowTuple {
  return { protocol: protocolName(ip.proto), src: formatIp(ip.version, ip.src), srcPort: ip.srcPort, dst: formatIp(ip.version, ip.dst), dstPort: ip.dstPort };
}

function arpInfo(d: Buffer, o: number): ArpInfo | undefined {
  // Only Ethernet/IPv4 ARP (hlen 6, plen 4) carries fields we can name.
  if (d.length - o < 28 || d[o + 4] !== 6 || d[o + 5] !== 4) return undefined;
  const op = d.readUInt16BE(o + 6);
  return {
    operation: op === 1 ? "request" : op === 2 ? "reply" : op,
    senderMac: formatMac(d, o + 8),
    senderIp: formatIpv4(d.readUInt32BE(o + 14)),
    targetMac: formatMac(d, o + 18),
    targetIp: formatIpv4(d.readUInt32BE(o + 24)),
  };
}
