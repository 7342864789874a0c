/**
 * The CI conformance run itself: `netcheck run --all --repeat 3 --junit …`
 * passes on this machine, says which modes it skipped and why, and its JUnit
 * file counts the same as its JSON. (Two `--all` runs at once on one engine:
 * conformance-concurrent.test.ts, a file of its own so that it runs beside
 * this one.)
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, explain, netcheck, readJson, takeRunIds, workDir } from "./cli.js";
import { junitCounts } from "./junit-counts.js";
import { assertNothingLeftBehind } from "./leftovers.js";

beforeAll(ensureBuilt, 180_000);
afterEach(() => assertNothingLeftBehind(takeRunIds()));

describe("netcheck run --all", () => {
  it("--repeat 3 --junit passes, lists skipped modes with reasons, and JUnit counts match the JSON", async () => {
    const dir = workDir();
    const r = await netcheck(["run", "--all", "--repeat", "3", "--junit", "out.xml", "--json", "r.json", "--reports", "reports"], dir, 840_000);
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
  }, 900_000); // --all now includes the docker-in-docker overlay and daemon scenarios: ~100 s a repetition here
});
