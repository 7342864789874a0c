/**
 * npm run bench:suite — the suite's wall times against their goals (issue 12),
 * beside the raw docker CLI doing a minimal scenario in the same run:
 *
 *   1. `netcheck run --all` (single host, no --perf)            goal ≤ 30 s
 *   2. the README's five-mode command                           goal ≤ 12 s
 *   3. one small user scenario (bench/minimal-scenario.ts),
 *      the whole process                                        goal ≤ 1.5 s
 *   4. the raw docker CLI minimal scenario (bench/minimal-peer.sh: network,
 *      two containers, ping, nslookup, teardown)                the yardstick
 *   5. two concurrent `--all` runs: each within 1.5× of a lone run
 *
 * Each of 1–4 is the best of BENCH_ROUNDS (default 3) runs, and says so; the
 * machine's load average is printed before and after, since a shared 2-core
 * box makes every figure a figure of its neighbours too. NETCHECK_BIN measures
 * another build (e.g. an older checkout) with the same script; BENCH_PARTS
 * (comma list of peer, small, five, all, pair; default all of them) runs a subset.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import type { RunResult } from "../src/report/model.js";
import { probeImageTag } from "../src/util/version.js";

const ROOT = resolve(fileURLToPath(import.meta.url), "../..");
const BIN = process.env.NETCHECK_BIN ?? join(ROOT, "bin", "netcheck.js");
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const env = { NETCHECK_PROBE_IMAGE: probeImageTag(), NO_COLOR: "1" };
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const PARTS = new Set((process.env.BENCH_PARTS ?? "peer,small,five,all,pair").split(",").map((x) => x.trim()));
const load = () => loadavg().map((x) => x.toFixed(1)).join(" ");

async function timeNetcheck(args: string[]): Promise<{ ms: number; checks: number }> {
  const dir = mkdtempSync(join(tmpdir(), "netcheck-suite-"));
  try {
    const started = performance.now();
    const r = await execa("node", [BIN, "run", ...args, "--json", "r.json", "--reports", "reports", "--no-color"], { cwd: dir, reject: false, env });
    const ms = performance.now() - started;
    if (r.exitCode !== 0) throw new Error(`netcheck run ${args.join(" ")} failed (exit ${r.exitCode}):\n${String(r.stdout).slice(-3000)}\n${String(r.stderr)}`);
    const run = JSON.parse(readFileSync(join(dir, "r.json"), "utf8")) as RunResult;
    return { ms, checks: run.scenarios.reduce((n, x) => n + x.checks.length, 0) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function timePeer(): Promise<{ ms: number; checks: number }> {
  const started = performance.now();
  const r = await execa("bash", [join(ROOT, "bench", "minimal-peer.sh")], { reject: false, env });
  if (r.exitCode !== 0) throw new Error(`minimal-peer.sh failed (exit ${r.exitCode}): ${String(r.stderr)}`);
  return { ms: performance.now() - started, checks: 2 };
}

async function best(what: string, run: () => Promise<{ ms: number; checks: number }>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t = await run();
    times.push(t.ms);
    console.log(`  ${what} round ${i + 1}: ${s(t.ms)} (${t.checks} checks)`);
  }
  return Math.min(...times);
}

function verdict(ms: number, goalMs: number): string {
  return ms <= goalMs ? "within goal" : `MISSED by ${s(ms - goalMs)}`;
}

async function main(): Promise<void> {
  console.log(`bench:suite — ${BIN}; best of ${ROUNDS}; load average before: ${load()} (1/5/15 min)`);
  const skipped = async () => NaN;
  const peer = PARTS.has("peer") ? await best("raw docker CLI minimal", timePeer) : await skipped();
  const small = PARTS.has("small") ? await best("netcheck small scenario", () => timeNetcheck([join(ROOT, "bench", "minimal-scenario.ts")])) : await skipped();
  const five = PARTS.has("five") ? await best("netcheck five modes", () => timeNetcheck(["bridge", "host", "none", "container", "user-defined"])) : await skipped();
  const all = PARTS.has("all") ? await best("netcheck --all", () => timeNetcheck(["--all"])) : await skipped();
  let pair: { ms: number }[] = [];
  if (PARTS.has("pair")) {
    console.log(`  two concurrent --all runs (load average now: ${load()})`);
    pair = await Promise.all([timeNetcheck(["--all"]), timeNetcheck(["--all"])]);
  }
  const worst = Math.max(...pair.map((p) => p.ms));
  const line = (label: string, ms: number, text: string) => Number.isFinite(ms) && console.log(`${label.padEnd(38)} ${s(ms)} (${text})`);
  console.log("");
  line("raw docker CLI minimal scenario:", peer, `best of ${ROUNDS}`);
  line("small user scenario, whole process:", small, `best of ${ROUNDS}; goal ≤ 1.50 s: ${verdict(small, 1500)}; ${(small / peer).toFixed(2)}× the raw CLI`);
  line("README five-mode command:", five, `best of ${ROUNDS}; goal ≤ 12.00 s: ${verdict(five, 12_000)}`);
  line("netcheck run --all:", all, `best of ${ROUNDS}; goal ≤ 30.00 s: ${verdict(all, 30_000)}`);
  if (pair.length) console.log(`two concurrent --all runs:             ${pair.map((p) => s(p.ms)).join(" and ")} (worst ${(worst / all).toFixed(2)}× the lone best; goal ≤ 1.5×: ${worst <= 1.5 * all ? "within goal" : "MISSED"})`);
  console.log(`load average after: ${load()}`);
}

main().catch((err: unknown) => {
  console.error(`bench:suite failed: ${(err as Error).message}`);
  process.exit(1);
});
