/**
 * The threshold-addressable figures (see src/assert/perf.ts) read back from a
 * check's MeasurementEvidence. The evidence is what the report keeps, so the
 * post-run pass works from exactly what a reader of results.json sees.
 */
import type { Evidence, MeasurementEvidence } from "../report/model.js";
import type { PerfMetric } from "../assert/perf.js";

const STATS = ["min", "p50", "p95", "p99", "max", "mean"] as const;

export function metricsFromEvidence(evidence: readonly Evidence[]): Record<PerfMetric, number> {
  const out: Record<PerfMetric, number> = {};
  for (const ev of evidence) {
    if (ev.kind !== "measurement") continue;
    Object.assign(out, metricsOf(ev));
  }
  return out;
}

function metricsOf(ev: MeasurementEvidence): Record<PerfMetric, number> {
  const s = ev.stats ?? {};
  const out: Record<PerfMetric, number> = {};
  switch (ev.metric) {
    case "throughput":
      out.throughput = ev.value;
      if (s.retransmits !== undefined) out.retransmits = s.retransmits;
      if (s.jitterMs !== undefined) out.jitter = s.jitterMs;
      if (s.loss !== undefined) out.loss = s.loss;
      break;
    case "loss":
      out.loss = ev.value;
      break;
    case "latency":
    case "connect":
      for (const k of STATS) if (s[k] !== undefined) out[`${ev.metric}.${k}`] = s[k] as number;
      break;
  }
  return out;
}
