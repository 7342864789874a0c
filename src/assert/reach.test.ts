import { describe, expect, it } from "vitest";
import type { Packet } from "../pcap/index.js";
import type { ReachClass } from "../probes/outcome.js";
import { countProbePackets, judgeReach, type ReachJudgement } from "./reach.js";

const j = (mustReach: boolean, cls: ReachClass, extra: Partial<ReachJudgement> = {}): ReachJudgement => ({
  mustReach,
  subject: "a → b at 10.0.0.2:80 (tcp)",
  outcome: { class: cls, why: "recorded", ...(cls === "unreachable" ? { at: "path" as const } : {}) },
  ...extra,
});
const none = { where: "b's namespace", requests: 0, replies: 0 };
const arrived = { where: "b's namespace", requests: 2, replies: 0 };

describe("isolation passes only on a proven block", () => {
  const table: [ReachClass, Partial<ReachJudgement>, string][] = [
    ["delivered", {}, "fail"],
    ["refused", {}, "fail"],
    ["unreachable", {}, "pass"],
    ["timeout", { arrival: none }, "pass"],
    ["timeout", { arrival: arrived }, "fail"],
    ["timeout", {}, "inconclusive"],
    ["dns-failure", {}, "error"],
    ["dns-failure", { byName: true, nameLookup: { nxdomain: true, detail: "NXDOMAIN from 198.18.0.1" } }, "pass"],
    ["dns-failure", { byName: true, nameLookup: { nxdomain: false, detail: "no DNS server answered" } }, "inconclusive"],
    ["probe-error", {}, "error"],
  ];
  for (const [cls, extra, want] of table) {
    it(`${cls}${extra.arrival ? ` (${extra.arrival.requests} arrived)` : ""}${extra.byName ? " by name" : ""} → ${want}`, () => {
      const v = judgeReach(j(false, cls, extra));
      expect(v.verdict).toBe(want);
      expect(v.status).toBe(want === "pass" ? "pass" : "fail");
    });
  }
  it("a refusal is called an open path, and the reply-lost case says so", () => {
    expect(judgeReach(j(false, "refused")).reason).toMatch(/path is open/);
    expect(judgeReach(j(false, "timeout", { arrival: arrived })).reason).toMatch(/2 probe packets arrived at b's namespace/);
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
  const tcp = (src: number, dst: number, flags: number) => ({ tcp: { srcPort: src, dstPort: dst, flags }, payload: Buffer.alloc(0) }) as unknown as Packet;
  const icmp = (type: number, size: number) => ({ ip: { version: 4 }, icmp: { type, code: 0 }, payload: Buffer.alloc(size) }) as unknown as Packet;
  it("tcp: SYNs from the probe's source port, answers to it", () => {
    const pk = [tcp(23456, 80, 0x02), tcp(23456, 80, 0x02), tcp(80, 23456, 0x12), tcp(11111, 80, 0x02), tcp(80, 23456, 0x14)];
    expect(countProbePackets(pk, { proto: "tcp", srcPort: 23456, dstPort: 80 })).toEqual({ requests: 2, replies: 2 });
  });
  it("icmp: echo requests and replies of the probe's payload size only", () => {
    const pk = [icmp(8, 333), icmp(0, 333), icmp(8, 56), icmp(3, 333)];
    expect(countProbePackets(pk, { proto: "icmp", payloadSize: 333 })).toEqual({ requests: 1, replies: 1 });
  });
});
