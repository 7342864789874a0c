import { describe, expect, it } from "vitest";
import { clusterStoreSupport, requirementProblem } from "./requirements.js";

describe("engine.cluster-store", () => {
  it("is met before Docker 23.0 and not after, with the reason", () => {
    expect(clusterStoreSupport("20.10.24+dfsg1").met).toBe(true);
    expect(clusterStoreSupport("26.1.5+dfsg1")).toMatchObject({ met: false, reason: expect.stringMatching(/removed --cluster-store .*23\.0 and later/) });
    expect(clusterStoreSupport("23.0.0").met).toBe(false);
    expect(clusterStoreSupport("dev").met).toBe(false);
  });
  it("is a known requirement id", () => {
    expect(requirementProblem("engine.cluster-store")).toBeUndefined();
    expect(requirementProblem("engine.swarm")).toMatch(/unknown requirement/);
  });
});
