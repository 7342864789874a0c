import { isPrintableSecond, UNCONVERTIBLE_TIME } from "./clock.js";
import { IpProto, type IpLayer, type PacketView } from "./packet-view.js";

const enc = (s: string) => Buffer.from(s, "latin1");
const T = {
  IP: enc("IP "),
  IP6: enc("IP6 "),
  GT: enc(" > "),
  COLON: enc(": "),
  TCP: enc("tcp "),
  TCP_CUT: enc(" [|tcp]"),
  UDP: enc("UDP, length "),
  UDP_CUT: enc(" [|udp]"),
  LENGTH: enc(", length "),
  ICMP: enc("ICMP "),
  ICMP6: enc("ICMP6, "),
  ECHO_REQ: enc("echo request, id "),
  ECHO_REP: enc("echo reply, id "),
  SEQ: enc(", seq "),
  PROTO: enc("ip-proto-"),
  FRAG: enc("frag ("),
  ARP_REQ: enc("ARP, Request who-has "),
  ARP_TELL: enc(" tell "),
  ARP_REP: enc("ARP, Reply "),
  ARP_ISAT: enc(" is-at "),
  ARP_OTHER: enc("ARP, length "),
  ETHERTYPE: enc("ethertype 0x"),
  LINK: enc("link-type frame, length "),
  BAD_TIME: enc(`${UNCONVERTIBLE_TIME} `),
};
const HEX = enc("0123456789abcdef");
/** "0".."255" as bytes, for dotted quads without number-to-string conversions. */
const OCTETS = Array.from({ length: 256 }, (_, i) => enc(String(i)));
const ICMP_NAMES: Record<number, Buffer> = { 3: enc("destination unreachable"), 5: enc("redirect"), 11: enc("time exceeded"), 12: enc("parameter problem") };
const ICMP6_NAMES: Record<number, Buffer> = {
  1: enc("destination unreachable"),
  2: enc("packet too big"),
  3: enc("time exceeded"),
  133: enc("router solicitation"),
  134: enc("router advertisement"),
  135: enc("neighbor solicitation"),
  136: enc("neighbor advertisement"),
  143: enc("multicast listener report v2"),
};
/** Longest line we write: time, two IPv6 addresses with ports, fixed text, numbers. Flushing leaves this much room. */
const MAX_LINE = 256;

/**
 * `tcpdump -nn -q` lines written straight into a large byte buffer: no string per
 * packet, one chunk handed to the sink per `size` bytes. The decoded view holds
 * numbers and offsets only, so a line costs a few byte copies.
 *
 * Differences from tcpdump, on purpose: Linux cooked v2 lines carry no interface
 * name (tcpdump asks the running kernel for the name of the ifindex, which says
 * nothing about the capture host), and uncommon protocols get a short generic
 * description instead of tcpdump's per-protocol text.
 */
export class PacketLineWriter {
  private buf: Buffer;
  private pos = 0;
  private lastSec = -1;
  /** "HH:MM:SS." of lastSec. */
  private readonly secText = Buffer.alloc(9);
  lines = 0;

  constructor(
    private readonly sink: (chunk: Buffer) => void,
    private readonly size = 1 << 20,
  ) {
    this.buf = Buffer.allocUnsafe(size);
  }

  /** Write one packet's line; `originalLength` is the length on the wire. */
  line(view: PacketView, sec: number, nsec: number, originalLength: number): void {
    if (this.pos > this.size - MAX_LINE) this.flush();
    this.time(sec, nsec);
    const d = view.data;
    if (view.arpOffset >= 0) this.arp(d, view.arpOffset);
    else {
      // With -q tcpdump does not look inside VXLAN: the line is the underlay's.
      const ip = view.vni >= 0 ? view.outer : view.ip;
      if (ip.version !== 0) this.ip(d, ip);
      else if (view.etherType >= 0) {
        this.bytes(T.ETHERTYPE);
        this.hex(view.etherType, 4);
        this.bytes(T.LENGTH);
        this.num(originalLength);
      } else {
        this.bytes(T.LINK);
        this.num(originalLength);
      }
    }
    this.buf[this.pos++] = 10;
    this.lines++;
  }

  /** Hand what is buffered to the sink; the sink owns the chunk (a new buffer is taken for the next). */
  flush(): void {
    if (this.pos === 0) return;
    const chunk = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafe(this.size);
    this.pos = 0;
    this.sink(chunk);
  }

  private time(sec: number, nsec: number): void {
    if (sec !== this.lastSec) {
      if (!isPrintableSecond(sec)) {
        this.bytes(T.BAD_TIME);
        return;
      }
      this.lastSec = sec;
      const day = sec % 86_400;
      const t = this.secText;
      const hh = Math.floor(day / 3600);
      const mm = Math.floor(day / 60) % 60;
      const ss = day % 60;
      t[0] = 48 + Math.floor(hh / 10);
      t[1] = 48 + (hh % 10);
      t[2] = 58;
      t[3] = 48 + Math.floor(mm / 10);
      t[4] = 48 + (mm % 10);
      t[5] = 58;
      t[6] = 48 + Math.floor(ss / 10);
      t[7] = 48 + (ss % 10);
      t[8] = 46;
    }
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < 9; i++) b[p++] = this.secText[i]!;
    let us = Math.floor(nsec / 1000);
    for (let i = 5; i >= 0; i--) {
      b[p + i] = 48 + (us % 10);
      us = Math.floor(us / 10);
    }
    b[p + 6] = 32;
    this.pos = p + 7;
  }

  private ip(d: Buffer, ip: IpLayer): void {
    const v6 = ip.version === 6;
    this.bytes(v6 ? T.IP6 : T.IP);
    const proto = ip.proto;
    const ports = (proto === IpProto.TCP || proto === IpProto.UDP) && !ip.fragment && ip.l4Offset >= 0 && d.length - ip.l4Offset >= 4 && !(v6 && ip.fragmentId >= 0);
    this.address(d, ip, true);
    if (ports) this.port(ip.srcPort);
    this.bytes(T.GT);
    this.address(d, ip, false);
    if (ports) this.port(ip.dstPort);
    this.bytes(T.COLON);
    if (v6 && ip.fragmentId >= 0) {
      // tcpdump: "frag (offset|length)", then for a first fragment "sport > dport: " and the transport text.
      this.bytes(T.FRAG);
      this.num(ip.fragmentOffset);
      this.buf[this.pos++] = 124;
      this.num(ip.l4WireLength);
      this.buf[this.pos++] = 41;
      if (ip.fragment) return;
      this.buf[this.pos++] = 32;
      if (proto === IpProto.TCP || proto === IpProto.UDP) {
        this.num(ip.srcPort);
        this.bytes(T.GT);
        this.num(ip.dstPort);
        this.bytes(T.COLON);
      }
    }
    if (ip.fragment) {
      this.bytes(T.PROTO);
      this.num(proto);
      return;
    }
    const room = ip.l4Offset >= 0 ? d.length - ip.l4Offset : 0;
    if (proto === IpProto.TCP) {
      if (room < 20) {
        this.pos -= 1; // tcpdump prints ":  [|tcp]"
        this.buf[this.pos++] = 32;
        this.bytes(T.TCP_CUT);
        return;
      }
      this.bytes(T.TCP);
      this.num(Math.max(0, ip.l4WireLength - (d[ip.l4Offset + 12]! >> 4) * 4));
    } else if (proto === IpProto.UDP) {
      if (room < 8) {
        this.pos -= 1;
        this.buf[this.pos++] = 32;
        this.bytes(T.UDP_CUT);
        return;
      }
      const ulen = (d[ip.l4Offset + 4]! << 8) | d[ip.l4Offset + 5]!;
      this.bytes(T.UDP);
      this.num(ulen >= 8 ? ulen - 8 : Math.max(0, ip.l4WireLength - 8));
    } else if (proto === IpProto.ICMP || proto === IpProto.ICMPV6) {
      this.icmp(ip, proto === IpProto.ICMPV6);
    } else {
      this.bytes(T.PROTO);
      this.num(proto);
      this.buf[this.pos++] = 32;
      this.num(ip.l4WireLength);
    }
  }

  private icmp(ip: IpLayer, v6: boolean): void {
    this.bytes(v6 ? T.ICMP6 : T.ICMP);
    const type = ip.icmpType;
    const request = v6 ? type === 128 : type === 8;
    const reply = v6 ? type === 129 : type === 0;
    if ((request || reply) && ip.icmpSeq >= 0) {
      this.bytes(request ? T.ECHO_REQ : T.ECHO_REP);
      this.num(ip.srcPort);
      this.bytes(T.SEQ);
      this.num(ip.icmpSeq);
    } else {
      const name = (v6 ? ICMP6_NAMES : ICMP_NAMES)[type];
      if (name) this.bytes(name);
      else {
        this.bytes(enc("type "));
        this.num(type < 0 ? 0 : type);
      }
    }
    this.bytes(T.LENGTH);
    this.num(ip.l4WireLength);
  }

  private arp(d: Buffer, o: number): void {
    const op = d.length - o >= 28 && d[o + 4] === 6 && d[o + 5] === 4 ? (d[o + 6]! << 8) | d[o + 7]! : 0;
    if (op === 1) {
      this.bytes(T.ARP_REQ);
      this.quad(d, o + 24);
      this.bytes(T.ARP_TELL);
      this.quad(d, o + 14);
    } else if (op === 2) {
      this.bytes(T.ARP_REP);
      this.quad(d, o + 14);
      this.bytes(T.ARP_ISAT);
      for (let i = 0; i < 6; i++) {
        if (i > 0) this.buf[this.pos++] = 58;
        this.hex(d[o + 8 + i]!, 2);
      }
    } else {
      this.bytes(T.ARP_OTHER);
      this.num(28);
      return;
    }
    this.bytes(T.LENGTH);
    this.num(28);
  }

  private address(d: Buffer, ip: IpLayer, src: boolean): void {
    if (ip.version === 4) this.quad(d, ip.ipOffset + (src ? 12 : 16));
    else this.ipv6(d, ip.ipOffset + (src ? 8 : 24));
  }

  private quad(d: Buffer, o: number): void {
    for (let i = 0; i < 4; i++) {
      if (i > 0) this.buf[this.pos++] = 46;
      this.bytes(OCTETS[d[o + i]!]!);
    }
  }

  /** RFC 5952: lowercase, no leading zeros, the longest run (2+) of zero groups as "::". */
  private ipv6(d: Buffer, o: number): void {
    let best = -1;
    let bestLen = 1;
    for (let i = 0; i < 8; ) {
      if (d[o + 2 * i] === 0 && d[o + 2 * i + 1] === 0) {
        let j = i;
        while (j < 8 && d[o + 2 * j] === 0 && d[o + 2 * j + 1] === 0) j++;
        if (j - i > bestLen) {
          best = i;
          bestLen = j - i;
        }
        i = j;
      } else i++;
    }
    for (let i = 0; i < 8; i++) {
      if (i === best) {
        this.buf[this.pos++] = 58;
        if (i === 0) this.buf[this.pos++] = 58;
        i += bestLen - 1;
        continue;
      }
      const g = (d[o + 2 * i]! << 8) | d[o + 2 * i + 1]!;
      this.hexNoPad(g);
      if (i < 7) this.buf[this.pos++] = 58;
    }
  }

  private port(p: number): void {
    this.buf[this.pos++] = 46;
    this.num(p);
  }

  private num(n: number): void {
    const b = this.buf;
    if (n < 10) {
      b[this.pos++] = 48 + n;
      return;
    }
    let digits = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
    let p = this.pos + digits - 1;
    for (let x = n; p >= this.pos; x = Math.floor(x / 10)) b[p--] = 48 + (x % 10);
    this.pos += digits;
  }

  private hex(n: number, width: number): void {
    for (let i = width - 1; i >= 0; i--) this.buf[this.pos++] = HEX[(n >>> (4 * i)) & 15]!;
  }

  private hexNoPad(n: number): void {
    const width = n >= 0x1000 ? 4 : n >= 0x100 ? 3 : n >= 0x10 ? 2 : 1;
    this.hex(n, width);
  }

  private bytes(s: Buffer): void {
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < s.length; i++) b[p++] = s[i]!;
    this.pos = p;
  }
}
