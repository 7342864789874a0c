import { cleanText } from "./escape.js";
import { firstLine } from "../util/errors.js";
import { formatDuration } from "./format.js";
import type { CheckResult, RunResult, ScenarioResult } from "./model.js";
import { makeStyle, STATUS_SYMBOL, statusStyle, truncate, type Style } from "./term-style.js";

export interface SummaryOptions {
  color: boolean;
  /** Terminal columns; lines are cut to fit. Unset: no cutting. */
  width?: number;
}

const LABEL = { pass: "PASS ", fail: "FAIL ", skip: "SKIP ", flaky: "FLAKY" } as const;

/**
 * The end-of-run terminal summary: one line per scenario (failures first),
 * then its failed, flaky and skipped checks with their reasons, run errors,
 * the totals and where the report is.
 */
export function renderSummary(run: RunResult, opts: SummaryOptions): string {
  const st = makeStyle(opts.color);
  const out: string[] = [];
  const order = { fail: 0, flaky: 1, pass: 2, skip: 3 } as const;
  const scenarios = [...run.scenarios].sort((a, b) => order[a.status] - order[b.status]);
  for (const s of scenarios) {
    out.push(scenarioLine(s, st, opts.width));
    for (const c of s.checks) {
      // A whole-scenario skip already says why on its own line; repeating it per check is noise.
      if (c.status === "pass" || (c.status === "skip" && c.reason === s.reason)) continue;
      out.push(fit(`    ${STATUS_SYMBOL[c.status]} ${c.name}: ${oneLine(c.reason ?? c.expectation)}`, opts.width, statusStyle(st, c.status)));
    }
  }
  if (run.errors.length > 0) {
    out.push("", st.red(st.bold("Errors:")));
    for (const e of run.errors) out.push(fit(`  ${e.scenario ? `${e.scenario}: ` : ""}${oneLine(e.message)}`, opts.width, st.red));
  }
  out.push("", totalsLine(run, st));
  if (run.reportDir) out.push(`Report: ${run.reportDir}/index.html`);
  return `${out.join("\n")}\n`;
}

/** `12 passed, 1 failed, 3 skipped, 1 flaky (16 checks in 9 scenarios, 1 m 12 s)` */
export function totalsLine(run: RunResult, st: Style = makeStyle(false)): string {
  const t = run.totals;
  const parts = [st.green(`${t.pass} passed`)];
  parts.push(t.fail > 0 ? st.red(st.bold(`${t.fail} failed`)) : `${t.fail} failed`);
  parts.push(`${t.skip} skipped`);
  if (t.flaky > 0) parts.push(st.yellow(`${t.flaky} flaky`));
  const errs = run.errors.length > 0 ? `, ${run.errors.length} error${run.errors.length > 1 ? "s" : ""}` : "";
  return `${parts.join(", ")}${errs} ${st.dim(`(${t.checks} check${t.checks === 1 ? "" : "s"} in ${t.scenarios} scenario${t.scenarios === 1 ? "" : "s"}, ${formatDuration(run.durationMs)})`)}`;
}

/** One line per finished check, for live progress. */
export function renderCheckLine(check: CheckResult, opts: SummaryOptions): string {
  const st = makeStyle(opts.color);
  const paint = statusStyle(st, check.status);
  const why = check.status === "pass" ? "" : `: ${oneLine(check.reason ?? "")}`;
  const text = truncate(`  ${STATUS_SYMBOL[check.status]} ${check.id}${why}`, opts.width === undefined ? undefined : opts.width - 10);
  return `${paint(text)} ${st.dim(formatDuration(check.durationMs))}`;
}

function scenarioLine(s: ScenarioResult, st: Style, width?: number): string {
  const paint = statusStyle(st, s.status);
  const counts = s.checks.length > 0 ? `${s.checks.filter((c) => c.status === "pass" || c.status === "flaky").length}/${s.checks.length}` : "";
  const reason = s.reason ? ` — ${oneLine(s.reason)}` : "";
  const head = `${STATUS_SYMBOL[s.status]} ${LABEL[s.status]} ${s.id} (${s.mode})`;
  const tail = ` ${counts ? `${counts} ` : ""}${formatDuration(s.durationMs)}`;
  const room = width === undefined ? undefined : Math.max(10, width - tail.length);
  return `${paint(st.bold(truncate(`${head}${reason}`, room)))}${st.dim(tail)}`;
}

function fit(text: string, width: number | undefined, paint: (s: string) => string): string {
  return paint(truncate(text, width));
}

function oneLine(text: string): string {
  return firstLine(cleanText(text));
}
