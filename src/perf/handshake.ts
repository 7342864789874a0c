/**
 * TCP connect time from a capture at the source: the microsecond timestamps of
 * each SYN and the SYN/ACK that answers it (ack = its seq + 1, ports and
 * addresses reversed). A timer around `nc` measures process start too, at the
 * timer's resolution; the kernel's own stamps on the wire do not. Pure.
 */
import { TcpFlag, type Packet, type Timestamp } from "../pcap/index.js";

const micros = (t: Timestamp) => t.sec * 1e6 + t.nsec / 1e3;

/** One sample per SYN that got its SYN/ACK, in ms (µs resolution), in capture order. */
export function handshakeTimesMs(packets: readonly Packet[], to: { address: string; port: number }): number[] {
  const syns = new Map<string, Packet>();
  const out: number[] = [];
  for (const p of packets) {
    const tcp = p.tcp;
    if (!tcp || !p.ip || (tcp.flags & TcpFlag.SYN) === 0) continue;
    const isAck = (tcp.flags & TcpFlag.ACK) !== 0;
    if (!isAck && p.ip.dst === to.address && tcp.dstPort === to.port) {
      // The first sighting counts (a capture on "any" may see one frame on two interfaces); a retransmitted SYN keeps its seq.
      const key = `${p.ip.src}:${tcp.srcPort}>${(tcp.seq + 1) >>> 0}`;
      if (!syns.has(key)) syns.set(key, p);
    } else if (isAck && p.ip.src === to.address && tcp.srcPort === to.port) {
      const key = `${p.ip.dst}:${tcp.dstPort}>${tcp.ack}`;
      const syn = syns.get(key);
      if (!syn) continue;
      syns.delete(key);
      out.push(Math.round(micros(p.ts) - micros(syn.ts)) / 1000);
    }
  }
  return out;
}

/** The tcpdump filter for what handshakeTimesMs reads: SYNs and SYN/ACKs to and from the port. */
export function handshakeFilter(to: { address: string; port: number }): string {
  return `tcp and host ${to.address} and port ${to.port} and tcp[tcpflags] & tcp-syn != 0`;
}
