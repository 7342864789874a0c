/**
 * npm run bench:overhead — what netcheck costs over a plain docker CLI script
 * doing the same work (bench/overhead-peer.sh: same lab, same probes, same
 * negative-check timeouts, everything removed).
 *
 * 1. user-defined/basic with the built CLI vs `overhead-peer.sh user-defined`,
 *    alternating (BENCH_ROUNDS rounds, default 3), each time printed with
 *    netcheck's per-phase split from its results JSON.
 * 2. The five single-host modes with `--concurrency 5` vs the five peer
 *    scripts one after another.
 * Last line: ratio=<median netcheck / median shell> for (1). Target ≤ 1.2.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import type { RunResult } from "../src/report/model.js";
import { probeImageTag } from "../src/util/version.js";

const ROOT = resolve(fileURLToPath(import.meta.url), "../..");
const BIN = join(ROOT, "bin", "netcheck.js");
const PEER = join(ROOT, "bench", "overhead-peer.sh");
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const FIVE = ["bridge/default", "host/basic", "none/isolated", "container/shared", "user-defined/basic"];
const env = { NETCHECK_PROBE_IMAGE: probeImageTag(), NO_COLOR: "1" };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? NaN;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

interface NetcheckTiming {
  wallMs: number;
  phases: string;
}

async function timeNetcheck(scenarios: string[], concurrency: number): Promise<NetcheckTiming> {
  const dir = mkdtempSync(join(tmpdir(), "netcheck-bench-"));
  try {
    const modes = scenarios.map((id) => id.split("/")[0]!);
    const only = `^(${scenarios.map((id) => id.replace(/[.]/g, "\\.")).join("|")})/`;
    const started = performance.now();
    const r = await execa("node", [BIN, "run", ...modes, "--only", only, "--concurrency", String(concurrency), "--json", "r.json", "--reports", "reports", "--no-color"], { cwd: dir, reject: false, env });
    const wallMs = performance.now() - started;
    if (r.exitCode !== 0) throw new Error(`netcheck run failed (exit ${r.exitCode}):\n${String(r.stdout).slice(-3000)}\n${String(r.stderr)}`);
    const run = JSON.parse(readFileSync(join(dir, "r.json"), "utf8")) as RunResult;
    return { wallMs, phases: phaseSplit(run, wallMs) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Where netcheck's time went, from its own results: process, run lab, per scenario bring-up/teardown vs checks. */
function phaseSplit(run: RunResult, wallMs: number): string {
  const checks = run.scenarios.flatMap((x) => x.checks);
  const checkMs = checks.reduce((n, c) => n + c.durationMs, 0);
  const negativeMs = checks.filter((c) => c.category === "isolation" || /cannot|isolated|does-not/.test(c.name)).reduce((n, c) => n + c.durationMs, 0);
  const scenarioMs = run.scenarios.reduce((n, x) => n + x.durationMs, 0);
  // Concurrent scenarios overlap: the run lab's own share is the run minus the span the scenarios covered.
  const starts = run.scenarios.map((x) => Date.parse(x.startedAt));
  const spanMs = Math.max(...run.scenarios.map((x, i) => starts[i]! + x.durationMs)) - Math.min(...starts);
  const slowest = [...checks].sort((a, b) => b.durationMs - a.durationMs).slice(0, 1).map((c) => `${c.name} ${s(c.durationMs)}`);
  return [
    `process+report ${s(wallMs - run.durationMs)}`,
    `run lab up/down ${s(run.durationMs - spanMs)}`,
    `scenario bring-up+teardown ${s(scenarioMs - checkMs)}${run.scenarios.length > 1 ? ` (summed over ${run.scenarios.length} scenarios in ${s(spanMs)})` : ""}`,
    `checks ${s(checkMs)} (negative ${s(negativeMs)}; slowest ${slowest.join("")})`,
  ].join(", ");
}

async function timePeer(modes: string[]): Promise<number> {
  const started = performance.now();
  for (const mode of modes) {
    const r = await execa("bash", [PEER, mode], { reject: false, env });
    if (r.exitCode !== 0) throw new Error(`overhead-peer.sh ${mode} failed (exit ${r.exitCode}):\n${String(r.stderr)}`);
  }
  return performance.now() - started;
}

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, "dist", "src", "cli", "main.js"))) await execa("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });
  const ours: number[] = [];
  const theirs: number[] = [];
  console.log(`overhead: user-defined/basic, netcheck (built CLI) vs bench/overhead-peer.sh, ${ROUNDS} alternating rounds`);
  for (let i = 0; i < ROUNDS; i++) {
    // Alternate who goes first, so a warm cache or a busy neighbour does not favour one side.
    const runNetcheck = async () => {
      const t = await timeNetcheck(["user-defined/basic"], 1);
      ours.push(t.wallMs);
      console.log(`  round ${i + 1} netcheck ${s(t.wallMs)}  [${t.phases}]`);
    };
    const runPeer = async () => {
      const ms = await timePeer(["user-defined"]);
      theirs.push(ms);
      console.log(`  round ${i + 1} shell    ${s(ms)}`);
    };
    if (i % 2 === 0) await runNetcheck().then(runPeer);
    else await runPeer().then(runNetcheck);
  }
  const five = await timeNetcheck(FIVE, 5);
  console.log(`  five modes netcheck --concurrency 5: ${s(five.wallMs)}  [${five.phases}]`);
  const fivePeer = await timePeer(FIVE.map((id) => id.split("/")[0]!));
  console.log(`five modes: netcheck --concurrency 5 ${s(five.wallMs)} vs five shell scripts one after another ${s(fivePeer)} (ratio ${(five.wallMs / fivePeer).toFixed(2)})`);
  console.log(`user-defined medians: netcheck ${s(median(ours))}, shell ${s(median(theirs))}`);
  console.log(`ratio=${(median(ours) / median(theirs)).toFixed(2)}`);
}

main().catch((err: unknown) => {
  console.error(`bench:overhead failed: ${(err as Error).message}`);
  process.exit(1);
});
