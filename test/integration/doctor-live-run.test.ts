/**
 * doctor on this host while a netcheck lab is up, and after a `--keep` run:
 * the lab's own guard routes (unreachable … metric 4242), DOCKER-USER rules
 * (netcheck:<run>), netcheck-* links and namespaces, lab bridges and published
 * ports are ours, never a failure of the host. Other engineers' runs on this
 * engine are in view too, which is the point: no run of ours may make doctor fail.
 */
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { fixCommandProblems } from "../../src/cli/fix-commands.js";
import { runDoctor, type DoctorReport } from "../../src/doctor/index.js";
import { Engine } from "../../src/engine/engine.js";
import { LocalHost } from "../../src/host/local-host.js";
import { localLabHost } from "../../src/lab/lab-host.js";
import { sweep } from "../../src/lab/sweep.js";
import { runScenarios } from "../../src/scenario/runner.js";
import { labScenario } from "../fixtures/doctor/lab-scenario.js";
import { leftovers } from "../support/leftovers.js";

const local = new LocalHost();
const engine = Engine.fromEnv();
const doctor = () => runDoctor({ host: local, engine });
const notOk = (r: DoctorReport) => r.findings.filter((f) => f.status !== "ok").map((f) => `${f.status} ${f.id}: ${f.title}`).join("\n");
const scenarioFile = new URL("../fixtures/doctor/lab-scenario.ts", import.meta.url).pathname;
const cli = (args: string[]) => execa("npx", ["tsx", new URL("../fixtures/doctor/netcheck-cli.ts", import.meta.url).pathname, ...args], { reject: false, timeout: 200_000 });

describe("doctor while netcheck labs are up", () => {
  it("reports 0 failures during a live run, the lab's guard route, rule, links and namespaces recognised as ours", async () => {
    let during: DoctorReport | undefined;
    const scenario = labScenario((c) => [
      c.check("doctor-while-up", "topology", "doctor on this host reports no failure while this lab is up", async () => {
        during = await doctor();
        return during.totals.fail === 0 ? { status: "pass", evidence: [] } : { status: "fail", reason: notOk(during), evidence: [] };
      }),
    ]);
    const run = await runScenarios({ scenarios: [scenario], signal: AbortSignal.timeout(200_000), reportsRoot: "reports" });
    expect(during, `the doctor check did not run: ${JSON.stringify(run.scenarios[0]?.checks)}`).toBeDefined();
    const report = during!;
    expect(report.totals.fail, notOk(report)).toBe(0);
    const leftover = report.findings.find((f) => f.id === "network/netcheck-leftovers")!;
    // The live run's objects are in view and listed as ours, not as stale.
    expect(leftover.evidence.map((e) => e.value).join("\n")).toContain(run.runId);
    expect(leftover.evidence.map((e) => e.value).join("\n")).toMatch(/10\.213\.\d+\.0\/24 \(claimed by run/);
    expect(leftover.title).not.toMatch(new RegExp(`no longer alive.*${run.runId}`));
    expect(report.findings.find((f) => f.id === "network/overlap")?.title).toMatch(/netcheck lab guard route/);
    expect(report.findings.find((f) => f.id === "firewall/docker-user")?.status).toBe("ok");
    expect(await fixCommandProblems(report.findings)).toEqual([]);
    expect(run.scenarios[0]?.checks.map((c) => c.status)).toEqual(["pass"]);
    expect(await leftovers(run.runId)).toEqual([]);
  });

  it("after `netcheck run --keep`: still 0 failures; the kept objects are leftovers whose fix, `netcheck clean --run <id>`, removes them", async () => {
    const kept = await cli(["run", scenarioFile, "--keep", "--reports", "reports", "--no-color"]);
    const runId = /netcheck run (\w+):/.exec(kept.stdout)?.[1];
    expect(runId, kept.stdout + kept.stderr).toBeDefined();
    try {
      expect(kept.exitCode, kept.stdout + kept.stderr).toBe(0);
      const report = await doctor();
      expect(report.totals.fail, notOk(report)).toBe(0);
      const leftover = report.findings.find((f) => f.id === "network/netcheck-leftovers")!;
      expect(leftover.status).toBe("warn");
      for (const kind of ["netns netcheck-", "link netcheck-", "route unreachable 10.213.", `DOCKER-USER rule (netcheck:${runId})`]) expect(leftover.title).toContain(kind);
      expect(leftover.fix).toContain(`\`netcheck clean --run ${runId}\``);
      expect(await fixCommandProblems(report.findings)).toEqual([]);
      const clean = await cli(["clean", "--run", runId!]);
      expect(clean.exitCode, clean.stderr).toBe(0);
      const after = (await doctor()).findings.find((f) => f.id === "network/netcheck-leftovers")!;
      expect(after.title).not.toContain(runId);
    } finally {
      await sweep(await localLabHost(), { runId });
    }
    expect(await leftovers(runId)).toEqual([]);
  });
});
