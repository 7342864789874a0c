/**
 * npm run bench:overlay — where `netcheck run overlay` spends its time.
 * Runs the real CLI N times (default 3) one after another and prints, per run,
 * the wall time, the load average beside it, and the scenario's phases from
 * results.json (dind hosts, probe image, swarm, networks, nodes, checks,
 * teardown; spans may overlap). Last line: the median and best wall time of
 * the passing runs, and how many runs failed.
 *
 *   npm run bench:overlay [-- --repeat 5 --engine 26.1 --baseline <other checkout>]
 *
 * With --baseline, each repetition runs the other checkout's CLI right after
 * this one (same load, alternating) and the last line adds the ratio of medians.
 */
import { loadavg } from "node:os";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import type { RunResult } from "../src/report/model.js";

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const repeat = Number(opt("--repeat") ?? 3);
const extra = opt("--engine") ? ["--engine", opt("--engine")!] : [];
const baseline = opt("--baseline");
const dir = mkdtempSync(join(tmpdir(), "bench-overlay-"));
const load = () => loadavg().map((l) => l.toFixed(1)).join(" ");
const walls: Record<string, number[]> = { this: [], baseline: [] };
let failed = 0;

async function once(label: "this" | "baseline", root: string, i: number): Promise<void> {
  const json = join(dir, `${label}-${i}.json`);
  const before = load();
  const t0 = Date.now();
  const r = await execa("node", [join(root, "bin/netcheck.js"), "run", "overlay", "--json", json, "--reports", dir, "--no-color", ...extra], { reject: false, cwd: root });
  const wall = (Date.now() - t0) / 1000;
  if (r.exitCode !== 0) failed++;
  let result: RunResult | undefined;
  try {
    result = JSON.parse(readFileSync(json, "utf8")) as RunResult;
  } catch {
    console.log(`${label} run ${i + 1}: no results (exit ${r.exitCode}): ${String(r.stderr).slice(-300)}`);
    return;
  }
  // Only complete runs count toward the medians (a bring-up failure is counted in `failed`).
  if (result.scenarios.every((s) => s.status !== "fail")) walls[label]!.push(wall);
  console.log(`${label} run ${i + 1}: ${wall.toFixed(1)} s wall, exit ${r.exitCode}; load average ${before} → ${load()}`);
  // `run overlay` holds several scenarios (side by side): each one's phases and its slowest checks.
  for (const s of result.scenarios) {
    const t0 = Date.parse(s.startedAt) - Date.parse(result.startedAt);
    console.log(` ${s.id} ${s.status} in ${(s.durationMs / 1000).toFixed(1)} s (started at ${(t0 / 1000).toFixed(1)} s)`);
    for (const p of s.phases ?? []) console.log(`  ${(p.startMs / 1000).toFixed(1).padStart(5)} s +${(p.ms / 1000).toFixed(1).padStart(5)} s  ${p.name}`);
    const slow = s.checks.filter((c) => c.status !== "skip").sort((a, b) => b.durationMs - a.durationMs).slice(0, 6);
    console.log(`   slowest checks: ${slow.map((c) => `${c.name} ${(c.durationMs / 1000).toFixed(1)} s`).join(", ")}`);
  }
  if (r.exitCode !== 0) console.log(String(r.stdout).split("\n").filter((l) => /✗/.test(l)).slice(0, 5).join("\n"));
}

const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]! : NaN);
try {
  for (let i = 0; i < repeat; i++) {
    await once("this", process.cwd(), i);
    if (baseline) await once("baseline", baseline, i);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const mine = walls.this!;
console.log(`median=${median(mine).toFixed(1)} s min=${Math.min(...mine).toFixed(1)} s failed=${failed}/${repeat * (baseline ? 2 : 1)} (goal 40 s)${baseline ? ` baseline median=${median(walls.baseline!).toFixed(1)} s min=${Math.min(...walls.baseline!).toFixed(1)} s ratio=${(median(mine) / median(walls.baseline!)).toFixed(2)}` : ""}`);
process.exit(failed ? 1 : 0);
