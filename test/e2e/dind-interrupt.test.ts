/**
 * A run with docker-in-docker hosts that does not end normally: Ctrl-C tears
 * the lab down in order (inner containers, swarm, host containers with their
 * volumes, cgroups); after kill -9 only labels and the ledger remain, and
 * `netcheck clean` finds the hosts, their volumes, cgroups and state folders.
 */
import { execa } from "execa";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, explain, firstCheckDone, netcheck, remember, runIdOf, startNetcheck, takeRunIds, workDir } from "./cli.js";
import { assertNothingLeftBehind, findLeftovers } from "./leftovers.js";

beforeAll(ensureBuilt, 180_000);
afterEach(() => assertNothingLeftBehind(takeRunIds()));
// A failed assertion before the test's own signal must not leave its run going (hooks run last-registered first).
let live: ReturnType<typeof startNetcheck> | undefined;
afterEach(async () => {
  if (live && live.exitCode === null && live.signalCode === null) {
    live.kill("SIGINT");
    await live;
  }
  live = undefined;
});

/** The volumes the run's dind hosts use (other people's runs create volumes of their own on this engine). */
const volumesOf = async (runId: string) => {
  const ps = await execa("docker", ["ps", "-a", "--no-trunc", "--filter", `label=io.netcheck.run=${runId}`, "--format", "{{.Mounts}}"]);
  return String(ps.stdout).split(/[\n,]/).map((v) => v.trim()).filter((v) => /^[0-9a-f]{64}$/.test(v));
};
const existing = async (vols: string[]) => {
  const all = new Set(String((await execa("docker", ["volume", "ls", "-q"])).stdout).split("\n"));
  return vols.filter((v) => all.has(v));
};

/** Start `netcheck run overlay` and resolve once its first check has finished: hosts, swarm and nodes all exist. */
async function overlayMidRun(): Promise<{ child: ReturnType<typeof startNetcheck>; runId: string; out: () => string }> {
  const child = startNetcheck(["run", "overlay", "--reports", "reports"], workDir());
  live = child;
  const out = await firstCheckDone(child, 180_000);
  const runId = runIdOf(out())!;
  expect(runId).toMatch(/^[0-9a-z]{5}$/);
  return { child, runId, out };
}

describe("dind lab hosts, interrupted", () => {
  it("Ctrl-C mid-run: the lab is torn down, and no host, volume, cgroup, network or state folder is left", async () => {
    const { child, runId, out } = await overlayMidRun();
    const vols = await volumesOf(runId);
    // `run overlay` is overlay/swarm and overlay/classic-kv, two dind hosts each: at least one pair is up by now.
    expect(vols.length).toBeGreaterThanOrEqual(2);
    child.kill("SIGINT");
    const done = await child;
    remember({ exitCode: done.exitCode ?? -1, stdout: out() + String(done.stdout ?? ""), stderr: String(done.stderr) });
    // The interrupted run exits 130 whatever its (aborted) checks said.
    expect(done.exitCode, String(done.stderr)).toBe(130);
    expect(String(done.stderr)).toContain("tearing the lab down");
    expect(await findLeftovers([runId])).toEqual([]);
    expect(await existing(vols)).toEqual([]);
  });

  it("kill -9 mid-run: the hosts, their cgroups and state are found and removed by `netcheck clean`", async () => {
    const { child, runId, out } = await overlayMidRun();
    const vols = await volumesOf(runId);
    // `run overlay` is overlay/swarm and overlay/classic-kv, two dind hosts each: at least one pair is up by now.
    expect(vols.length).toBeGreaterThanOrEqual(2);
    child.kill("SIGKILL");
    await child;
    remember({ exitCode: -1, stdout: out(), stderr: "" });
    const left = (await findLeftovers([runId])).map((l) => l.what);
    for (const kind of [/^container nc-\w+-overlay-swarm-h1$/, /^container nc-\w+-overlay-swarm-h2$/, /^network nc-\w+-overlay-swarm-underlay$/, /^dind state /, /^cgroup netcheck-dind-/]) {
      expect(left.some((l) => kind.test(l)), `${kind} in ${left.join(", ")}`).toBe(true);
    }
    const clean = await netcheck(["clean", "--run", runId], workDir());
    expect(clean.exitCode, explain(clean)).toBe(0);
    expect(clean.stdout).toMatch(/removed cgroups \/netcheck-dind-/);
    expect(await findLeftovers([runId])).toEqual([]);
    expect(await existing(vols)).toEqual([]);
  });
});
