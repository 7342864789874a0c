/**
 * Perf checks on the real engine: selection by --perf, impossible thresholds failing
 * with the measured numbers, a relative threshold without its baseline skipped, repeats
 * with their spread, the comparison in the results, and no server left running.
 */
import { afterAll, describe, expect, it } from "vitest";
import { execa } from "execa";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadFile } from "../../src/scenario/loader.js";
import { runScenarios } from "../../src/scenario/runner.js";
import { perfHook } from "../../src/perf/perf-hook.js";
import type { MeasurementEvidence, RunResult } from "../../src/report/model.js";
import { leftovers } from "../support/leftovers.js";

const reportsRoot = mkdtempSync(join(tmpdir(), "netcheck-perf-"));
afterAll(() => rmSync(reportsRoot, { recursive: true, force: true }));
const fixture = () => loadFile(join(import.meta.dirname, "../fixtures/scenarios/perf-impossible.ts"));
const checkOf = (r: RunResult, name: string) => r.scenarios[0]!.checks.find((c) => c.name === name)!;

/** Server ports the clients used (iperf3 -p, nc's port argument). */
function serverPorts(r: RunResult): number[] {
  return r.scenarios.flatMap((s) => s.checks.flatMap((c) => c.evidence.flatMap((e) => (e.kind === "command" && e.command[0] === "iperf3" ? [Number(e.command[e.command.indexOf("-p") + 1])] : []))));
}

describe("performance checks", () => {
  let r: RunResult;

  it("with --perf: impossible thresholds fail with the measured numbers, over 2 repeats", async () => {
    r = await runScenarios({ scenarios: await fixture(), hooks: [perfHook("with")], repeat: 2, reportsRoot });
    const tput = checkOf(r, "c2c-throughput-tcp");
    expect(tput.status).toBe("fail");
    expect(tput.reason).toMatch(/^throughput [\d.]+ [GM]bit\/s < required at least 100 Tbit\/s.*; over 2 repeats: throughput [\d.]+ [GM]bit\/s \(p50 of 2 repeats, spread .+\)$/);
    const m = tput.evidence.find((e): e is MeasurementEvidence => e.kind === "measurement")!;
    expect(m).toMatchObject({ metric: "throughput", unit: "bit/s", better: "higher" });
    expect(m.value).toBeGreaterThan(50e6);

    const lat = checkOf(r, "c2e-latency");
    expect(lat.status).toBe("fail");
    // Only the failed threshold is named; the loss one passed.
    expect(lat.reason).toMatch(/^latency\.p95 [\d.]+ (µs|ms) > allowed at most 1 µs.*; over 2 repeats: .*p50 of 2 repeats/);
    expect(lat.evidence.filter((e) => e.kind === "measurement").map((e) => (e as MeasurementEvidence).metric)).toEqual(["loss", "latency", "connect"]);

    const rel = checkOf(r, "c2h-throughput-tcp");
    expect(rel.status).toBe("skip");
    expect(rel.reason).toContain('no throughput baseline "host" was measured in this run');
    expect(checkOf(r, "a-reaches-b-icmp").status).toBe("pass");
    expect(r.scenarios[0]!.status).toBe("fail");
    expect(r.totals).toMatchObject({ fail: 2, skip: 1, pass: 1 });
  });

  it("fills PerfSummary and the comparison; stops every server", async () => {
    const paths = r.scenarios[0]!.perf!.paths;
    expect(paths.c2c!.throughputBps).toBeGreaterThan(50e6);
    expect(paths.c2e!.latencyP50Ms).toBeGreaterThan(0);
    expect(paths.c2e!.connectMs).toBeGreaterThanOrEqual(0);
    const c = r.comparison!;
    expect(c.rows.map((x) => x.path)).toEqual(["c2c", "c2h", "c2e"]);
    expect(c.rows[0]!.throughputBps!.n).toBe(2);
    expect(c.rows[0]!.ratioToBaseline).toBeUndefined(); // no host mode in this run
    expect(c.qualitative.map((q) => q.mode)).toEqual(["fixture"]);
    // Only a passed check answers: the c2e checks failed their thresholds or were skipped.
    expect(c.qualitative[0]!.outside).toMatchObject({ answer: "unknown", status: "fail" });

    const ports = serverPorts(r);
    expect(ports.length).toBe(2); // the last repeat's c2c and c2h servers (merged results keep one attempt's evidence)
    const listening = (await execa("ss", ["-Hltn"])).stdout;
    for (const p of ports) {
      expect(listening).not.toMatch(new RegExp(`:${p}\\b`));
      expect((await execa("pgrep", ["-f", `iperf3 -s -p ${p} `], { reject: false })).stdout).toBe("");
    }
    expect(await leftovers(r.runId)).toEqual([]);
  });

  it("without --perf the performance checks are not selected at all", async () => {
    const off = await runScenarios({ scenarios: await fixture(), hooks: [perfHook("off")], reportsRoot });
    expect(off.scenarios[0]!.checks.map((c) => c.name)).toEqual(["a-reaches-b-icmp"]);
    expect(off.comparison).toBeUndefined();
    expect(off.options.perf).toBe("off");
  });
});
