import { IpProto, type IpLayer, type PacketView } from "./packet-view.js";

/** IANA-assigned VXLAN port; Linux's vxlan driver defaults to 8472 unless told `dstport 4789`. */
export const VXLAN_PORTS: ReadonlySet<number> = new Set([4789]);
const MAX_VLAN_TAGS = 4;
const MAX_IPV6_EXT_HEADERS = 8;

/**
 * Decode one frame into `view` (reused between packets). Never throws on bad
 * bytes: a header that does not fit sets `view.short` and decoding stops.
 */
export function decodeInto(view: PacketView, data: Buffer, linkType: number): PacketView {
  view.reset(data, linkType);
  switch (linkType) {
    case 1:
      decodeEthernet(view, data, 0, view.ip, true);
      break;
    case 113: // Linux cooked v1: 16-byte header, protocol at 14
      if (data.length < 16) view.short = true;
      else decodeEtherType(view, data, 16, data.readUInt16BE(14), view.ip, true);
      break;
    case 276: // Linux cooked v2: 20-byte header, protocol first
      if (data.length < 20) view.short = true;
      else decodeEtherType(view, data, 20, data.readUInt16BE(0), view.ip, true);
      break;
    case 0:
    case 108: // BSD loopback: 4-byte address family in host (NULL) or network (LOOP) order
      if (data.length < 4) view.short = true;
      else decodeRawIp(view, data, 4, view.ip, true);
      break;
    case 12:
    case 14:
    case 101:
    case 228:
    case 229:
      decodeRawIp(view, data, 0, view.ip, true);
      break;
  }
  return view;
}

function decodeRawIp(view: PacketView, data: Buffer, off: number, ip: IpLayer, outer: boolean): void {
  if (off >= data.length) {
    view.short = true;
    return;
  }
  const v = data[off]! >> 4;
  if (v === 4) decodeEtherType(view, data, off, 0x0800, ip, outer);
  else if (v === 6) decodeEtherType(view, data, off, 0x86dd, ip, outer);
}

function decodeEthernet(view: PacketView, data: Buffer, off: number, ip: IpLayer, outer: boolean): void {
  if (data.length - off < 14) {
    view.short = true;
    return;
  }
  if (outer) view.ethOffset = off;
  decodeEtherType(view, data, off + 14, (data[off + 12]! << 8) | data[off + 13]!, ip, outer);
}

function decodeEtherType(view: PacketView, data: Buffer, off: number, type: number, ip: IpLayer, outer: boolean): void {
  // 802.1Q (0x8100), 802.1ad QinQ (0x88a8) and the pre-standard 0x9100 all carry TCI + inner type.
  for (let n = 0; (type === 0x8100 || type === 0x88a8 || type === 0x9100) && n < MAX_VLAN_TAGS; n++) {
    if (data.length - off < 4) {
      view.short = true;
      return;
    }
    if (outer) view.vlans.push(((data[off]! << 8) | data[off + 1]!) & 0x0fff);
    type = (data[off + 2]! << 8) | data[off + 3]!;
    off += 4;
  }
  if (outer) view.etherType = type;
  if (type === 0x0800) decodeIpv4(view, data, off, ip, outer);
  else if (type === 0x86dd) decodeIpv6(view, data, off, ip, outer);
  else if (type === 0x0806 && outer) {
    if (data.length - off < 8) view.short = true;
    else view.arpOffset = off;
  } else if (type === 0x0806) view.innerArp = true;
}

function decodeIpv4(view: PacketView, data: Buffer, off: number, ip: IpLayer, outer: boolean): void {
  if (data.length - off < 20 || data[off]! >> 4 !== 4) {
    view.short = data.length - off < 20;
    return;
  }
  const ihl = (data[off]! & 0x0f) * 4;
  const total = (data[off + 2]! << 8) | data[off + 3]!;
  if (ihl < 20 || data.length - off < ihl) {
    view.short = true;
    return;
  }
  ip.version = 4;
  ip.ipOffset = off;
  ip.ttl = data[off + 8]!;
  ip.proto = data[off + 9]!;
  ip.src[0] = data.readUInt32BE(off + 12);
  ip.dst[0] = data.readUInt32BE(off + 16);
  ip.src[1] = ip.src[2] = ip.src[3] = ip.dst[1] = ip.dst[2] = ip.dst[3] = 0;
  const flags = data[off + 6]!;
  ip.fragmentOffset = (((flags & 0x1f) << 8) | data[off + 7]!) * 8;
  ip.fragment = ip.fragmentOffset !== 0;
  if (ip.fragment || (flags & 0x20) !== 0) ip.fragmentId = (data[off + 4]! << 8) | data[off + 5]!;
  // total length bounds the payload (Ethernet pads short frames); a bogus one falls back to the captured end.
  const end = total >= ihl && off + total <= data.length ? off + total : data.length;
  ip.l4WireLength = total >= ihl ? total - ihl : data.length - off - ihl;
  if (!ip.fragment) decodeL4(view, data, off + ihl, end, ip, outer);
}

function decodeIpv6(view: PacketView, data: Buffer, off: number, ip: IpLayer, outer: boolean): void {
  if (data.length - off < 40 || data[off]! >> 4 !== 6) {
    view.short = data.length - off < 40;
    return;
  }
  ip.version = 6;
  ip.ipOffset = off;
  ip.ttl = data[off + 7]!;
  for (let i = 0; i < 4; i++) {
    ip.src[i] = data.readUInt32BE(off + 8 + 4 * i);
    ip.dst[i] = data.readUInt32BE(off + 24 + 4 * i);
  }
  const plen = (data[off + 4]! << 8) | data[off + 5]!;
  const end = plen > 0 && off + 40 + plen <= data.length ? off + 40 + plen : data.length;
  let next = data[off + 6]!;
  let p = off + 40;
  for (let n = 0; n < MAX_IPV6_EXT_HEADERS; n++) {
    if (next !== 0 && next !== 43 && next !== 44 && next !== 60 && next !== 51) break;
    if (end - p < 8) {
      view.short = true;
      ip.proto = -1;
      return;
    }
    if (next === 44) {
      ip.fragmentOffset = (data[p + 2]! << 8) | (data[p + 3]! & 0xf8);
      if (ip.fragmentOffset !== 0) ip.fragment = true;
      ip.fragmentId = data.readUInt32BE(p + 4);
    }
    const len = next === 44 ? 8 : next === 51 ? (data[p + 1]! + 2) * 4 : (data[p + 1]! + 1) * 8;
    next = data[p]!;
    p += len;
  }
  ip.proto = next;
  ip.l4WireLength = Math.max(0, (plen > 0 ? plen + 40 : data.length - off) - (p - off));
  if (!ip.fragment && p <= end) decodeL4(view, data, p, end, ip, outer);
}

function decodeL4(view: PacketView, data: Buffer, off: number, end: number, ip: IpLayer, outer: boolean): void {
  const proto = ip.proto;
  ip.l4Offset = off;
  const room = end - off;
  // The ports are the first 4 bytes of TCP and UDP: a snaplen that cuts the rest of the header
  // (tcpdump -s 64, IPv6, SYN options) still names the conversation, as tcpdump and tshark do (issue 17, item 4).
  if ((proto === IpProto.TCP || proto === IpProto.UDP) && room >= 4) {
    ip.srcPort = (data[off]! << 8) | data[off + 1]!;
    ip.dstPort = (data[off + 2]! << 8) | data[off + 3]!;
  }
  if (proto === IpProto.TCP) {
    if (room >= 8) ip.seq = data.readUInt32BE(off + 4);
    if (room >= 12) ip.ack = data.readUInt32BE(off + 8);
    if (room >= 14) ip.tcpFlags = data[off + 13]!;
    const hl = room >= 13 ? (data[off + 12]! >> 4) * 4 : 0;
    if (room < 20 || hl < 20 || hl > room) {
      view.short = room < 20 || hl > room;
      return;
    }
    ip.window = (data[off + 14]! << 8) | data[off + 15]!;
    ip.payloadOffset = off + hl;
    ip.payloadLength = room - hl;
  } else if (proto === IpProto.UDP) {
    if (room < 8) {
      view.short = true;
      return;
    }
    ip.payloadOffset = off + 8;
    ip.payloadLength = room - 8;
    if (outer && VXLAN_PORTS.has(ip.dstPort) && room >= 16 + 14 && (data[off + 8]! & 0x08) !== 0) decodeVxlan(view, data, off + 8, ip);
  } else if (proto === IpProto.ICMP || proto === IpProto.ICMPV6) {
    if (room < 4) {
      view.short = true;
      return;
    }
    const type = data[off]!;
    ip.icmpType = type;
    ip.icmpCode = data[off + 1]!;
    ip.payloadOffset = off + 4;
    ip.payloadLength = room - 4;
    const echo = proto === IpProto.ICMP ? type === 8 || type === 0 : type === 128 || type === 129;
    if (echo && room >= 8) {
      ip.srcPort = ip.dstPort = (data[off + 4]! << 8) | data[off + 5]!;
      ip.icmpSeq = (data[off + 6]! << 8) | data[off + 7]!;
      ip.payloadOffset = off + 8;
      ip.payloadLength = room - 8;
    }
  }
}

/** RFC 7348: 8-byte VXLAN header, then a whole Ethernet frame, decoded once more (one level only). */
function decodeVxlan(view: PacketView, data: Buffer, off: number, ip: IpLayer): void {
  view.vni = data.readUIntBE(off + 4, 3);
  view.outer.copyFrom(ip);
  ip.reset();
  view.innerEthOffset = off + 8;
  decodeEthernet(view, data, off + 8, ip, false);
}
