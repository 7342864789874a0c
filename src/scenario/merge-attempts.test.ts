import { describe, expect, it } from "vitest";
import type { CheckResult } from "../report/model.js";
import { mergeAttempts } from "./scenario-run.js";

const check = (status: CheckResult["status"], reason?: string): CheckResult => ({
  id: "bridge/default/x",
  name: "x",
  category: "reachability",
  expectation: "",
  status,
  reason,
  evidence: [],
  startedAt: "",
  durationMs: 10,
});

describe("mergeAttempts (repeats and retries)", () => {
  it("passes only when every repeat passed", () => {
    expect(mergeAttempts([[check("pass")], [check("pass")]])[0]).toMatchObject({ status: "pass", passRate: 1 });
  });
  it("reports mixed outcomes as flaky with the pass rate and the last failure", () => {
    const m = mergeAttempts([[check("pass")], [check("fail", "timeout")], [check("pass")]])[0]!;
    expect(m.status).toBe("flaky");
    expect(m.passRate).toBeCloseTo(2 / 3);
    expect(m.reason).toMatch(/passed 2 of 3 attempts \(67%\); last failure: timeout/);
    expect(m.attempts).toHaveLength(3);
  });
  it("fails when every attempt failed, and shows the failing evidence", () => {
    expect(mergeAttempts([[check("fail", "a")], [check("fail", "b")]])[0]).toMatchObject({ status: "fail", reason: "b" });
  });
  it("a retry that rescued a check is flaky, never a silent pass", () => {
    const c = { ...check("pass"), attempts: [{ status: "fail" as const, reason: "refused", durationMs: 5 }, { status: "pass" as const, durationMs: 5 }] };
    expect(mergeAttempts([[c]])[0]).toMatchObject({ status: "flaky", passRate: 0.5 });
  });
});
