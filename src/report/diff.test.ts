import { describe, expect, it } from "vitest";
import { realisticRun } from "../../test/fixtures/results/load-fixture.js";
import { diffRuns, hasRegressions } from "./diff.js";
import { renderDiffText } from "./diff-text.js";
import type { CheckResult, MeasurementEvidence, RunResult } from "./model.js";

function check(run: RunResult, id: string): CheckResult {
  const c = run.scenarios.flatMap((s) => s.checks).find((x) => x.id === id);
  if (!c) throw new Error(`fixture has no check ${id}`);
  return c;
}
const measurement = (c: CheckResult) => c.evidence.find((e): e is MeasurementEvidence => e.kind === "measurement")!;

describe("diffRuns", () => {
  it("finds nothing between a run and itself", () => {
    const d = diffRuns(realisticRun(), realisticRun());
    expect(hasRegressions(d)).toBe(false);
    expect([d.newFailures, d.fixed, d.newSkips, d.otherChanges, d.appeared, d.disappeared, d.perfRegressions].every((l) => l.length === 0)).toBe(true);
    expect(renderDiffText(d, { color: false })).toContain("No changes");
  });

  it("classifies new failures, fixes, new skips, appeared and disappeared checks", () => {
    const a = realisticRun();
    const b = realisticRun();
    b.runId = "b2222";
    check(b, "bridge/published-port-dnat/hairpin-via-host-port").status = "pass";
    Object.assign(check(b, "none/loopback-only/only-lo"), { status: "fail", reason: "eth0 exists" });
    check(b, "macvlan/bridge-mode/siblings-reach").status = "skip";
    b.scenarios[2]!.checks.splice(0, 1); // internal-isolation/no-egress disappears
    b.scenarios[2]!.checks.push({ ...check(a, "bridge/internal-isolation/no-egress"), id: "bridge/internal-isolation/new-one", name: "new-one", status: "fail" });
    const d = diffRuns(a, b);
    expect(d.fixed.map((c) => c.id)).toEqual(["bridge/published-port-dnat/hairpin-via-host-port"]);
    expect(d.newFailures.map((c) => [c.id, c.before, c.after])).toEqual([
      ["bridge/internal-isolation/new-one", undefined, "fail"],
      ["none/loopback-only/only-lo", "pass", "fail"],
    ]);
    expect(d.newSkips.map((c) => c.id)).toEqual(["macvlan/bridge-mode/siblings-reach"]);
    expect(d.appeared.map((c) => c.id)).toEqual(["bridge/internal-isolation/new-one"]);
    expect(d.disappeared.map((c) => c.id)).toEqual(["bridge/internal-isolation/no-egress"]);
    expect(hasRegressions(d)).toBe(true);
    const text = renderDiffText(d, { color: false });
    expect(text).toContain("New failures (2):\n  bridge/internal-isolation/new-one  absent → fail");
    expect(text).toContain("Fixed (1):");
  });

  it("a scenario without checks is compared as a whole", () => {
    const a = realisticRun();
    const b = realisticRun();
    b.scenarios[8]!.status = "pass";
    expect(diffRuns(a, b).fixed.map((c) => c.id)).toEqual(["ipvlan/l2-basic"]);
  });

  it("flags a throughput drop beyond 2 x pooled stddev, not one within the spread", () => {
    const a = realisticRun();
    const within = realisticRun();
    // a: 38.1/38.5/38.9 G (sd 0.4 G); a 1.5% drop is inside max(2 x 0.4 G, 5%)
    measurement(check(within, "host/throughput/tcp-throughput")).samples = [37.6e9, 37.9e9, 38.3e9];
    expect(diffRuns(a, within).perfRegressions).toEqual([]);
    const worse = realisticRun();
    measurement(check(worse, "host/throughput/tcp-throughput")).samples = [30e9, 31e9, 32e9];
    const d = diffRuns(a, worse);
    expect(d.perfRegressions).toHaveLength(1);
    expect(d.perfRegressions[0]).toMatchObject({ id: "host/throughput/tcp-throughput", metric: "tcp throughput", basis: "samples" });
    expect(d.perfRegressions[0]!.worseBy).toBeCloseTo((38.5 - 31) / 38.5, 3);
  });

  it("latency: higher is worse; single values use the 10% rule", () => {
    const a = realisticRun();
    const b = realisticRun();
    const rtt = (r: RunResult) => check(r, "bridge/throughput/tcp-throughput-c2c").evidence.find((e): e is MeasurementEvidence => e.kind === "measurement" && e.metric === "tcp rtt")!;
    rtt(b).value = 0.048 * 1.09; // 9% slower: within 10%
    expect(diffRuns(a, b).perfRegressions).toEqual([]);
    rtt(b).value = 0.048 * 1.2;
    expect(diffRuns(a, b).perfRegressions.map((r) => [r.metric, r.basis])).toEqual([["tcp rtt", "single"]]);
    rtt(b).value = 0.048 * 0.5; // faster is never a regression
    expect(diffRuns(a, b).perfRegressions).toEqual([]);
  });

  it("compares ScenarioResult.perf figures too", () => {
    const a = realisticRun();
    const b = realisticRun();
    b.scenarios[4]!.perf!.paths.c2e!.throughputBps = 9e9;
    expect(diffRuns(a, b).perfRegressions.map((r) => r.id)).toEqual(["bridge/throughput/perf/c2e"]);
  });
});
