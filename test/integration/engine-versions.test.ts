import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadFile } from "../../src/scenario/loader.js";
import { runScenarios } from "../../src/scenario/runner.js";
import { Engine } from "../../src/engine/engine.js";
import { ensureEngineRoot } from "../../src/lab/dind/engine-fetch.js";
import { newRunId } from "../../src/util/ids.js";
import { probeImageTag } from "../../src/util/version.js";
import type { CheckResult, RunResult } from "../../src/report/model.js";
import { startLabMachine } from "../../bench/lab-machine.js";
import { ensureBuilt, ROOT } from "../e2e/cli.js";
import { leftovers } from "../support/leftovers.js";

const FIXTURE = "test/fixtures/scenarios/engine-versions.ts";
const reportsRoot = mkdtempSync(join(tmpdir(), "netcheck-engines-"));
afterAll(() => rmSync(reportsRoot, { recursive: true, force: true }));

const statuses = (checks: CheckResult[]) => Object.fromEntries(checks.map((c) => [c.name, c.status]));

/**
 * Version-scoped expectations (`c.engine({ since | until })`) proven on both
 * engines: the same fixture, with its wrong twins, on this machine's 20.10 and
 * on Debian's 26.1 in a disposable lab machine (its own dockerd, netcheck
 * running inside). Each engine runs the expectation of its side of 25.0 and
 * fails the twin of that side; the other side is skipped naming the engine.
 */
describe("expectations scoped to engine versions", () => {
  it("on this machine's engine (20.10): the pre-25.0 expectation runs, the 25.0 one is skipped", async () => {
    const version = (await Engine.fromEnv("local").version()).Version;
    expect(version).toMatch(/^20\.10\./);
    const r = await runScenarios({ scenarios: await loadFile(FIXTURE), reportsRoot, concurrency: 1 });
    const checks = r.scenarios[0]!.checks;
    expect(statuses(checks)).toEqual({
      "before-25-reaches-the-host": "pass",
      "from-25-cannot-reach-the-host": "skip",
      "wrong-from-25-reaches-the-host": "skip",
      "wrong-before-25-cannot-reach-the-host": "fail",
    });
    for (const c of checks) expect(c.engine, c.name).toBe(version);
    expect(checks.find((c) => c.name === "from-25-cannot-reach-the-host")!.reason).toBe(`expectation for Docker ≥ 25.0 (moby/moby#46603 (v25.0.0): a container on an --internal bridge network gets no default route); this engine is ${version}`);
    expect(checks.find((c) => c.name === "wrong-before-25-cannot-reach-the-host")!.reason).toMatch(/must NOT connect, but it did/);
    expect(await leftovers(r.runId)).toEqual([]);
  }, 120_000);

  it("on Debian's 26.1 (a lab machine): the 25.0 expectation runs, the pre-25.0 one is skipped", async () => {
    const outer = Engine.fromEnv("local");
    const engineRoot = await ensureEngineRoot("26.1", (await outer.version()).Version);
    await ensureBuilt();
    const t0 = Date.now();
    await using machine = await startLabMachine(outer, newRunId(), ROOT, { engineRoot });
    await machine.startDockerd();
    await machine.loadImage(probeImageTag());
    await machine.makeWritable("test/fixtures/scenarios");
    const run = await machine.sh(`node bin/netcheck.js run ${FIXTURE} --json /tmp/r.json --reports /tmp/reports --no-color >/tmp/run.log 2>&1; cat /tmp/r.json`, 150_000);
    expect(run.stdout.trim(), (await machine.sh("tail -30 /tmp/run.log")).stdout).not.toBe("");
    const r = JSON.parse(run.stdout) as RunResult;
    expect(r.host.engine?.version).toMatch(/^26\.1\./);
    const checks = r.scenarios[0]!.checks;
    expect(statuses(checks), (await machine.sh("cat /tmp/run.log")).stdout).toEqual({
      "before-25-reaches-the-host": "skip",
      "from-25-cannot-reach-the-host": "pass",
      "wrong-from-25-reaches-the-host": "fail",
      "wrong-before-25-cannot-reach-the-host": "skip",
    });
    for (const c of checks) expect(c.engine, c.name).toBe(r.host.engine!.version);
    // Stopped at the source: the container has no route, it is not a timeout that could be a lost reply.
    expect(checks.find((c) => c.name === "from-25-cannot-reach-the-host")!.reason ?? "").toMatch(/ENETUNREACH|unreachable/i);
    expect(checks.find((c) => c.name === "wrong-from-25-reaches-the-host")!.reason).toMatch(/must connect, but: unreachable/);
    expect(checks.find((c) => c.name === "before-25-reaches-the-host")!.reason).toMatch(/Docker < 25\.0 .*this engine is 26\.1\./);
    console.log(`26.1 lab machine + run: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }, 240_000);
});
