/**
 * Performance as a run hook: the runner knows nothing of it. The hook selects
 * the perf checks (--perf, `netcheck bench`) or leaves them out, runs their
 * scenarios alone (no other lab beside a measurement) and the baseline mode
 * first, so that when a perf check is reported its relative thresholds have
 * already been judged against the baseline measured in this run: a printed
 * status is final. After the run it adds the summaries and the comparison.
 */
import type { RunHook } from "../scenario/run-hook.js";
import { isPerfCheck } from "../scenario/checks/perf.js";
import { PerfCollector } from "./collector.js";
import { buildComparison } from "./comparison.js";
import { judgeRecord, summarizePerf } from "./judge.js";
import { BASELINE_MODE, type PerfCheckSpec } from "./spec.js";

export type PerfSelection = "off" | "with" | "only";

export function perfHook(selection: PerfSelection): RunHook {
  const specs = new Map<string, { scenarioId: string; mode: string; spec: PerfCheckSpec }>();
  const collector = new PerfCollector(specs);
  return {
    name: "perf",
    selects: (_s, d) => (isPerfCheck(d) ? selection !== "off" : selection !== "only"),
    runsAlone: (_s, checks) => checks.some(isPerfCheck),
    rank: (s) => (s.mode === BASELINE_MODE ? -1 : 0),
    judge(s, d, result) {
      if (!isPerfCheck(d)) return result;
      specs.set(result.id, { scenarioId: s.id, mode: s.mode, spec: d.perf });
      const run = collector.add(result);
      const record = collector.list().find((r) => r.checkId === result.id);
      // A run that measured nothing keeps the check's own verdict.
      if (!run?.ok || !record) return result;
      return { ...result, ...judgeRecord({ ...record, runs: [run] }, collector.list(), result) };
    },
    finish(scenarios) {
      const records = collector.list();
      if (records.length === 0) return { options: { perf: selection } };
      summarizePerf(scenarios, records);
      return { options: { perf: selection }, comparison: buildComparison(scenarios, records) };
    },
  };
}
