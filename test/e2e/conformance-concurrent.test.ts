/**
 * Two `netcheck run --all` at once on one engine (one of them also running its
 * own scenarios two at a time): run-scoped names, labels and subnets keep them
 * apart, and both pass. (The --repeat 3 --junit conformance run is
 * conformance-all.test.ts: separate files run side by side.)
 */
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RunResult } from "../../src/report/model.js";
import { ensureBuilt, explain, readJson, remember, startNetcheck, takeRunIds, workDir } from "./cli.js";
import { assertNothingLeftBehind } from "./leftovers.js";

beforeAll(ensureBuilt, 180_000);
afterEach(() => assertNothingLeftBehind(takeRunIds()));

/** Subnets of the lab-owned networks (the default bridge is shared, not ours). */
function subnetsOf(run: RunResult): string[] {
  return run.scenarios.flatMap((s) => (s.topology?.networks ?? []).filter((n) => n.name !== "bridge" && n.driver === "bridge" && n.subnet && !n.subnet.startsWith("172.17.")).map((n) => n.subnet!));
}

describe("netcheck run --all", () => {
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
