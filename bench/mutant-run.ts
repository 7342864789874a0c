/**
 * Running the built-in suite inside the lab machine, with one fault injected
 * (bench:mutants counts the checks it fails; bench:explain reads their causes).
 */
import type { CheckCause } from "../src/report/model.js";
import type { Engine } from "../src/engine/engine.js";
import { newRunId } from "../src/util/ids.js";
import { startLabMachine, type LabMachine } from "./lab-machine.js";
import type { Mutant } from "./mutants-catalogue.js";

export interface SuiteCheck {
  id: string;
  status: string;
  reason?: string;
  cause?: CheckCause;
}

export interface SuiteResult {
  /** Every check of the run as results.json has it (the explain bench reads their causes). */
  checks: SuiteCheck[];
  failed: string[];
  passed: number;
  skipped: number;
  seconds: number;
  error?: string;
}

/** `selection`: the `netcheck run` arguments choosing what runs (modes, `--only <regex>`). */
export async function runSuite(machine: LabMachine, selection: string[], label: string): Promise<SuiteResult> {
  const started = Date.now();
  const json = `/tmp/result-${label}.json`;
  const r = await machine.sh(`node bin/netcheck.js run ${selection.join(" ")} --json ${json} --reports /tmp/reports --no-color --concurrency 2 --timeout 300 > /tmp/run-${label}.log 2>&1; cat ${json}`, 900_000);
  const seconds = (Date.now() - started) / 1000;
  try {
    const result = JSON.parse(r.stdout) as { scenarios: { checks: SuiteCheck[] }[] };
    const checks = result.scenarios.flatMap((s) => s.checks);
    return {
      checks,
      failed: checks.filter((c) => c.status === "fail").map((c) => `${c.id}: ${(c.reason ?? "").slice(0, 160)}`),
      passed: checks.filter((c) => c.status === "pass").length,
      skipped: checks.filter((c) => c.status === "skip").length,
      seconds,
    };
  } catch {
    const log = await machine.sh(`tail -15 /tmp/run-${label}.log`);
    return { checks: [], failed: [], passed: 0, skipped: 0, seconds, error: log.stdout.trim() || r.stderr.trim() };
  }
}

export async function withMutant<T>(machine: LabMachine, m: Mutant, body: () => Promise<T>): Promise<T> {
  if (m.daemonFlags) await machine.startDockerd(m.daemonFlags);
  if (m.apply) {
    const r = await machine.sh(m.apply);
    if (r.exitCode !== 0) throw new Error(`could not apply mutant ${m.id}: ${r.stderr.trim() || r.stdout.trim()}`);
  }
  if (m.watcher) await machine.sh(`(${m.watcher}) >/tmp/watcher.log 2>&1 & echo $! > /tmp/watcher.pid`);
  try {
    return await body();
  } finally {
    if (m.watcher) await machine.sh("kill $(cat /tmp/watcher.pid) 2>/dev/null; rm -f /tmp/watcher.pid /tmp/mutant-done; true");
    if (m.undo) await machine.sh(m.undo);
    if (m.daemonFlags || m.restoreByRestart) await machine.startDockerd();
  }
}


/** `--modes "a b"` and `--only x,y` of the lab-machine benches. */
export function benchArgs(defaultModes: string): { modes: string[]; only?: string[] } {
  const args = process.argv.slice(2);
  const opt = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const only = opt("--only")?.split(",");
  return { modes: (opt("--modes") ?? defaultModes).split(/[\s,]+/).filter(Boolean), ...(only ? { only } : {}) };
}

/** A lab machine with its dockerd up and `netcheck setup` done inside; removed on Ctrl-C. */
export async function readyLabMachine(outer: Engine): Promise<LabMachine> {
  const machine = await startLabMachine(outer, newRunId());
  const onSignal = () => void machine.remove().finally(() => process.exit(130));
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    await machine.startDockerd();
    const setup = await machine.sh("node bin/netcheck.js setup --no-install 2>&1", 300_000);
    if (setup.exitCode !== 0) throw new Error(`netcheck setup inside the lab machine failed:\n${setup.stdout}`);
    return machine;
  } catch (err) {
    await machine.remove();
    throw err;
  }
}
