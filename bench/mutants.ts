/**
 * npm run bench:mutants — does the built-in single-host suite kill the network
 * faults it claims to watch? Each mutant (bench/mutants-catalogue.ts) is
 * injected, one at a time, into a disposable lab machine (a networkless
 * container with its own dockerd, bench/lab-machine.ts), never into this host;
 * the suite runs there through the real CLI. A mutant is *killed* when at least
 * one check fails; the healthy machine must give 0 failures.
 *
 *   npm run bench:mutants [-- --modes "bridge user-defined" --only icc-false,ip-forward-off]
 *
 * Last line: killed=<n>/<m>.
 */
import { Engine } from "../src/engine/engine.js";
import { newRunId } from "../src/util/ids.js";
import { startLabMachine, type LabMachine } from "./lab-machine.js";
import { MUTANTS, type Mutant } from "./mutants-catalogue.js";

interface SuiteResult {
  failed: string[];
  passed: number;
  skipped: number;
  seconds: number;
  error?: string;
}

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const modes = (opt("--modes") ?? "bridge host none container user-defined macvlan").split(/[\s,]+/).filter(Boolean);
const only = opt("--only")?.split(",");
const mutants = MUTANTS.filter((m) => !only || only.includes(m.id));

async function runSuite(machine: LabMachine, label: string): Promise<SuiteResult> {
  const started = Date.now();
  const json = `/tmp/result-${label}.json`;
  const r = await machine.sh(`node bin/netcheck.js run ${modes.join(" ")} --json ${json} --reports /tmp/reports --no-color --concurrency 2 > /tmp/run-${label}.log 2>&1; cat ${json}`, 900_000);
  const seconds = (Date.now() - started) / 1000;
  try {
    const result = JSON.parse(r.stdout) as { scenarios: { checks: { id: string; status: string; reason?: string }[] }[] };
    const checks = result.scenarios.flatMap((s) => s.checks);
    return {
      failed: checks.filter((c) => c.status === "fail").map((c) => `${c.id}: ${(c.reason ?? "").slice(0, 160)}`),
      passed: checks.filter((c) => c.status === "pass").length,
      skipped: checks.filter((c) => c.status === "skip").length,
      seconds,
    };
  } catch {
    const log = await machine.sh(`tail -15 /tmp/run-${label}.log`);
    return { failed: [], passed: 0, skipped: 0, seconds, error: log.stdout.trim() || r.stderr.trim() };
  }
}

async function withMutant<T>(machine: LabMachine, m: Mutant, body: () => Promise<T>): Promise<T> {
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

const outer = Engine.fromEnv("local");
const runId = newRunId();
const t0 = Date.now();
const machine = await startLabMachine(outer, runId);
const onSignal = () => void machine.remove().finally(() => process.exit(130));
process.once("SIGINT", onSignal);
process.once("SIGTERM", onSignal);
let exitCode = 0;
try {
  await machine.startDockerd();
  const setup = await machine.sh("node bin/netcheck.js setup --no-install 2>&1", 300_000);
  if (setup.exitCode !== 0) throw new Error(`netcheck setup inside the lab machine failed:\n${setup.stdout}`);
  console.log(`lab machine ${machine.name} ready in ${((Date.now() - t0) / 1000).toFixed(1)} s (no network; its own dockerd); suite: netcheck run ${modes.join(" ")}`);

  const healthy = await runSuite(machine, "healthy");
  console.log(`healthy: ${healthy.passed} passed, ${healthy.failed.length} failed, ${healthy.skipped} skipped (${healthy.seconds.toFixed(0)} s)${healthy.error ? `\n  could not run: ${healthy.error}` : ""}`);
  for (const f of healthy.failed) console.log(`  ✗ ${f}`);

  let killed = 0;
  for (const m of mutants) {
    const r = await withMutant(machine, m, () => runSuite(machine, m.id)).catch((err: Error) => ({ failed: [], passed: 0, skipped: 0, seconds: 0, error: err.message }) as SuiteResult);
    const dead = r.failed.length > 0;
    if (dead) killed++;
    console.log(`${dead ? "KILLED  " : r.error ? "ERROR   " : "SURVIVED"} ${m.id} — ${m.fault} (${r.passed} passed, ${r.failed.length} failed, ${r.seconds.toFixed(0)} s)${r.error ? `\n  could not run: ${r.error}` : ""}`);
    for (const f of r.failed.slice(0, 8)) console.log(`    by ${f}`);
    if (r.failed.length > 8) console.log(`    … and ${r.failed.length - 8} more`);
  }
  console.log(`healthy failures=${healthy.failed.length}${healthy.error ? " (the healthy suite did not run)" : ""}`);
  console.log(`killed=${killed}/${mutants.length}`);
  if (healthy.failed.length || healthy.error || killed < mutants.length) exitCode = 1;
} catch (err) {
  console.error(`bench:mutants: ${(err as Error).message}`);
  exitCode = 2;
} finally {
  await machine.remove();
}
process.exit(exitCode);
