import { describe, expect, it } from "vitest";
import { buildAnswer, buildQuery, parseQuestion, TYPE_AAAA } from "./dns-wire.js";

describe("lab DNS wire format", () => {
  it("round-trips a question and answers A records", () => {
    const q = buildQuery(0x1234, "ext.netcheck.test");
    const parsed = parseQuestion(q)!;
    expect(parsed).toMatchObject({ id: 0x1234, name: "ext.netcheck.test", type: 1, recursionDesired: true });
    const ans = buildAnswer(q, parsed, ["198.18.3.2"]);
    expect(ans.readUInt16BE(0)).toBe(0x1234);
    expect(ans.readUInt16BE(2) & 0x000f).toBe(0);
    expect(ans.readUInt16BE(6)).toBe(1);
    expect([...ans.subarray(ans.length - 4)]).toEqual([198, 18, 3, 2]);
  });

  it("answers AAAA with the v6 addresses only, A with the v4 ones only", () => {
    const zone = ["198.18.3.2", "fd6e:1:2::2"];
    const q6 = buildQuery(9, "ext.netcheck.test", TYPE_AAAA);
    const a6 = buildAnswer(q6, parseQuestion(q6)!, zone);
    expect(a6.readUInt16BE(6)).toBe(1);
    expect(a6.readUInt16BE(a6.length - 26)).toBe(TYPE_AAAA);
    expect(a6.readUInt16BE(a6.length - 18)).toBe(16);
    expect(a6.subarray(a6.length - 16).toString("hex")).toBe("fd6e0001000200000000000000000002");
    const q4 = buildQuery(10, "ext.netcheck.test");
    const a4 = buildAnswer(q4, parseQuestion(q4)!, zone);
    expect(a4.readUInt16BE(6)).toBe(1);
    expect([...a4.subarray(a4.length - 4)]).toEqual([198, 18, 3, 2]);
    // A name with no v6 address: NOERROR, no answer (not NXDOMAIN: the name exists).
    const none = buildAnswer(q6, parseQuestion(q6)!, ["198.18.3.2"]);
    expect(none.readUInt16BE(2) & 0x000f).toBe(0);
    expect(none.readUInt16BE(6)).toBe(0);
  });

  it("answers NXDOMAIN for names outside the zone", () => {
    const q = buildQuery(7, "example.com");
    const ans = buildAnswer(q, parseQuestion(q)!, undefined);
    expect(ans.readUInt16BE(2) & 0x000f).toBe(3);
    expect(ans.readUInt16BE(6)).toBe(0);
  });

  it("rejects truncated and looping input instead of crashing", () => {
    expect(parseQuestion(Buffer.alloc(5))).toBeUndefined();
    const bad = buildQuery(1, "a.b");
    expect(parseQuestion(bad.subarray(0, 14))).toBeUndefined();
    const ptr = Buffer.concat([bad.subarray(0, 12), Buffer.from([0xc0, 0x0c, 0, 1, 0, 1])]);
    expect(parseQuestion(ptr)).toBeUndefined();
  });
});
