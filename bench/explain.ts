/**
 * npm run bench:explain — does `explain` name the fault that made a check
 * fail? Every mutant of bench:mutants and every doctor fault that changes a
 * flow (bench/mutants-catalogue.ts, each with the cause it must be named by)
 * is injected, one at a time, into the disposable lab machine; the suite runs
 * there through the real CLI and each failed check's `cause` (results.json)
 * is compared with the declared one.
 *
 * A fault is RIGHT when at least one of its failed checks names the declared
 * cause (kind cause or likely) and none states a different cause with
 * confidence (kind cause); WRONG when one does; MISS otherwise (no check
 * failed, or only inconclusive/unrelated likely causes). inconclusive is a
 * miss, never right.
 *
 * Each fault runs the built-in scenarios it declares (`scenarios`); `--modes`
 * runs those modes for every fault instead; `--no-healthy` skips the healthy
 * run (when the catalogue is split over two machines).
 *
 *   npm run bench:explain [-- --modes "bridge user-defined"] [--only icc-false,doctor/route-overlap] [--no-healthy]
 *
 * Last lines: right=<n>/<m> accuracy=<%> wrong=<k>.
 */
import { Engine } from "../src/engine/engine.js";
import { benchArgs, readyLabMachine, runSuite, withMutant, type SuiteCheck, type SuiteResult } from "./mutant-run.js";
import { DOCTOR_FAULTS, MUTANTS, type Mutant } from "./mutants-catalogue.js";

const { modes: asked, only } = benchArgs("");
const healthyToo = !process.argv.includes("--no-healthy");
const faults = [...MUTANTS, ...DOCTOR_FAULTS].filter((m) => !only || only.includes(m.id));
// A scenario id selects its mode and, with --only, that scenario's checks alone (built-in files are read-only in the machine).
const select = (ids: string[]): string[] => [...new Set(ids.map((id) => id.split("/")[0]!)), ...ids.flatMap((id) => ["--only", `'^${id}/'`])];
const targets = (m: Mutant) => (asked.length ? asked : select(m.scenarios));
// The healthy run covers every scenario any fault runs, whichever faults were picked.
const modes = asked.length ? asked : select([...new Set([...MUTANTS, ...DOCTOR_FAULTS].flatMap((m) => m.scenarios))]);

type Score = "RIGHT" | "MISS" | "WRONG";
const named = (c: SuiteCheck, m: Mutant) => c.cause !== undefined && c.cause.kind !== "inconclusive" && c.cause.kind !== "delivered" && m.cause.expect.test(`${c.cause.summary}\n${c.cause.fix ?? ""}`);

function score(m: Mutant, r: SuiteResult): { score: Score; failed: SuiteCheck[]; right: SuiteCheck[]; wrong: SuiteCheck[] } {
  const failed = r.checks.filter((c) => c.status === "fail");
  const right = failed.filter((c) => named(c, m));
  const wrong = failed.filter((c) => c.cause?.kind === "cause" && !named(c, m));
  return { score: wrong.length ? "WRONG" : right.length ? "RIGHT" : "MISS", failed, right, wrong };
}

const short = (c: SuiteCheck) => (c.cause ? `${c.cause.kind}: ${c.cause.summary}`.slice(0, 220) : "(no cause)");

const outer = Engine.fromEnv("local");
const machine = await readyLabMachine(outer);
let exitCode = 0;
try {
  console.log(`lab machine ${machine.name} ready; suite: netcheck run ${modes.join(" ")}; ${faults.length} faults`);
  const healthy = healthyToo ? await runSuite(machine, modes, "healthy") : { checks: [], failed: [], passed: 0, skipped: 0, seconds: 0, error: "skipped (--no-healthy)" };
  const withCause = healthy.checks.filter((c) => c.cause);
  console.log(`healthy: ${healthy.passed} passed, ${healthy.failed.length} failed, ${withCause.length} checks carry a cause${healthy.error ? `\n  could not run: ${healthy.error}` : ""}`);
  for (const c of healthy.checks.filter((x) => x.status === "fail")) console.log(`  ✗ ${c.id}: ${short(c)}`);

  const rows: { m: Mutant; score: Score; failed: number; right: number; wrong: number; named: string }[] = [];
  for (const m of faults) {
    const r = await withMutant(machine, m, () => runSuite(machine, targets(m), m.id.replace(/\//g, "-"))).catch((err: Error) => ({ checks: [], failed: [], passed: 0, skipped: 0, seconds: 0, error: err.message }) as SuiteResult);
    const s = score(m, r);
    const shown = s.right[0] ?? s.wrong[0] ?? s.failed.find((c) => c.cause) ?? s.failed[0];
    rows.push({ m, score: s.score, failed: s.failed.length, right: s.right.length, wrong: s.wrong.length, named: shown ? `${shown.id}: ${short(shown)}` : r.error ? `could not run: ${r.error.slice(0, 200)}` : "no check failed" });
    console.log(`${s.score.padEnd(5)} ${m.id} — expected: ${m.cause.says}; ${s.failed.length} failed, ${s.right.length} named it, ${s.wrong.length} confident other causes (${r.seconds.toFixed(0)} s)`);
    for (const c of s.failed) console.log(`    ${named(c, m) ? "✓" : c.cause?.kind === "cause" ? "✗" : "·"} ${c.id} — ${short(c)}${c.cause?.fix ? `\n        fix: ${c.cause.fix.slice(0, 200)}` : ""}`);
  }
  console.log("\n| fault | expected cause | result | failed checks naming it | what explain named (first) |\n|---|---|---|---|---|");
  for (const r of rows) console.log(`| \`${r.m.id}\` | ${r.m.cause.says} | ${r.score} | ${r.right}/${r.failed}${r.wrong ? ` (${r.wrong} wrong)` : ""} | ${r.named.replace(/\|/g, "\\|")} |`);
  const right = rows.filter((r) => r.score === "RIGHT").length;
  const wrong = rows.filter((r) => r.score === "WRONG").length;
  const checks = rows.reduce((a, r) => [a[0]! + r.right, a[1]! + r.failed], [0, 0]);
  console.log(`failed checks naming their fault: ${checks[0]}/${checks[1]}`);
  console.log(`healthy checks carrying a cause=${withCause.length}`);
  console.log(`right=${right}/${rows.length} accuracy=${rows.length ? ((100 * right) / rows.length).toFixed(0) : 0}% wrong=${wrong}`);
  if (right < 0.9 * rows.length || wrong > 0 || withCause.length > 0) exitCode = 1;
} catch (err) {
  console.error(`bench:explain: ${(err as Error).message}`);
  exitCode = 2;
} finally {
  await machine.remove();
}
process.exit(exitCode);
