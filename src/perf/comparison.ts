/**
 * The measured mode comparison: for every mode that ran perf checks, each path's
 * throughput and latency (median and spread over repeats) and its ratio to the
 * baseline mode (host networking) measured in the same run.
 */
import type { ModeComparison, PerfComparisonRow, RepeatFigure, ScenarioResult } from "../report/model.js";
import { figureOf, measurementsOf } from "./judge.js";
import { qualitativeTable } from "./qualitative.js";
import { BASELINE_MODE, type PerfRecord } from "./spec.js";

const PATH_ORDER = ["c2c", "c2h", "c2e"];

export function buildComparison(scenarios: readonly ScenarioResult[], records: readonly PerfRecord[]): ModeComparison {
  const rows = new Map<string, PerfComparisonRow>();
  for (const r of records) {
    const key = `${r.scenarioId}\u0000${r.spec.path}`;
    const row = rows.get(key) ?? { mode: r.mode, scenario: r.scenarioId, path: r.spec.path, checks: [] };
    rows.set(key, row);
    row.checks.push(r.checkId);
    const m = measurementsOf(r);
    if (r.spec.measure === "tcp") row.throughputBps = figureOf(m.throughput);
    else if (r.spec.measure === "udp") row.udp = { jitterMs: figureOf(m.jitter), lossPercent: figureOf(m.loss) };
    else {
      row.latencyP50Ms = figureOf(m["latency.p50"]);
      row.latencyP95Ms = figureOf(m["latency.p95"]);
      row.connectP50Ms = figureOf(m["connect.p50"]);
    }
  }
  const list = [...rows.values()];
  for (const row of list) {
    const base = list.find((b) => b.mode === BASELINE_MODE && b.path === row.path);
    if (!base) continue;
    const ratio = (a?: RepeatFigure, b?: RepeatFigure) => (a && b && b.median > 0 ? a.median / b.median : undefined);
    const r = { throughput: ratio(row.throughputBps, base.throughputBps), latencyP50: ratio(row.latencyP50Ms, base.latencyP50Ms), connectP50: ratio(row.connectP50Ms, base.connectP50Ms) };
    const defined = Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined));
    if (Object.keys(defined).length) row.ratioToBaseline = defined;
  }
  const modeOrder = [...new Set(scenarios.map((s) => s.mode))];
  const pathRank = (p: string) => (PATH_ORDER.includes(p) ? PATH_ORDER.indexOf(p) : PATH_ORDER.length);
  list.sort((a, b) => modeOrder.indexOf(a.mode) - modeOrder.indexOf(b.mode) || a.scenario.localeCompare(b.scenario) || pathRank(a.path) - pathRank(b.path) || a.path.localeCompare(b.path));
  const paths = [...new Set(list.map((r) => r.path))].sort((a, b) => pathRank(a) - pathRank(b) || a.localeCompare(b));
  return { baselineMode: BASELINE_MODE, paths, rows: list, qualitative: qualitativeTable(scenarios) };
}
