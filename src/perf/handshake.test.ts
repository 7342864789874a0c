import { describe, expect, it } from "vitest";
import type { Packet } from "../pcap/index.js";
import { handshakeTimesMs } from "./handshake.js";

const S = 0x02;
const SA = 0x12;
let n = 0;
function pkt(usec: number, src: string, sport: number, dst: string, dport: number, flags: number, seq: number, ack = 0): Packet {
  return {
    index: n++,
    offset: 0,
    ts: { sec: 1_700_000_000 + Math.floor(usec / 1e6), nsec: (usec % 1e6) * 1000 },
    linkType: 1,
    capturedLength: 60,
    originalLength: 60,
    vlans: [],
    ip: { version: 4, src, dst, ttl: 64, protocol: 6, fragment: false },
    tcp: { srcPort: sport, dstPort: dport, flags, flagsText: "", seq, ack, window: 0 },
  } as unknown as Packet;
}
const to = { address: "10.0.0.2", port: 80 };

describe("handshakeTimesMs", () => {
  it("pairs each SYN with the SYN/ACK acking its seq + 1, in µs", () => {
    const packets = [
      pkt(100, "10.0.0.1", 40000, "10.0.0.2", 80, S, 1000),
      pkt(150, "10.0.0.1", 40001, "10.0.0.2", 80, S, 5000),
      pkt(187, "10.0.0.2", 80, "10.0.0.1", 40000, SA, 9, 1001),
      pkt(400, "10.0.0.2", 80, "10.0.0.1", 40001, SA, 9, 5001),
    ];
    expect(handshakeTimesMs(packets, to)).toEqual([0.087, 0.25]);
  });

  it("ignores SYN/ACKs answering other SYNs, other ports and other hosts, and counts a duplicate sighting once", () => {
    const packets = [
      pkt(100, "10.0.0.1", 40000, "10.0.0.2", 80, S, 1000),
      pkt(101, "10.0.0.1", 40000, "10.0.0.2", 80, S, 1000), // the same frame on a second interface
      pkt(120, "10.0.0.2", 80, "10.0.0.1", 40000, SA, 9, 77), // acks nothing we sent
      pkt(130, "10.0.0.3", 80, "10.0.0.1", 40000, SA, 9, 1001), // another host
      pkt(140, "10.0.0.2", 81, "10.0.0.1", 40000, SA, 9, 1001), // another port
      pkt(300, "10.0.0.2", 80, "10.0.0.1", 40000, SA, 9, 1001),
      pkt(900, "10.0.0.2", 80, "10.0.0.1", 40000, SA, 9, 1001), // a retransmitted SYN/ACK: already paired
    ];
    expect(handshakeTimesMs(packets, to)).toEqual([0.2]);
  });

  it("a SYN that was never answered yields no sample; seq wraps at 2^32", () => {
    const packets = [pkt(100, "10.0.0.1", 40000, "10.0.0.2", 80, S, 0xffffffff), pkt(200, "10.0.0.2", 80, "10.0.0.1", 40000, SA, 1, 0), pkt(300, "10.0.0.1", 40002, "10.0.0.2", 80, S, 7)];
    expect(handshakeTimesMs(packets, to)).toEqual([0.1]);
  });
});
