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
import { MUTANTS } from "./mutants-catalogue.js";
import { benchArgs, readyLabMachine, runSuite, withMutant, type SuiteResult } from "./mutant-run.js";

const { modes, only } = benchArgs("bridge host none container user-defined macvlan");
const mutants = MUTANTS.filter((m) => !only || only.includes(m.id));

const outer = Engine.fromEnv("local");
const t0 = Date.now();
const machine = await readyLabMachine(outer);
let exitCode = 0;
try {
  console.log(`lab machine ${machine.name} ready in ${((Date.now() - t0) / 1000).toFixed(1)} s (no network; its own dockerd); suite: netcheck run ${modes.join(" ")}`);

  const healthy = await runSuite(machine, modes, "healthy");
  console.log(`healthy: ${healthy.passed} passed, ${healthy.failed.length} failed, ${healthy.skipped} skipped (${healthy.seconds.toFixed(0)} s)${healthy.error ? `\n  could not run: ${healthy.error}` : ""}`);
  for (const f of healthy.failed) console.log(`  ✗ ${f}`);

  let killed = 0;
  for (const m of mutants) {
    const r = await withMutant(machine, m, () => runSuite(machine, modes, m.id)).catch((err: Error) => ({ checks: [], failed: [], passed: 0, skipped: 0, seconds: 0, error: err.message }) as SuiteResult);
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
