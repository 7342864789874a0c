import { describe, expect, it } from "vitest";
import type { Packet } from "../pcap/index.js";
import { judgeEncryptedUnderlay } from "./encrypted-underlay.js";

const outer = { a: "10.213.68.2", b: "10.213.68.3" };
const esp = (src: string, dst: string) => ({ ip: { version: 4, src, dst, ttl: 64, protocol: 50, fragment: false } }) as unknown as Packet;
const vxlan = (src: string, dst: string, innerSrc = "10.0.1.2", innerDst = "10.0.1.3") =>
  ({ ip: { version: 4, src: innerSrc, dst: innerDst, ttl: 64, protocol: 1, fragment: false }, vxlan: { vni: 4097, outer: { src, dst, protocol: "udp", srcPort: 40000, dstPort: 4789 } } }) as unknown as Packet;
const undecoded4789 = (src: string, dst: string) => ({ ip: { version: 4, src, dst, ttl: 64, protocol: 17, fragment: false }, udp: { srcPort: 40000, dstPort: 4789 } }) as unknown as Packet;

describe("judgeEncryptedUnderlay", () => {
  it("passes on ESP both ways and no plaintext VXLAN", () => {
    const v = judgeEncryptedUnderlay([esp(outer.a, outer.b), esp(outer.b, outer.a), esp(outer.a, outer.b)], outer);
    expect(v).toMatchObject({ status: "pass", esp: 3, plaintext: 0 });
  });
  it("one plaintext VXLAN packet fails, whatever ESP there is (wrong expectation: a plain overlay)", () => {
    const v = judgeEncryptedUnderlay([esp(outer.a, outer.b), esp(outer.b, outer.a), vxlan(outer.a, outer.b)], outer);
    expect(v.status).toBe("fail");
    expect(v.reason).toMatch(/1 plaintext VXLAN packets .* not encrypted/);
  });
  it("no ESP at all is no proof", () => {
    expect(judgeEncryptedUnderlay([], outer).reason).toMatch(/no ESP both ways/);
  });
  it("ESP between other hosts does not count", () => {
    expect(judgeEncryptedUnderlay([esp("10.9.9.9", outer.b), esp(outer.b, "10.9.9.9")], outer).status).toBe("fail");
  });
  describe("with the overlay's own subnet", () => {
    const both = [esp(outer.a, outer.b), esp(outer.b, outer.a)];
    it("another overlay's plaintext between the same hosts is not this one's (noted, not counted)", () => {
      const v = judgeEncryptedUnderlay([...both, vxlan(outer.a, outer.b, "10.213.154.7", "10.213.154.13")], outer, "10.213.9.0/24");
      expect(v).toMatchObject({ status: "pass", plaintext: 0 });
      expect(v.reason).toMatch(/1 plaintext VXLAN packets of other networks .* not counted/);
    });
    it("its own plaintext fails (the twin: an overlay made without --opt encrypted)", () => {
      const v = judgeEncryptedUnderlay([...both, vxlan(outer.b, outer.a, "10.213.9.3", "10.213.9.2")], outer, "10.213.9.0/24");
      expect(v.status).toBe("fail");
      expect(v.reason).toMatch(/1 plaintext VXLAN packets of 10\.213\.9\.0\/24/);
    });
    it("UDP 4789 that does not decode as VXLAN cannot be attributed: it counts", () => {
      expect(judgeEncryptedUnderlay([...both, undecoded4789(outer.a, outer.b)], outer, "10.213.9.0/24").status).toBe("fail");
    });
    it("other networks' plaintext never stands in for ESP", () => {
      expect(judgeEncryptedUnderlay([vxlan(outer.a, outer.b, "10.213.154.7", "10.213.154.13")], outer, "10.213.9.0/24").reason).toMatch(/no ESP both ways/);
    });
  });
});
