/**
 * Ctrl-C: the run tears its lab down first, then exits 130 — and leaves
 * nothing (containers, networks, namespaces, links, rules, routes, claims,
 * ledger), with no `netcheck clean` in between.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, firstCheckDone, remember, runIdOf, startNetcheck, takeRunIds, workDir } from "./cli.js";
import { assertNothingLeftBehind, findLeftovers } from "./leftovers.js";

beforeAll(ensureBuilt, 180_000);
afterEach(() => assertNothingLeftBehind(takeRunIds()));

describe("SIGINT mid-run", () => {
  it("tears the lab down, then exits 130, leaving nothing behind", async () => {
    const dir = workDir();
    const child = startNetcheck(["run", "user-defined", "bridge", "--concurrency", "2", "--reports", "reports"], dir);
    // Interrupt once a check has finished: both scenarios' labs, the external host and the guards exist.
    const out = (await firstCheckDone(child, 90_000))();
    const runId = runIdOf(out)!;
    expect(runId).toMatch(/^[0-9a-z]{5}$/);
    expect((await findLeftovers([runId])).map((l) => l.what.split(" ")[0])).toContain("container");
    child.kill("SIGINT");
    const r = await child;
    remember({ exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) });
    expect(r.stderr).toContain("SIGINT received — tearing the lab down");
    expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(130);
    // The process has exited: whatever is still there, it left behind.
    expect(await findLeftovers([runId])).toEqual([]);
  });
});
