/**
 * The CI conformance run itself: `netcheck run --all --repeat 3 --junit …`
 * passes on this machine, says which modes it skipped and why, and its JUnit
 * file counts the same as its JSON. Then two `--all` runs at once on one
 * engine: run-scoped names, labels and subnets keep them apart.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RunResult } from "../../src/report/model.js";
import { ensureBuilt, explain, netcheck, readJson, remember, startNetcheck, takeRunIds, workDir } from "./cli.js";
import { junitCounts } from "./junit-counts.js";
import { assertNothingLeftBehind } from "./leftovers.js";

beforeAll(ensureBuilt, 180_000);
afterEach(() => assertNothingLeftBehind(takeRunIds()));

/** Subnets of the lab-owned networks (the default bridge is shared, not ours). */
function subnetsOf(run: RunResult): string[] {
  return run.scenarios.flatMap((s) => (s.topology?.networks ?? []).filter((n) => n.name !== "bridge" && n.driver === "bridge" && n.subnet && !n.subnet.startsWith("172.17.")).map((n) => n.subnet!));
}

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

  it("two concurrent --all runs on one engine both pass, on different subnets (one with --concurrency 2)", async () => {
    const dirs = [workDir(), workDir()];
    // One of them also runs its own scenarios two at a time (--concurrency).
    const children = dirs.map((d, i) => startNetcheck(["run", "--all", ...(i === 0 ? ["--concurrency", "2"] : []), "--json", "r.json", "--reports", "reports"], d, 600_000));
    const done = await Promise.all(children);
    const runs = done.map((c, i) => {
      const res = remember({ exitCode: c.exitCode ?? -1, stdout: String(c.stdout), stderr: String(c.stderr) });
      expect(res.exitCode, explain(res)).toBe(0);
      return readJson(join(dirs[i]!, "r.json"));
    });
    expect(runs[0]!.runId).not.toBe(runs[1]!.runId);
    for (const run of runs) expect(run.totals).toMatchObject({ fail: 0 });
    expect(runs[0]!.options.concurrency).toBe(2);
    const ran = runs[0]!.scenarios.filter((x) => x.status !== "skip").map((x) => [Date.parse(x.startedAt), Date.parse(x.startedAt) + x.durationMs] as const);
    const overlapped = ran.some(([s1, e1], i) => ran.some(([s2], j) => j !== i && s2 > s1 && s2 < e1));
    expect(overlapped, "with --concurrency 2 some scenarios ran at the same time").toBe(true);
    // The external host lives for the whole run: two live runs must never share its underlay subnet.
    const underlays = runs.map((run) => run.scenarios.find((s) => s.topology?.externalHost)?.topology?.externalHost?.subnet);
    expect(underlays[0]).toBeTruthy();
    expect(underlays[0]).not.toBe(underlays[1]);
    for (const run of runs) for (const s of subnetsOf(run)) expect(s).toMatch(/^10\.213\./);
  }, 900_000);
});
