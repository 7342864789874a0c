import type { CheckResult } from "../report/model.js";
import { metricsFromEvidence } from "./metrics.js";
import type { PerfCheckSpec, PerfRecord } from "./spec.js";

/**
 * Gathers each perf check's figures from every repeat as the runner reports them
 * (the merged CheckResult keeps one attempt's evidence; the spread needs them all).
 */
export class PerfCollector {
  private readonly records = new Map<string, PerfRecord>();

  constructor(private readonly specs: Map<string, { scenarioId: string; mode: string; spec: PerfCheckSpec }>) {}

  /** The run recorded for this attempt (undefined: not a perf check, or skipped). */
  add(check: CheckResult): PerfRecord["runs"][number] | undefined {
    const known = this.specs.get(check.id);
    if (!known || check.status === "skip") return undefined;
    const record = this.records.get(check.id) ?? { checkId: check.id, ...known, runs: [] };
    this.records.set(check.id, record);
    const metrics = metricsFromEvidence(check.evidence);
    const missing = known.spec.expects.filter((m) => metrics[m] === undefined);
    const run: PerfRecord["runs"][number] = missing.length === 0 ? { ok: true, metrics } : { ok: false, reason: check.reason ?? `no ${missing.join(", ")} measured` };
    record.runs.push(run);
    return run;
  }

  list(): PerfRecord[] {
    return [...this.records.values()];
  }
}
