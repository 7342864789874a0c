/**
 * What is left when a run does not finish normally, and how `netcheck clean`
 * removes it: a failed scenario kept with --keep-on-failure, and a run killed
 * with -9 mid-scenario (no finally, no signal handler: only the ledger and the
 * labels remain to find its resources).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, explain, firstCheckDone, FIXTURES, netcheck, readJson, remember, runIdOf, startNetcheck, takeRunIds, workDir } from "./cli.js";
import { assertNothingLeftBehind, findLeftovers } from "./leftovers.js";

beforeAll(ensureBuilt, 180_000);
afterEach(() => assertNothingLeftBehind(takeRunIds()));

describe("--keep-on-failure", () => {
  it("leaves the failed scenario's lab up, prints how to enter it, saves failure artifacts; clean removes it", async () => {
    const dir = workDir();
    const r = await netcheck(["run", join(FIXTURES, "always-fails.ts"), "--keep-on-failure", "--json", "r.json", "--reports", "reports"], dir);
    expect(r.exitCode, explain(r)).toBe(1);
    const run = readJson(join(dir, "r.json"));
    // how to enter it: one docker exec per node, ip netns exec for the external host
    const execLines = [...r.stdout.matchAll(/docker exec -it (\S+) sh/g)].map((m) => m[1]!);
    expect(execLines.sort()).toEqual([`nc-${run.runId}-fixture-always-fails-alone`, `nc-${run.runId}-fixture-always-fails-server`]);
    expect(r.stdout).toContain(`ip netns exec netcheck-ext-${run.runId} sh`);
    // ... and those commands work: the lab is really still up
    for (const name of execLines) {
      const e = await execa("docker", ["exec", name, "busybox", "cat", "/proc/net/dev"], { reject: false });
      expect(e.exitCode, `${name}: ${e.stderr}`).toBe(0);
    }
    expect((await execa("ip", ["netns", "exec", `netcheck-ext-${run.runId}`, "ip", "-o", "addr"], { reject: false })).exitCode).toBe(0);
    const nsenter = [...r.stdout.matchAll(/^\s+(nsenter -t .+ -n ip addr)\s+#/gm)].map((m) => m[1]!);
    expect(nsenter).toHaveLength(2);
    for (const cmd of nsenter) expect((await execa("sh", ["-c", cmd], { reject: false })).stdout).toMatch(/\blo\b/);
    expect((await findLeftovers([run.runId])).length).toBeGreaterThan(0);
    // failure artifacts: docker inspect and ip addr/route/neigh per node, the host's rules
    const paths = run.scenarios[0]!.artifacts.map((a) => a.path);
    for (const want of [/alone-inspect\.json$/, /server-inspect\.json$/, /alone-net\.txt$/, /server-net\.txt$/, /-rules\.txt$/]) expect(paths.some((p) => want.test(p)), `${want} in ${paths.join(", ")}`).toBe(true);
    for (const p of paths) expect(existsSync(join(dir, run.reportDir!, p)), p).toBe(true);

    const clean = await netcheck(["clean", "--run", run.runId], dir);
    expect(clean.exitCode, explain(clean)).toBe(0);
    expect(clean.stdout).toMatch(/removed container nc-/);
    expect(await findLeftovers([run.runId])).toEqual([]);
  });

  it("a passing run with --keep-on-failure leaves nothing", async () => {
    const dir = workDir();
    const r = await netcheck(["run", "none", "--keep-on-failure", "--json", "r.json", "--reports", "reports"], dir);
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stdout).not.toContain("kept the lab");
    expect(await findLeftovers([readJson(join(dir, "r.json")).runId])).toEqual([]);
  });
});

describe("kill -9", () => {
  it("after kill -9 mid-run, `netcheck clean` removes everything and a new run passes", async () => {
    const dir = workDir();
    const child = startNetcheck(["run", "user-defined", "--reports", "reports"], dir);
    // Kill once the lab is up and the first check has finished: containers, networks, routes and rules all exist.
    const out = (await firstCheckDone(child, 60_000))();
    const runId = runIdOf(out)!;
    expect(runId).toMatch(/^[0-9a-z]{5}$/);
    child.kill("SIGKILL");
    const killed = await child;
    expect(killed.signal).toBe("SIGKILL");
    remember({ exitCode: -1, stdout: out, stderr: "" });

    const left = (await findLeftovers([runId])).map((l) => l.what.split(" ")[0]);
    for (const kind of ["container", "network", "netns", "link", "DOCKER-USER", "subnet", "ledger"]) expect(left, `expected a ${kind} left by the killed run`).toContain(kind);

    const clean = await netcheck(["clean"], dir);
    expect(clean.exitCode, explain(clean)).toBe(0);
    expect(clean.stdout).not.toContain(`left run ${runId} alone`);
    expect(await findLeftovers([runId])).toEqual([]);

    const again = await netcheck(["run", "user-defined", "--json", "r.json", "--reports", "reports"], dir);
    expect(again.exitCode, explain(again)).toBe(0);
    expect(readJson(join(dir, "r.json")).totals.fail).toBe(0);
  });
});
