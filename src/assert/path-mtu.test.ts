import { describe, expect, it } from "vitest";
import { recordedDfPing } from "../../test/fixtures/ping-df/load.js";
import { parseDfPing } from "../probes/df-ping.js";
import { judgePathMtu, type PathMtuFacts } from "./path-mtu.js";

const small = parseDfPing(recordedDfPing("fits"), "10.250.1.1", 56);
const fits = parseDfPing(recordedDfPing("fits"), "10.250.1.1", 1472);
const over = parseDfPing(recordedDfPing("too-long"), "10.250.1.1", 1473);
const healthy: PathMtuFacts = { subject: "a → b at 10.250.1.1", iface: "eth0", ifaceMtu: 1500, expectMtu: 1500, small, fits, over };

describe("judgePathMtu", () => {
  it("passes when exactly the MTU crosses and one byte more does not", () => {
    const v = judgePathMtu(healthy);
    expect(v.status).toBe("pass");
    expect(v.reason).toMatch(/largest don't-fragment packet .* is 1500 bytes/);
  });
  it("a silent black hole fails naming the MTU, the largest size that crossed and the hint", () => {
    const v = judgePathMtu({ ...healthy, fits: parseDfPing(recordedDfPing("black-hole"), "10.250.2.2", 1472), largestCrossing: 1400, hint: "underlay MTU ≥ overlay MTU + 50" });
    expect(v.status).toBe("fail");
    expect(v.reason).toMatch(/^MTU black hole: .*vanish silently.*largest DF packet that crosses is 1400 bytes.*underlay MTU/);
  });
  it("a hop's Frag needed is a failure too, with its MTU", () => {
    const v = judgePathMtu({ ...healthy, fits: parseDfPing(recordedDfPing("frag-needed"), "10.250.2.2", 1472) });
    expect(v.reason).toMatch(/MTU black hole: .*Frag needed, mtu 1400/);
  });
  it("wrong expectation: a path MTU larger than the sender's route MTU fails (refused locally)", () => {
    const v = judgePathMtu({ ...healthy, expectMtu: 1501, fits: over, over });
    expect(v.status).toBe("fail");
    expect(v.reason).toMatch(/route MTU is 1500.*not the expected 1501/);
  });
  it("wrong expectation: a path MTU smaller than the real one fails (the larger packet crossed)", () => {
    const v = judgePathMtu({ ...healthy, expectMtu: 1400, fits, over: fits });
    expect(v.status).toBe("fail");
    expect(v.reason).toMatch(/path MTU is above the expected 1400/);
  });
  it("no path at all is inconclusive, not an MTU verdict", () => {
    const lost = parseDfPing(recordedDfPing("unreachable"), "10.250.9.9", 56);
    const v = judgePathMtu({ ...healthy, small: lost, fits: lost, over: lost });
    expect(v).toMatchObject({ status: "fail", verdict: "inconclusive" });
  });
  it("a ping that did not run is an error", () => {
    const broken = { ...small, ran: false, error: "ping printed no statistics: nsenter: not found" };
    expect(judgePathMtu({ ...healthy, fits: broken })).toMatchObject({ status: "fail", verdict: "error" });
  });
});
