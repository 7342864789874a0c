import { describe, expect, it } from "vitest";
import type { Packet } from "../pcap/index.js";
import { assertVxlan } from "./vxlan.js";
import { assertSwarmReady, parseNodeLs } from "./swarm.js";

const H1 = "10.213.5.2";
const H2 = "10.213.5.3";
const A = "10.213.9.2";
const B = "10.213.9.3";
const pkt = (src: string, dst: string, outer?: { src: string; dst: string; port?: number; vni?: number }): Packet =>
  ({
    ip: { version: 4, src, dst, ttl: 64, protocol: 1, fragment: false },
    ...(outer ? { vxlan: { vni: outer.vni ?? 4097, outer: { protocol: "udp", src: outer.src, srcPort: 40000, dst: outer.dst, dstPort: outer.port ?? 4789 } } } : {}),
  }) as unknown as Packet;
const good = [pkt(A, B, { src: H1, dst: H2 }), pkt(B, A, { src: H2, dst: H1 }), pkt(A, B, { src: H1, dst: H2 }), pkt(B, A, { src: H2, dst: H1 })];
const exp = { outer: { a: H1, b: H2 }, inner: { a: A, b: B }, vni: 4097 };

describe("assertVxlan", () => {
  it("passes on both directions wrapped between the underlay addresses in the network's VNI", () => {
    const v = assertVxlan(good, exp);
    expect(v.status).toBe("pass");
    expect(v.reason).toContain("VNI 4097");
  });
  // Wrong-expectation twins: each must fail.
  it("fails when the expected VNI is another network's", () => {
    expect(assertVxlan(good, { ...exp, vni: 4098 })).toMatchObject({ status: "fail", reason: expect.stringContaining("network's VNI is 4098") });
  });
  it("fails when the outer header is between other addresses", () => {
    expect(assertVxlan(good, { ...exp, outer: { a: H1, b: "10.213.5.9" } }).status).toBe("fail");
  });
  it("fails on the inner packets crossing unwrapped (routed, not an overlay)", () => {
    expect(assertVxlan([pkt(A, B), pkt(B, A)], exp)).toMatchObject({ status: "fail", reason: expect.stringContaining("without VXLAN") });
  });
  it("fails when nothing of the conversation was captured", () => {
    expect(assertVxlan([pkt("10.0.0.1", "10.0.0.2", { src: H1, dst: H2 })], exp)).toMatchObject({ status: "fail", reason: expect.stringContaining("no packet") });
  });
  it("fails when only one direction is seen, or on another UDP port", () => {
    expect(assertVxlan([pkt(A, B, { src: H1, dst: H2 })], exp).status).toBe("fail");
    expect(assertVxlan([pkt(A, B, { src: H1, dst: H2, port: 8472 }), pkt(B, A, { src: H2, dst: H1, port: 8472 })], exp).status).toBe("fail");
  });
});

describe("assertSwarmReady", () => {
  const rows = parseNodeLs("h1\tReady\tActive\tLeader\nh2\tReady\tActive\t\n");
  it("passes when every host is Ready and Active under the expected leader", () => {
    expect(assertSwarmReady(rows, ["h1", "h2"], "h1").status).toBe("pass");
  });
  it("fails on a missing node, a Down node or another leader", () => {
    expect(assertSwarmReady(rows, ["h1", "h2", "h3"], "h1").status).toBe("fail");
    expect(assertSwarmReady(parseNodeLs("h1\tReady\tActive\tLeader\nh2\tDown\tActive\t"), ["h1", "h2"], "h1").status).toBe("fail");
    expect(assertSwarmReady(rows, ["h1", "h2"], "h2").status).toBe("fail");
  });
});
