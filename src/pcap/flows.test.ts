import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { classicPcap, ethernet, ipv4, tcpConversation, udp, vxlan } from "../../test/fixtures/pcap/craft.js";
import { Capture, correlateByToken } from "./capture.js";
import { CaptureSummarizer } from "./capture-summary.js";
import { matchNatPairs } from "./nat-pairs.js";
import { readPcapBuffer } from "./read.js";
import { renderCaptureSummary, renderNatPairs } from "./render.js";

const FIXTURES = new URL("../../test/fixtures/pcap/", import.meta.url).pathname;
const capture = (frames: Buffer[], name: string) =>
  Capture.fromBuffer(classicPcap(frames.map((data, i) => ({ data, sec: 1_700_000_000 + i, nsec: i * 1000 }))), name);

// A client talks to a published port; the "after" capture is behind DNAT (to the container) and SNAT-free.
const TOKEN = "nc0123456789ab";
const before = capture(tcpConversation(["10.9.0.5", 40001], ["10.9.0.1", 18080], TOKEN), "outside.pcap");
const after = capture(tcpConversation(["10.9.0.5", 40001], ["172.18.0.3", 80], TOKEN), "bridge.pcap");

describe("flow table", () => {
  it("counts a TCP conversation as one bidirectional flow oriented from the SYN sender", () => {
    const flows = before.flows.all();
    expect(flows).toHaveLength(1);
    const f = flows[0]!;
    expect(f.tuple).toEqual({ protocol: "tcp", src: "10.9.0.5", srcPort: 40001, dst: "10.9.0.1", dstPort: 18080 });
    expect([f.packets, f.packetsForward, f.packetsReverse]).toEqual([5, 3, 2]);
    expect(f.tcpFlagsSeen).toBe("SFP.");
    expect([f.initiatorIsn, f.responderIsn]).toEqual([1000, 5000]);
    expect(f.first).toEqual({ sec: 1_700_000_000, nsec: 0 });
    expect(f.last).toEqual({ sec: 1_700_000_004, nsec: 4000 });
    expect(f.bytes).toBe(before.records.reduce((n, r) => n + r.originalLength, 0));
  });

  it("finds flows by protocol, address and port", () => {
    const fx = Capture.fromBuffer(readFileSync(FIXTURES + "lo-ipv4.pcap"));
    expect(fx.flows.find({ protocol: "tcp", port: 8080 })).toHaveLength(1);
    expect(fx.flows.find({ protocol: "icmp", address: "127.0.0.1" })).toHaveLength(1);
    expect(fx.flows.find({ protocol: "udp" })).toHaveLength(0);
    expect(fx.flows.find({ dstPort: 8080 })[0]!.tuple.srcPort).not.toBe(8080);
    const v6 = Capture.fromBuffer(readFileSync(FIXTURES + "lo-ipv6.pcap"));
    expect(v6.flows.find({ address: "0:0::1", protocol: "icmpv6" })).toHaveLength(1);
  });

  it("keeps VXLAN overlay and underlay flows apart", () => {
    const inner = (src: string) => ethernet(0x0800, ipv4(src, "192.168.0.9", 17, udp(7, 8, Buffer.from("x"))));
    const c = capture([1, 2].map((vni) => ethernet(0x0800, ipv4("172.30.0.1", "172.30.0.2", 17, udp(50000, 4789, vxlan(vni, inner("192.168.0.1")))))), "vx");
    expect(c.flows.find({ dstPort: 4789 })).toHaveLength(1);
    expect(c.flows.find({ src: "192.168.0.1" }).map((f) => f.vni).sort()).toEqual([1, 2]);
    expect(c.flowOf(0)!.vni).toBe(1);
  });

  it("stops tracking new flows at maxFlows and says so", () => {
    const s = new CaptureSummarizer("many", { maxFlows: 3 });
    const frames = Array.from({ length: 10 }, (_, i) => ethernet(0x0800, ipv4("10.0.0.1", "10.0.0.2", 17, udp(1000 + i, 53, Buffer.alloc(0)))));
    for (const r of readPcapBuffer(classicPcap(frames.map((data) => ({ data }))))) s.add(r);
    expect(s.summary.flows.size).toBe(3);
    expect(s.summary.flows.untrackedPackets).toBe(7);
    expect(renderCaptureSummary(s.summary).join("\n")).toContain("7 packets not attributed");
  });
});

describe("NAT evidence", () => {
  it("correlateByToken gives each capture's tuple for the token's packets", () => {
    const c = correlateByToken(before, after, TOKEN);
    expect(c.a.tuples).toEqual([{ protocol: "tcp", src: "10.9.0.5", srcPort: 40001, dst: "10.9.0.1", dstPort: 18080 }]);
    expect(c.b.tuples).toEqual([{ protocol: "tcp", src: "10.9.0.5", srcPort: 40001, dst: "172.18.0.3", dstPort: 80 }]);
    expect([c.a.packets, c.b.packets, c.rewritten]).toEqual([1, 1, true]);
    expect(correlateByToken(before, before, TOKEN).rewritten).toBe(false);
    expect(correlateByToken(before, after, "absent").a.tuples).toEqual([]);
  });

  const summarize = (c: Capture, tokens: string[] = []) => {
    const s = new CaptureSummarizer(c.source, { tokens });
    for (const r of c.records) s.add(r);
    return s.summary;
  };

  it("matchNatPairs pairs by token, else by TCP ISN, and names the rewrite", () => {
    const byToken = matchNatPairs(summarize(before, [TOKEN]), summarize(after, [TOKEN]));
    expect(byToken.map((p) => [p.matchedBy, p.rewrite])).toEqual([["token", "dnat"]]);
    const byIsn = matchNatPairs(summarize(before), summarize(after));
    expect(byIsn.map((p) => [p.matchedBy, p.detail, p.rewrite])).toEqual([["tcp-isn", "ISN 1000/5000", "dnat"]]);
    const other = capture(tcpConversation(["10.9.0.5", 40001], ["172.18.0.3", 80], TOKEN, 7, 9), "other");
    expect(matchNatPairs(summarize(before), summarize(other))).toEqual([]);
    expect(renderNatPairs(byIsn, ["outside.pcap", "bridge.pcap"]).join("\n")).toContain("tcp 10.9.0.5:40001 > 10.9.0.1:18080  ⇒  tcp 10.9.0.5:40001 > 172.18.0.3:80  [DNAT; matched by ISN 1000/5000]");
  });

  it("matches UDP across SNAT by first payload", () => {
    const u = (src: string, sport: number) => [ethernet(0x0800, ipv4(src, "10.1.0.3", 17, udp(sport, 53, Buffer.from("query-bytes-1"))))];
    const pairs = matchNatPairs(summarize(capture(u("172.18.0.2", 5000), "a")), summarize(capture(u("10.9.0.1", 61000), "b")));
    expect(pairs.map((p) => [p.matchedBy, p.rewrite])).toEqual([["payload", "snat"]]);
  });
});
