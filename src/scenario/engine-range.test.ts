import { describe, expect, it } from "vitest";
import { compareEngineVersions, engineRangeApplies, engineRangeProblem, parseEngineVersion } from "./engine-range.js";

const change = "moby/moby#46603 (v25.0.0): no default route on --internal";

describe("engine version ranges", () => {
  it("reads the versions engines report", () => {
    expect(parseEngineVersion("26.1.5+dfsg1")).toEqual([26, 1, 5]);
    expect(parseEngineVersion("20.10.24+dfsg1")).toEqual([20, 10, 24]);
    expect(parseEngineVersion("25.0")).toEqual([25, 0, 0]);
    expect(parseEngineVersion("dev")).toBeUndefined();
    // Numerically, not as text: 9 < 10 < 20.
    expect(compareEngineVersions("20.9.0", "20.10")).toBeLessThan(0);
    expect(compareEngineVersions("25.0.0-beta.1", "25.0")).toBe(0);
  });

  it("since is inclusive, until exclusive", () => {
    expect(engineRangeApplies({ since: "25.0", change }, ["25.0.0"]).applies).toBe(true);
    expect(engineRangeApplies({ since: "25.0", change }, ["26.1.5+dfsg1"]).applies).toBe(true);
    expect(engineRangeApplies({ since: "25.0", change }, ["20.10.24+dfsg1"]).applies).toBe(false);
    expect(engineRangeApplies({ until: "25.0", change }, ["20.10.24+dfsg1"]).applies).toBe(true);
    expect(engineRangeApplies({ until: "25.0", change }, ["25.0.0"]).applies).toBe(false);
    expect(engineRangeApplies({ since: "24.0", until: "25.0", change }, ["24.0.7"]).applies).toBe(true);
  });

  it("a skip says which engine and which change", () => {
    const r = engineRangeApplies({ until: "25.0", change }, ["26.1.5+dfsg1"]);
    expect(r).toEqual({ applies: false, reason: `expectation for Docker < 25.0 (${change}); this engine is 26.1.5+dfsg1` });
  });

  it("applies only when every engine of the scenario is in range, and never on an unreadable version", () => {
    expect(engineRangeApplies({ since: "25.0", change }, ["26.1.5", "20.10.24"]).applies).toBe(false);
    expect(engineRangeApplies({ since: "25.0", change }, ["26.1.5", "26.1.5"]).applies).toBe(true);
    expect(engineRangeApplies({ until: "99.0", change }, ["master-dockerproject"]).applies).toBe(false);
    expect(engineRangeApplies({ until: "99.0", change }, []).applies).toBe(false);
  });

  it("rejects ranges that cannot be meant", () => {
    expect(engineRangeProblem({ change })).toMatch(/since or until/);
    expect(engineRangeProblem({ since: "v25", change })).toMatch(/since must be a version/);
    expect(engineRangeProblem({ since: "25.0", until: "25.0", change })).toMatch(/not before/);
    expect(engineRangeProblem({ since: "25.0", change: "" })).toMatch(/needs change/);
    expect(engineRangeProblem({ since: "25.0", until: "27.0", change })).toBeUndefined();
  });
});
