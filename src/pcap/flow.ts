import { formatIp } from "./addr.js";
import type { IpLayer } from "./packet-view.js";
import type { Timestamp } from "./record.js";

/** An addressed conversation as one capture point saw it: src is the initiator. */
export interface FlowTuple {
  protocol: string;
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
}

const PROTOCOL_NAMES: Record<number, string> = { 1: "icmp", 6: "tcp", 17: "udp", 58: "icmpv6", 132: "sctp", 47: "gre", 50: "esp" };

export function protocolName(proto: number): string {
  return PROTOCOL_NAMES[proto] ?? `ip-proto-${proto}`;
}

const TCP_FLAG_LETTERS: [number, string][] = [[0x02, "S"], [0x01, "F"], [0x04, "R"], [0x08, "P"], [0x20, "U"], [0x40, "E"], [0x80, "W"], [0x10, "."]];

/** tcpdump's flag notation: "S", "S.", "P.", "F.", "R", "none". */
export function tcpFlagsText(flags: number): string {
  let s = "";
  for (const [bit, letter] of TCP_FLAG_LETTERS) if (flags & bit) s += letter;
  return s === "" ? "none" : s;
}

export function formatTuple(t: FlowTuple): string {
  const end = (a: string, p: number) => (t.protocol === "tcp" || t.protocol === "udp" ? `${a.includes(":") ? `[${a}]` : a}:${p}` : a);
  const id = t.protocol === "icmp" || t.protocol === "icmpv6" ? (t.srcPort ? ` id ${t.srcPort}` : "") : "";
  return `${t.protocol} ${end(t.src, t.srcPort)} > ${end(t.dst, t.dstPort)}${id}`;
}

/** Per-flow counters. Created by FlowTable; the key fields are its business. */
export class Flow {
  readonly tuple: FlowTuple;
  packets = 0;
  bytes = 0;
  /** Packets/bytes from tuple.src to tuple.dst, and back. */
  packetsForward = 0;
  packetsReverse = 0;
  bytesForward = 0;
  bytesReverse = 0;
  /** OR of every TCP flags byte seen, both directions. */
  tcpFlags = 0;
  /** TCP initial sequence numbers (SYN, SYN-ACK); NAT leaves them alone, so they pair flows across captures. */
  initiatorIsn = -1;
  responderIsn = -1;
  /** FNV-1a of the first 64 payload bytes of the first packet with a payload, and that payload's length. */
  firstPayloadHash = -1;
  firstPayloadLength = 0;
  firstSec = 0;
  firstNsec = 0;
  lastSec = 0;
  lastNsec = 0;
  firstPacket = -1;
  lastPacket = -1;
  /** VLAN tag stacks ("100", "20/297") the flow's packets carried; the 5-tuple key does not separate VLANs, as tshark's conversations do not. */
  readonly vlans: string[] = [];
  /** Chain of flows sharing a hash bucket. */
  nextInBucket: Flow | undefined;

  constructor(
    readonly id: number,
    readonly ipVersion: number,
    readonly proto: number,
    /** VXLAN network id of the overlay this flow rides in, -1 for none. */
    readonly vni: number,
    /** Canonical key: endpoint a (lower) and b, with ports. */
    readonly ka: Uint32Array,
    readonly kb: Uint32Array,
    readonly kPorts: number,
    /** True when tuple.src is key endpoint a. */
    readonly forwardIsA: boolean,
  ) {
    const [src, dst] = forwardIsA ? [ka, kb] : [kb, ka];
    const pa = kPorts >>> 16;
    const pb = kPorts & 0xffff;
    this.tuple = {
      protocol: protocolName(proto),
      src: formatIp(ipVersion, src),
      srcPort: forwardIsA ? pa : pb,
      dst: formatIp(ipVersion, dst),
      dstPort: forwardIsA ? pb : pa,
    };
  }

  get first(): Timestamp {
    return { sec: this.firstSec, nsec: this.firstNsec };
  }

  get last(): Timestamp {
    return { sec: this.lastSec, nsec: this.lastNsec };
  }

  /** TCP flags seen, tcpdump letters, e.g. "SF.P". */
  get tcpFlagsSeen(): string {
    return tcpFlagsText(this.tcpFlags);
  }

  matchesKey(ip: IpLayer, aIsSrc: boolean, vni: number): boolean {
    if (this.proto !== ip.proto || this.vni !== vni || this.ipVersion !== ip.version) return false;
    const a = aIsSrc ? ip.src : ip.dst;
    const b = aIsSrc ? ip.dst : ip.src;
    const ports = aIsSrc ? ip.srcPort * 65536 + ip.dstPort : ip.dstPort * 65536 + ip.srcPort;
    return (
      this.kPorts === ports &&
      this.ka[0] === a[0] && this.ka[1] === a[1] && this.ka[2] === a[2] && this.ka[3] === a[3] &&
      this.kb[0] === b[0] && this.kb[1] === b[1] && this.kb[2] === b[2] && this.kb[3] === b[3]
    );
  }
}
