/**
 * The pattern of every "scenario + wrong twin" integration test: run the
 * passing scenarios beside their deliberately wrong twins in one run, then
 * require every check of the passing ones to pass with evidence, every check
 * of the twins to fail with evidence, the run to exit 1, and nothing of the
 * run to be left. Returns the result for the test's own specific assertions.
 */
import { expect } from "vitest";
import type { CheckResult, RunResult, ScenarioResult } from "../../src/report/model.js";
import { loadFile } from "../../src/scenario/loader.js";
import { runScenarios, type RunOptions } from "../../src/scenario/runner.js";
import { leftovers } from "./leftovers.js";

export interface BesideTwin {
  r: RunResult;
  of(id: string): ScenarioResult;
  /** The reason of check `name` of scenario `id` ("" when there is no such check). */
  reason(id: string, name: string): string;
}

export async function runBesideTwin(opts: {
  /** Scenario files whose checks must all pass (or be skipped, where `maySkip` allows). */
  passing: string[];
  /** Their wrong-expectation twins: every check must fail. */
  twins: string[];
  reportsRoot: string;
  concurrency?: number;
  events?: RunOptions["events"];
  /** A check of a passing scenario that may be a skip (e.g. a kernel feature this machine lacks); its reason is the caller's to check. */
  maySkip?: (c: CheckResult) => boolean;
}): Promise<BesideTwin> {
  const passing = (await Promise.all(opts.passing.map((f) => loadFile(f)))).flat();
  const twins = (await Promise.all(opts.twins.map((f) => loadFile(f)))).flat();
  const r = await runScenarios({ scenarios: [...passing, ...twins], reportsRoot: opts.reportsRoot, concurrency: opts.concurrency, events: opts.events });
  const of = (id: string) => {
    const s = r.scenarios.find((x) => x.id === id);
    expect(s, `scenario ${id} in the run`).toBeDefined();
    return s!;
  };
  for (const s of passing) {
    const checks = of(s.id).checks;
    expect(checks.length, s.id).toBeGreaterThan(0);
    expect(checks.filter((c) => c.status !== "pass" && !(c.status === "skip" && opts.maySkip?.(c))).map((c) => `${c.id}: ${c.status} ${c.reason}`)).toEqual([]);
    for (const c of checks.filter((x) => x.status !== "skip")) expect(c.evidence.length, c.id).toBeGreaterThan(0);
  }
  for (const s of twins) {
    const checks = of(s.id).checks;
    expect(checks.length, s.id).toBeGreaterThan(0);
    expect(checks.filter((c) => c.status !== "fail").map((c) => `${c.id}: ${c.status} ${c.reason}`)).toEqual([]);
    for (const c of checks) expect(c.evidence.length, c.id).toBeGreaterThan(0);
  }
  expect(r.exitCode).toBe(1);
  expect(await leftovers(r.runId)).toEqual([]);
  return { r, of, reason: (id, name) => of(id).checks.find((c) => c.name === name)?.reason ?? "" };
}
