/**
 * Perf verdicts and summaries, pure: a check's verdict on one attempt against
 * the baselines measured so far (its status is then final), and, after the
 * run, each scenario's PerfSummary and the spread over repeats (data, never a
 * status change).
 */
import { collectRepeats, evaluateThreshold, summarizeRepeats, type PerfMeasurements, type PerfThreshold } from "../assert/perf.js";
import { formatBitRate, formatMs, formatPercent } from "../probes/stats.js";
import { type CheckResult, type PerfSummary, type RepeatFigure, type ScenarioResult } from "../report/model.js";
import { BASELINE_MODE, type PerfRecord } from "./spec.js";

export function figureOf(values: readonly number[] | undefined): RepeatFigure | undefined {
  const v = (values ?? []).filter((x) => Number.isFinite(x));
  if (v.length === 0) return undefined;
  const s = summarizeRepeats(v);
  return { median: s.median, min: s.min, max: s.max, n: s.n, cv: s.cv };
}

export function measurementsOf(r: PerfRecord): PerfMeasurements {
  return collectRepeats(r.runs.flatMap((x) => (x.ok ? [x.metrics] : [])));
}

/**
 * Baselines for `of`: a check id (contains "/") names that check; a mode name
 * names the check of that mode measuring the same path the same way.
 */
export function baselinesFor(r: PerfRecord, records: readonly PerfRecord[]): Record<string, PerfMeasurements> {
  const out: Record<string, PerfMeasurements> = {};
  for (const t of r.spec.thresholds) {
    if (!("of" in t)) continue;
    const base = t.of.includes("/")
      ? records.find((x) => x.checkId === t.of)
      : records.find((x) => x.mode === t.of && x.spec.path === r.spec.path && x.spec.measure === r.spec.measure);
    if (base) out[t.of] = measurementsOf(base);
  }
  return out;
}

/** The final verdict of one perf check over its repeats. */
export function judgeRecord(r: PerfRecord, records: readonly PerfRecord[], check: CheckResult): Pick<CheckResult, "status" | "reason"> {
  const failedRuns = r.runs.filter((x) => !x.ok);
  // A run that measured nothing keeps the runner's verdict (fail, or flaky across repeats).
  if (failedRuns.length > 0 || r.runs.length === 0) return { status: check.status, reason: check.reason };
  const measured = measurementsOf(r);
  const verdicts = r.spec.thresholds.map((t: PerfThreshold) => evaluateThreshold(t, measured, baselinesFor(r, records)));
  const spread = spreadNote(r, measured);
  if (verdicts.length === 0) return { status: "pass", reason: spread };
  const status = verdicts.some((v) => v.status === "fail") ? "fail" : verdicts.some((v) => v.status === "skip") ? "skip" : "pass";
  const shown = status === "pass" ? verdicts : verdicts.filter((v) => v.status === status);
  return { status, reason: shown.map((v) => v.reason).join("; ") };
}

export function spreadNote(r: PerfRecord, m: PerfMeasurements): string {
  const parts: string[] = [];
  const add = (label: string, values: number[] | undefined, fmt: (v: number) => string) => {
    const f = figureOf(values);
    if (!f) return;
    parts.push(f.n === 1 ? `${label} ${fmt(f.median)}` : `${label} ${fmt(f.median)} (p50 of ${f.n} repeats, spread ${range(fmt(f.min), fmt(f.max))}, cv ${formatPercent(f.cv * 100)})`);
  };
  add("throughput", m.throughput, formatBitRate);
  if (r.spec.measure === "udp") {
    add("jitter", m.jitter, formatMs);
    add("loss", m.loss, formatPercent);
  }
  add("ping p50", m["latency.p50"], formatMs);
  add("ping p95", m["latency.p95"], formatMs);
  add("connect p50", m["connect.p50"], formatMs);
  return parts.join(", ") || "measured";
}

/** "7–9 Gbit/s" when both ends share a unit, else "900 Mbit/s–1.2 Gbit/s". */
function range(lo: string, hi: string): string {
  const unit = lo.replace(/^[-\d.]+/, "");
  return unit !== "" && hi.endsWith(unit) ? `${lo.slice(0, -unit.length)}–${hi}` : `${lo}–${hi}`;
}

/**
 * After the run: fill each scenario's PerfSummary, and say the figures over
 * all repeats beside a perf check's reason. Statuses are left as they were
 * reported.
 */
export function summarizePerf(scenarios: ScenarioResult[], records: readonly PerfRecord[]): void {
  const byCheck = new Map(records.map((r) => [r.checkId, r]));
  for (const s of scenarios) {
    let touched = false;
    for (const c of s.checks) {
      const r = byCheck.get(c.id);
      if (!r || c.status === "skip") continue;
      touched = true;
      const ok = r.runs.filter((x) => x.ok).length;
      if (ok > 1) c.reason = `${c.reason ? `${c.reason}; ` : ""}over ${r.runs.length} repeats: ${spreadNote(r, measurementsOf(r))}`;
    }
    if (touched) s.perf = summaryOf(s, records);
  }
}

function summaryOf(s: ScenarioResult, records: readonly PerfRecord[]): PerfSummary {
  const paths: PerfSummary["paths"] = {};
  for (const r of records.filter((x) => x.scenarioId === s.id)) {
    const m = measurementsOf(r);
    const p = (paths[r.spec.path] ??= {});
    if (r.spec.measure === "tcp") {
      p.throughputBps = figureOf(m.throughput)?.median;
      const base = records.find((x) => x.mode === BASELINE_MODE && x.spec.path === r.spec.path && x.spec.measure === "tcp");
      const baseBps = base ? figureOf(measurementsOf(base).throughput)?.median : undefined;
      if (p.throughputBps !== undefined && baseBps) p.ratioToHost = p.throughputBps / baseBps;
    } else if (r.spec.measure === "latency") {
      p.latencyP50Ms = figureOf(m["latency.p50"])?.median;
      p.latencyP95Ms = figureOf(m["latency.p95"])?.median;
      p.connectMs = figureOf(m["connect.p50"])?.median;
    }
  }
  // JSON drops undefined anyway; keep the object tidy for deep-equality in tests.
  for (const p of Object.values(paths)) for (const k of Object.keys(p) as (keyof typeof p)[]) if (p[k] === undefined) delete p[k];
  return { paths };
}
