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

  add(check: CheckResult): void {
    const known = this.specs.get(check.id);
    if (!known || check.status === "skip") return;
    const record = this.records.get(check.id) ?? { checkId: check.id, ...known, runs: [] };
    this.records.set(check.id, record);
    const metrics = metricsFromEvidence(check.evidence);
    const missing = known.spec.expects.filter((m) => metrics[m] === undefined);
    record.runs.push(missing.length === 0 ? { ok: true, metrics } : { ok: false, reason: check.reason ?? `no ${missing.join(", ")} measured` });
  }

  list(): PerfRecord[] {
    return [...this.records.values()];
  }
}
