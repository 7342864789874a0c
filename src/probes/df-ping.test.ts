import { describe, expect, it } from "vitest";
import { recordedDfPing } from "../../test/fixtures/ping-df/load.js";
import { describeDfPing, dfPingProbe, parseDfPing } from "./df-ping.js";

describe("dfPingProbe", () => {
  it("sets don't-fragment (-M do) and the payload size", () => {
    expect(dfPingProbe("10.0.1.3", 1422).command).toEqual(["ping", "-M", "do", "-n", "-c", "2", "-i", "0.2", "-W", "1", "-s", "1422", "10.0.1.3"]);
    expect(() => dfPingProbe("10.0.1.3", -1)).toThrow(RangeError);
  });
});

describe("parseDfPing on recorded iputils output", () => {
  it("a packet that fits: answered", () => {
    const r = parseDfPing(recordedDfPing("fits"), "10.250.1.1", 1472);
    expect(r).toMatchObject({ ran: true, transmitted: 2, received: 2, packetSize: 1500 });
    expect(describeDfPing(r)).toBe("1500-byte DF packet (payload 1472): 2/2 answered");
  });
  it("one byte over the interface MTU: refused by the sender's kernel, with the MTU", () => {
    const r = parseDfPing(recordedDfPing("too-long"), "10.250.1.1", 1473);
    expect(r).toMatchObject({ ran: true, received: 0, localMtu: 1500 });
    expect(r.fragNeeded).toBeUndefined();
  });
  it("a smaller MTU further on: the hop's Frag needed wins over the cached local refusal", () => {
    const r = parseDfPing(recordedDfPing("frag-needed"), "10.250.2.2", 1472);
    expect(r).toMatchObject({ ran: true, received: 0, fragNeeded: { from: "10.250.1.1", mtu: 1400 }, localMtu: 1400 });
    expect(describeDfPing(r)).toMatch(/refused by 10\.250\.1\.1 \(Frag needed and DF set, mtu 1400\)/);
  });
  it("a black hole: lost with no error", () => {
    const r = parseDfPing(recordedDfPing("black-hole"), "10.250.2.2", 1472);
    expect(r).toMatchObject({ ran: true, transmitted: 2, received: 0 });
    expect(r.localMtu ?? r.fragNeeded ?? r.unreachable).toBeUndefined();
    expect(describeDfPing(r)).toMatch(/silently lost/);
  });
  it("an unreachable network", () => {
    const r = parseDfPing(recordedDfPing("unreachable"), "10.250.9.9", 56);
    expect(r.unreachable).toBe("Destination Net Unreachable from 10.250.1.1");
  });
  it("a ping that could not run (busybox has no -M) is not a result", () => {
    const r = parseDfPing({ ...recordedDfPing("fits"), exitCode: 1, stdout: "", stderr: "ping: invalid option -- 'M'\nBusyBox v1.35.0 multi-call binary." }, "10.0.0.1", 56);
    expect(r.ran).toBe(false);
    expect(r.error).toMatch(/invalid option/);
  });
});
