/**
 * The CI conformance run itself, and two `--all` runs at once on one engine,
 * from ONE pair of runs started together (issue 12: the two used to be files
 * of their own, 411 s + 295 s of the last CI, each paying for whole `--all`
 * runs; the concurrent pair's second run now overlaps the conformance run's
 * first repetition instead):
 *  - `netcheck run --all --repeat 3 --junit …` passes on this machine, says
 *    which modes it skipped and why, and its JUnit file counts the same as its
 *    JSON;
 *  - beside it, `netcheck run --all --concurrency 2` (its own scenarios two at
 *    a time): run-scoped names, labels and subnets keep the two apart, and
 *    both pass.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RunResult } from "../../src/report/model.js";
import { ensureBuilt, explain, readJson, remember, startNetcheck, takeRunIds, workDir, type CliRun } from "./cli.js";
import { junitCounts } from "./junit-counts.js";
import { assertNothingLeftBehind } from "./leftovers.js";

interface Finished {
  dir: string;
  r: CliRun;
}

let conformance: Finished;
let beside: Finished;

beforeAll(async () => {
  await ensureBuilt();
  const dirs = [workDir(), workDir()] as const;
  // Started together: the second run's whole life overlaps the first one's first repetition.
  const children = [
    startNetcheck(["run", "--all", "--repeat", "3", "--junit", "out.xml", "--json", "r.json", "--reports", "reports"], dirs[0], 1_500_000),
    startNetcheck(["run", "--all", "--concurrency", "2", "--json", "r.json", "--reports", "reports"], dirs[1], 1_500_000),
  ];
  const done = await Promise.all(children);
  [conformance, beside] = done.map((c, i) => ({ dir: dirs[i]!, r: remember({ exitCode: c.exitCode ?? -1, stdout: String(c.stdout), stderr: String(c.stderr) }) })) as [Finished, Finished];
}, 1_560_000); // CI (quiet 2 cores): ~100–140 s a repetition; here at load average 20–38: 1111 s and 785 s

afterEach(() => assertNothingLeftBehind(takeRunIds()));

/** Subnets of the lab-owned networks (the default bridge is shared, not ours). */
function subnetsOf(run: RunResult): string[] {
  return run.scenarios.flatMap((s) => (s.topology?.networks ?? []).filter((n) => n.name !== "bridge" && n.driver === "bridge" && n.subnet && !n.subnet.startsWith("172.17.")).map((n) => n.subnet!));
}

describe("netcheck run --all", () => {
  it("--repeat 3 --junit passes, lists skipped modes with reasons, and JUnit counts match the JSON", () => {
    const { dir, r } = conformance;
    expect(r.exitCode, explain(r)).toBe(0);
    const run = readJson(join(dir, "r.json"));
    expect(run.exitCode).toBe(0);
    expect(run.totals.fail).toBe(0);
    expect(run.errors).toEqual([]);
    expect(run.scenarios.map((s) => s.mode)).toEqual(expect.arrayContaining(["bridge", "host", "none", "container", "user-defined"]));
    for (const s of run.scenarios) if (s.status !== "skip") expect(s.repeats, s.id).toBe(3);
    // Every skipped scenario says why, in the JSON and in the terminal output.
    for (const s of run.scenarios.filter((x) => x.status === "skip")) {
      expect(s.reason, s.id).toBeTruthy();
      // The summary line starts the reason (long ones are cut at 300 characters); the progress lines carry it whole.
      expect(r.stdout).toContain(`${s.id} (${s.mode}) — ${s.reason!.slice(0, 120)}`);
      expect(r.stdout).toContain(s.reason);
    }

    const xml = readFileSync(join(dir, "out.xml"), "utf8");
    expect(readFileSync(join(dir, run.reportDir!, "junit.xml"), "utf8")).toBe(xml);
    const j = junitCounts(xml);
    const emptyScenarios = run.scenarios.filter((s) => s.checks.length === 0).length;
    // Every run error is one <error> case, scenario-scoped ones included.
    const runErrors = run.errors.length;
    expect(j).toMatchObject({
      tests: run.totals.checks + emptyScenarios + runErrors,
      failures: run.totals.fail,
      skipped: run.totals.skip + run.scenarios.filter((s) => s.checks.length === 0 && s.status === "skip").length,
      flaky: run.totals.flaky,
      rootTests: run.totals.checks + emptyScenarios + runErrors,
      rootFailures: run.totals.fail,
    });
    expect((xml.match(/<testsuite\b/g) ?? []).length).toBe(run.scenarios.length + (runErrors ? 1 : 0));
    expect(run.totals.checks).toBeGreaterThanOrEqual(40);
  });

  it("two concurrent --all runs on one engine both pass, on different subnets (one with --concurrency 2)", () => {
    const runs = [conformance, beside].map(({ dir, r }) => {
      expect(r.exitCode, explain(r)).toBe(0);
      return readJson(join(dir, "r.json"));
    });
    const [first, second] = runs as [RunResult, RunResult];
    expect(first.runId).not.toBe(second.runId);
    for (const run of runs) expect(run.totals).toMatchObject({ fail: 0 });
    // They really were at the same time: the second started before the first finished, and the other way round.
    const span = (run: RunResult) => [Date.parse(run.startedAt), Date.parse(run.finishedAt)] as const;
    expect(span(second)[0]).toBeLessThan(span(first)[1]);
    expect(span(first)[0]).toBeLessThan(span(second)[1]);
    expect(second.options.concurrency).toBe(2);
    const ran = second.scenarios.filter((x) => x.status !== "skip").map((x) => [Date.parse(x.startedAt), Date.parse(x.startedAt) + x.durationMs] as const);
    const overlapped = ran.some(([s1, e1], i) => ran.some(([s2], j) => j !== i && s2 > s1 && s2 < e1));
    expect(overlapped, "with --concurrency 2 some scenarios ran at the same time").toBe(true);
    // The external host lives for the whole run: two live runs must never share its underlay subnet.
    const underlays = runs.map((run) => run.scenarios.find((s) => s.topology?.externalHost)?.topology?.externalHost?.subnet);
    expect(underlays[0]).toBeTruthy();
    expect(underlays[0]).not.toBe(underlays[1]);
    for (const run of runs) for (const s of subnetsOf(run)) expect(s).toMatch(/^10\.213\./);
  });
});
