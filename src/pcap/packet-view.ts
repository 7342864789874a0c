/** IP protocol numbers the decoders know. */
export const IpProto = { ICMP: 1, TCP: 6, UDP: 17, ICMPV6: 58 } as const;

/** TCP flag bits as in the header's flags byte. */
export const TcpFlag = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10, URG: 0x20, ECE: 0x40, CWR: 0x80 } as const;

/**
 * One IP layer and what rides on it, as numbers and offsets only: decoding a
 * packet into a reused view allocates nothing, which is what keeps the decoder
 * near a plain Buffer reader's speed. Strings are made later, per flow or per
 * packet someone asks about (see toPacket).
 */
export class IpLayer {
  /** 4 or 6; 0 when there is no IP layer. */
  version = 0;
  /** IPv4 address in [0]; IPv6 as four big-endian 32-bit words. */
  readonly src = new Uint32Array(4);
  readonly dst = new Uint32Array(4);
  ttl = 0;
  /** IP protocol of the transport header found (after IPv6 extension headers); -1 if none. */
  proto = -1;
  /** Byte offsets in the frame. */
  ipOffset = -1;
  l4Offset = -1;
  /** Ports for TCP/UDP; for ICMP echo both carry the echo id (so both directions share a flow). */
  srcPort = 0;
  dstPort = 0;
  tcpFlags = 0;
  seq = 0;
  ack = 0;
  window = 0;
  icmpType = -1;
  icmpCode = -1;
  icmpSeq = -1;
  payloadOffset = -1;
  payloadLength = 0;
  /** Non-first IPv4/IPv6 fragment: no transport header in this packet. */
  fragment = false;
  /** IP identification of any fragment (first or not; IPv6: the fragment header's id), -1 when not fragmented. */
  fragmentId = -1;
  /** Byte offset of this fragment in its datagram (0 for a first fragment or an unfragmented packet). */
  fragmentOffset = 0;
  /** Transport bytes on the wire by the IP header's length (more than captured when the snaplen cut it). */
  l4WireLength = 0;

  reset(): void {
    // src/dst words are rewritten by whichever IP decoder runs, so no fill() here.
    this.version = 0;
    this.ttl = 0;
    this.proto = -1;
    this.ipOffset = this.l4Offset = this.payloadOffset = -1;
    this.srcPort = this.dstPort = this.tcpFlags = this.seq = this.ack = this.window = 0;
    this.icmpType = this.icmpCode = this.icmpSeq = -1;
    this.payloadLength = 0;
    this.fragment = false;
    this.fragmentId = -1;
    this.fragmentOffset = 0;
    this.l4WireLength = 0;
  }

  copyFrom(o: IpLayer): void {
    this.version = o.version;
    this.src.set(o.src);
    this.dst.set(o.dst);
    this.ttl = o.ttl;
    this.proto = o.proto;
    this.ipOffset = o.ipOffset;
    this.l4Offset = o.l4Offset;
    this.srcPort = o.srcPort;
    this.dstPort = o.dstPort;
    this.tcpFlags = o.tcpFlags;
    this.seq = o.seq;
    this.ack = o.ack;
    this.window = o.window;
    this.icmpType = o.icmpType;
    this.icmpCode = o.icmpCode;
    this.icmpSeq = o.icmpSeq;
    this.payloadOffset = o.payloadOffset;
    this.payloadLength = o.payloadLength;
    this.fragment = o.fragment;
    this.fragmentId = o.fragmentId;
    this.fragmentOffset = o.fragmentOffset;
    this.l4WireLength = o.l4WireLength;
  }
}

export class PacketView {
  data: Buffer = Buffer.alloc(0);
  linkType = 0;
  /** Offset of the Ethernet header (-1 for cooked/raw links). */
  ethOffset = -1;
  /** EtherType after VLAN tags; -1 when unknown. */
  etherType = -1;
  /** 802.1Q/802.1ad VLAN ids, outermost first. */
  readonly vlans: number[] = [];
  /** Offset of the ARP header, -1 when not ARP. */
  arpOffset = -1;
  /** ARP inside VXLAN. */
  innerArp = false;
  /** The innermost IP layer (inside VXLAN when there is one). */
  readonly ip = new IpLayer();
  /** VXLAN network id, -1 when not encapsulated. */
  vni = -1;
  /** The outer (underlay) IP layer when vni >= 0. */
  readonly outer = new IpLayer();
  /** Offset of the inner Ethernet frame when vni >= 0. */
  innerEthOffset = -1;
  /** A header ran past the captured bytes (snaplen): decoding stopped there. */
  short = false;

  reset(data: Buffer, linkType: number): void {
    this.data = data;
    this.linkType = linkType;
    this.ethOffset = this.etherType = this.arpOffset = this.vni = this.innerEthOffset = -1;
    this.vlans.length = 0;
    this.innerArp = false;
    this.ip.reset();
    this.short = false;
  }
}
