import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decodePacket, readPcapBuffer } from "../pcap/index.js";
import type { Packet } from "../pcap/index.js";
import type { ReachClass } from "../probes/outcome.js";
import { countProbePackets, judgeReach, probeSynsAtSource, type ReachJudgement } from "./reach.js";

const j = (mustReach: boolean, cls: ReachClass, extra: Partial<ReachJudgement> = {}): ReachJudgement => ({
  mustReach,
  subject: "a → b at 10.0.0.2:80 (tcp)",
  outcome: { class: cls, why: "recorded", ...(cls === "unreachable" ? { at: "path" as const } : {}) },
  ...extra,
});
const none = { where: "b's namespace", requests: 0, replies: 0 };
const arrived = { where: "b's namespace", sent: 2, requests: 2, replies: 0 };
const neverSent = { where: "b's namespace", sent: 0, requests: 0, replies: 0 };

describe("isolation passes only on a proven block", () => {
  const table: [ReachClass, Partial<ReachJudgement>, string][] = [
    ["delivered", {}, "fail"],
    ["refused", {}, "fail"],
    ["unreachable", {}, "pass"],
    ["timeout", { arrival: none }, "pass"],
    ["timeout", { arrival: arrived }, "fail"],
    // nc ran and timed out, its SYNs never left the source (no ARP answer for the next hop), none arrived: blocked.
    ["timeout", { arrival: neverSent }, "pass"],
    ["timeout", {}, "inconclusive"],
    ["dns-failure", {}, "error"],
    ["dns-failure", { byName: true, nameLookup: { nxdomain: true, detail: "NXDOMAIN from 198.18.0.1" } }, "pass"],
    ["dns-failure", { byName: true, nameLookup: { nxdomain: false, detail: "no DNS server answered" } }, "inconclusive"],
    ["probe-error", {}, "error"],
  ];
  for (const [cls, extra, want] of table) {
    it(`${cls}${extra.arrival ? ` (${extra.arrival.requests}${extra.arrival.sent !== undefined ? ` of ${extra.arrival.sent}` : ""} arrived)` : ""}${extra.byName ? " by name" : ""} → ${want}`, () => {
      const v = judgeReach(j(false, cls, extra));
      expect(v.verdict).toBe(want);
      expect(v.status).toBe(want === "pass" ? "pass" : "fail");
    });
  }
  it("a refusal is called an open path, and the reply-lost case says so", () => {
    expect(judgeReach(j(false, "refused")).reason).toMatch(/path is open/);
    expect(judgeReach(j(false, "timeout", { arrival: arrived })).reason).toMatch(/2 of 2 probe packets arrived at b's namespace/);
    expect(judgeReach(j(false, "timeout", { arrival: neverSent })).reason).toMatch(/^blocked at the source: .*none of the probe's SYNs left the source/);
  });
});

describe("reachability passes only on delivery by the right node", () => {
  it("every class but delivered fails, with the class in the reason", () => {
    for (const cls of ["refused", "unreachable", "timeout", "dns-failure", "probe-error"] as const) {
      const v = judgeReach(j(true, cls));
      expect(v.status, cls).toBe("fail");
      expect(v.reason).toContain(cls);
    }
  });
  it("a different node answering is a failure", () => {
    expect(judgeReach(j(true, "delivered", { identity: "c", expectIdentity: "b" })).status).toBe("fail");
    expect(judgeReach(j(true, "delivered", { identity: "b", expectIdentity: "b" })).status).toBe("pass");
  });
});

describe("counting the probe's own packets at the target", () => {
  const tcp = (dst: number, flags: number, seq: number, ack = 0) => ({ tcp: { srcPort: 40000, dstPort: dst, flags, seq, ack }, payload: Buffer.alloc(0) }) as unknown as Packet;
  it("tcp: the probe's ISNs from the source, then SYNs carrying them and answers acknowledging them at the target", () => {
    const atSource = [tcp(80, 0x02, 1000), tcp(80, 0x02, 1000), tcp(80, 0x02, 2000), tcp(443, 0x02, 3000), tcp(80, 0x10, 5)];
    const isns = probeSynsAtSource(atSource, { proto: "tcp", dstPort: 80 });
    expect(isns.sort()).toEqual([1000, 2000]);
    const atTarget = [tcp(80, 0x02, 1000), tcp(80, 0x02, 1000), tcp(80, 0x02, 7777), tcp(40000, 0x12, 9, 1001), tcp(40000, 0x14, 0, 2001), tcp(40000, 0x12, 9, 7778)];
    expect(countProbePackets(atTarget, { proto: "tcp", dstPort: 80, isns })).toEqual({ requests: 2, replies: 2 });
    expect(countProbePackets(atTarget, { proto: "tcp", dstPort: 80, isns: [] })).toEqual({ requests: 0, replies: 0 });
  });
  const icmp = (type: number, size: number) => ({ ip: { version: 4 }, icmp: { type, code: 0 }, payload: Buffer.alloc(size) }) as unknown as Packet;
  it("icmp: echo requests and replies of the probe's payload size only", () => {
    const pk = [icmp(8, 333), icmp(0, 333), icmp(8, 56), icmp(3, 333)];
    expect(countProbePackets(pk, { proto: "icmp", payloadSize: 333 })).toEqual({ requests: 1, replies: 1 });
  });
});

describe("counting the probe's own packets over IPv6 (a real capture at the target, test/fixtures/pcap/v6-probes.pcap)", () => {
  const packets = [...readPcapBuffer(readFileSync(new URL("../../test/fixtures/pcap/v6-probes.pcap", import.meta.url)))].map((r, i) => decodePacket(r, i));
  it("ICMPv6 echo by payload size; NDP, MLD (behind a hop-by-hop header) and other sizes are not the probe", () => {
    expect(packets.some((p) => p.ip?.version === 6 && p.icmp?.type === 143)).toBe(true);
    expect(countProbePackets(packets, { proto: "icmp", payloadSize: 333, family: 6 })).toEqual({ requests: 2, replies: 2 });
    expect(countProbePackets(packets, { proto: "icmp", payloadSize: 56, family: 6 })).toEqual({ requests: 1, replies: 1 });
    // A v4 signature never counts v6 echoes (type 8/0 are not ICMPv6 echo).
    expect(countProbePackets(packets, { proto: "icmp", payloadSize: 333 })).toEqual({ requests: 0, replies: 0 });
  });
  it("TCP over IPv6 by the SYN's ISN: SYN/ACK and RST acknowledge it", () => {
    expect(countProbePackets(packets, { proto: "tcp", dstPort: 80, isns: [1947975585], family: 6 })).toEqual({ requests: 1, replies: 1 });
    expect(countProbePackets(packets, { proto: "tcp", dstPort: 81, isns: [118626906], family: 6 })).toEqual({ requests: 1, replies: 1 });
    expect(probeSynsAtSource(packets, { proto: "tcp", dstPort: 81 })).toEqual([118626906]);
    expect(countProbePackets(packets, { proto: "tcp", dstPort: 80, isns: [1], family: 6 })).toEqual({ requests: 0, replies: 0 });
  });
});
