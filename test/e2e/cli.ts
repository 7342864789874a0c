/**
 * Running the BUILT CLI (bin/netcheck.js) the way a user or CI does, with
 * execa. dist/ is rebuilt once per file when any source is newer than it.
 * Every run id seen is remembered so the leftovers check after each test
 * knows what to look for.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { execa, type ResultPromise } from "execa";
import type { RunResult } from "../../src/report/model.js";

export const ROOT = resolve(fileURLToPath(import.meta.url), "../../..");
export const BIN = join(ROOT, "bin", "netcheck.js");
export const FIXTURES = join(ROOT, "test", "fixtures", "scenarios");

const seenRunIds = new Set<string>();

/** Run ids seen since the last call (for the leftovers check). */
export function takeRunIds(): string[] {
  const ids = [...seenRunIds];
  seenRunIds.clear();
  return ids;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (e.name.endsWith(".ts")) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** `npm run build` when dist/ is missing or older than src/ or scenarios/. */
export async function ensureBuilt(): Promise<void> {
  const main = join(ROOT, "dist", "src", "cli", "main.js");
  const stale = !existsSync(main) || Math.max(newestMtime(join(ROOT, "src")), newestMtime(join(ROOT, "scenarios"))) > statSync(main).mtimeMs;
  if (!stale) return;
  // tsc emits even with type errors elsewhere; the e2e tests judge the behaviour, typecheck judges the types.
  await execa("npx", ["tsc", "-p", "tsconfig.json"], { cwd: ROOT, reject: false });
  if (!existsSync(main)) throw new Error("npm run build did not produce dist/src/cli/main.js");
}

/** A fresh folder for one test's reports, JSON and JUnit. */
export function workDir(): string {
  return mkdtempSync(join(tmpdir(), "netcheck-e2e-"));
}

export interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  runId?: string;
}

const RUN_LINE = /netcheck run ([0-9a-z]{5}): lab up/;

export function runIdOf(stdout: string): string | undefined {
  return RUN_LINE.exec(stdout)?.[1];
}

/** Start the CLI without waiting (for kill -9 and concurrent runs). */
export function startNetcheck(args: string[], cwd: string, timeoutMs = 300_000): ResultPromise<{ cwd: string; reject: false; timeout: number; env: Record<string, string> }> {
  return execa("node", [BIN, ...args], { cwd, reject: false, timeout: timeoutMs, env: { NO_COLOR: "1" } });
}

/**
 * Resolve once the running netcheck has printed its first finished check (✓ or ✗):
 * by then its lab (hosts, networks, nodes, guards) exists. Returns a reader of all
 * stdout so far (it keeps collecting after this resolves).
 */
export async function firstCheckDone(child: ReturnType<typeof startNetcheck>, withinMs: number): Promise<() => string> {
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no check finished within ${withinMs / 1000} s:\n${out}`)), withinMs);
    const seen = () => {
      if (!/✓|✗/.test(out)) return;
      clearTimeout(timer);
      child.stdout!.off("data", seen);
      resolve();
    };
    child.stdout!.on("data", seen);
    child.once("exit", () => {
      clearTimeout(timer);
      reject(new Error(`netcheck exited before any check finished:\n${out}`));
    });
  });
  return () => out;
}

export async function netcheck(args: string[], cwd: string, timeoutMs = 300_000): Promise<CliRun> {
  const r = await startNetcheck(args, cwd, timeoutMs);
  return remember({ exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) });
}

export function remember(r: CliRun): CliRun {
  const runId = runIdOf(r.stdout);
  if (runId) seenRunIds.add(runId);
  return { ...r, runId };
}

export function readJson(file: string): RunResult {
  const run = JSON.parse(readFileSync(file, "utf8")) as RunResult;
  seenRunIds.add(run.runId);
  return run;
}

/** Show the CLI's output when an expectation about it fails. */
export function explain(r: CliRun): string {
  return `exit ${r.exitCode}\n--- stdout ---\n${r.stdout.slice(-6000)}\n--- stderr ---\n${r.stderr.slice(-3000)}`;
}
