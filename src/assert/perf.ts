/**
 * Performance thresholds a scenario declares, evaluated over measured figures.
 * Like every assertion, evaluation returns data (pass/fail/skip with a reason that
 * carries the numbers); it never throws for a failed threshold. Only a threshold
 * that cannot be read (unknown metric, "1 GB/s") is a UsageError: that is the
 * scenario author's mistake, found before any traffic is sent (see checkThreshold).
 */
import type { MeasurementEvidence } from "../report/model.js";
import { UsageError } from "../util/errors.js";
import { throughputEvidence, type ThroughputResult } from "../probes/iperf3.js";
import { latencyEvidence, type LatencyResult } from "../probes/ping.js";
import { tcpConnectEvidence, type TcpConnectResult } from "../probes/tcp-connect.js";
import {
  formatBitRate,
  formatMs,
  formatPercent,
  parseBitRate,
  parseDurationMs,
  parsePercent,
  sig3,
  summarizeRepeats,
  type RepeatSummary,
} from "../probes/stats.js";

export { summarizeRepeats, type RepeatSummary };

/**
 * Metric names: "throughput" (bit/s), "latency.<stat>" and "connect.<stat>" (ms,
 * stat = min|p50|p95|p99|max|mean), "jitter" (ms), "loss" (%), "retransmits" (count).
 */
export type PerfMetric = string;

export type PerfThreshold =
  | { metric: PerfMetric; atLeast: string | number }
  | { metric: PerfMetric; atMost: string | number }
  | { metric: PerfMetric; atLeastRatio: number; of: string }
  | { metric: PerfMetric; atMostRatio: number; of: string };

/** Each metric's values, one per repeat (a single run is a one-element array). */
export type PerfMeasurements = Record<PerfMetric, number[]>;

export interface ThresholdVerdict {
  status: "pass" | "fail" | "skip";
  reason: string;
  /** The aggregated figure that was compared (median of repeats), when there was one. */
  measured?: number;
}

type Dimension = "rate" | "time" | "percent" | "count";

const STATS = ["min", "p50", "p95", "p99", "max", "mean"];

function dimensionOf(metric: PerfMetric): Dimension | undefined {
  if (metric === "throughput") return "rate";
  if (metric === "jitter") return "time";
  if (metric === "loss") return "percent";
  if (metric === "retransmits") return "count";
  const [family, stat] = metric.split(".");
  if ((family === "latency" || family === "connect") && stat !== undefined && STATS.includes(stat)) return "time";
  return undefined;
}

function parseFor(dim: Dimension, text: string | number): number | undefined {
  if (dim === "rate") return parseBitRate(text);
  if (dim === "time") return parseDurationMs(text);
  if (dim === "percent") return parsePercent(text);
  const n = Number(text);
  return typeof text === "number" || /^\s*\d+\s*$/.test(text) ? (Number.isFinite(n) && n >= 0 ? n : undefined) : undefined;
}

function format(dim: Dimension, value: number): string {
  if (dim === "rate") return formatBitRate(value);
  if (dim === "time") return formatMs(value);
  if (dim === "percent") return formatPercent(value);
  return sig3(value);
}

const EXAMPLES: Record<Dimension, string> = { rate: '"1 Gbit/s", "500 Mbit/s"', time: '"2 ms", "150us"', percent: '"1%"', count: "a whole number" };

/** Validates a threshold up front; returns its limit in base units (bit/s, ms, %, count), or the ratio. */
export function checkThreshold(t: PerfThreshold): { dimension: Dimension; limit: number } {
  const dim = dimensionOf(t.metric);
  if (!dim) {
    throw new UsageError(`Unknown performance metric "${t.metric}".`, {
      hint: `Use throughput, jitter, loss, retransmits, or latency.<stat> / connect.<stat> with stat one of ${STATS.join(", ")}.`,
    });
  }
  if ("atLeastRatio" in t || "atMostRatio" in t) {
    const r = "atLeastRatio" in t ? t.atLeastRatio : t.atMostRatio;
    if (!(r > 0) || !t.of) throw new UsageError(`Threshold on ${t.metric}: a ratio must be > 0 and name its baseline with "of".`);
    return { dimension: dim, limit: r };
  }
  const text = "atLeast" in t ? t.atLeast : t.atMost;
  const limit = parseFor(dim, text);
  if (limit === undefined) {
    throw new UsageError(`Cannot read ${JSON.stringify(text)} as a limit for ${t.metric}.`, { hint: `Write it like ${EXAMPLES[dim]}.` });
  }
  return { dimension: dim, limit };
}

/** "(p50 of 3 repeats, spread 398–430 Mbit/s)" or "(1 run)". */
function repeatNote(dim: Dimension, s: RepeatSummary): string {
  if (s.n === 1) return "(1 run)";
  const lo = format(dim, s.min);
  const hi = format(dim, s.max);
  // "398–430 Mbit/s" rather than "398 Mbit/s–430 Mbit/s" when both ends share a unit.
  const loUnit = lo.replace(/^[-\d.]+/, "");
  const range = loUnit !== "" && hi.endsWith(loUnit) ? `${lo.slice(0, -loUnit.length)}–${hi}` : `${lo}–${hi}`;
  return `(p50 of ${s.n} repeats, spread ${range})`;
}

export function evaluateThreshold(
  t: PerfThreshold,
  measured: PerfMeasurements,
  baselines: Record<string, PerfMeasurements> = {},
): ThresholdVerdict {
  const { dimension: dim, limit } = checkThreshold(t);
  const values = (measured[t.metric] ?? []).filter((v) => Number.isFinite(v));
  // A declared threshold with nothing to compare is a failure, not a skip: the path
  // did not deliver a figure (100% loss, iperf3 could not connect).
  if (values.length === 0) return { status: "fail", reason: `${t.metric} was not measured (no successful run), so it cannot meet its threshold` };
  const s = summarizeRepeats(values);
  const value = s.median;
  const shown = `${t.metric} ${format(dim, value)}`;
  const note = repeatNote(dim, s);

  if ("atLeast" in t || "atMost" in t) {
    const atLeast = "atLeast" in t;
    const ok = atLeast ? value >= limit : value <= limit;
    const op = atLeast ? (ok ? "≥" : "<") : ok ? "≤" : ">";
    const word = atLeast ? "required at least" : "allowed at most";
    return { status: ok ? "pass" : "fail", measured: value, reason: `${shown} ${op} ${word} ${format(dim, limit)} ${note}` };
  }

  const base = (baselines[t.of]?.[t.metric] ?? []).filter((v) => Number.isFinite(v));
  if (base.length === 0) return { status: "skip", measured: value, reason: `no ${t.metric} baseline "${t.of}" was measured in this run, so ${shown} cannot be compared to it` };
  const baseValue = summarizeRepeats(base).median;
  if (baseValue === 0) return { status: "skip", measured: value, reason: `baseline "${t.of}" ${t.metric} is 0, a ratio to it means nothing` };
  const ratio = value / baseValue;
  const atLeast = "atLeastRatio" in t;
  const ok = atLeast ? ratio >= limit : ratio <= limit;
  const op = atLeast ? (ok ? "≥" : "<") : ok ? "≤" : ">";
  const word = atLeast ? "required at least" : "allowed at most";
  return {
    status: ok ? "pass" : "fail",
    measured: value,
    reason: `${shown} is ${sig3(ratio)}× ${t.of} (${format(dim, baseValue)}), ${op} ${word} ${sig3(limit)}× ${note}`,
  };
}

/** The expectation in words, for CheckResult.expectation: "throughput ≥ 1 Gbit/s", "latency.p95 ≤ 2× host". */
export function describeThreshold(t: PerfThreshold): string {
  const { dimension: dim, limit } = checkThreshold(t);
  if ("atLeastRatio" in t) return `${t.metric} ≥ ${sig3(limit)}× ${t.of}`;
  if ("atMostRatio" in t) return `${t.metric} ≤ ${sig3(limit)}× ${t.of}`;
  return `${t.metric} ${"atLeast" in t ? "≥" : "≤"} ${format(dim, limit)}`;
}

export type PerfProbeResult = ThroughputResult | LatencyResult | TcpConnectResult;

/** The threshold-addressable figures of one probe run; a failed run yields none. */
export function perfMetrics(r: PerfProbeResult): Record<PerfMetric, number> {
  const out: Record<PerfMetric, number> = {};
  if (!r.ok) return out;
  if (r.kind === "throughput") {
    out.throughput = r.bitsPerSecond;
    if (r.retransmits !== undefined) out.retransmits = r.retransmits;
    if (r.udp) Object.assign(out, { jitter: r.udp.jitterMs, loss: r.udp.lostPercent });
    return out;
  }
  if (r.kind === "latency") out.loss = r.lossPercent;
  const family = r.kind === "latency" ? "latency" : "connect";
  if (r.stats) for (const k of STATS) out[`${family}.${k}`] = r.stats[k as keyof typeof r.stats];
  return out;
}

/** Folds per-repeat metrics into per-metric arrays: [{throughput: 1}, {throughput: 2}] → {throughput: [1, 2]}. */
export function collectRepeats(runs: readonly Record<PerfMetric, number>[]): PerfMeasurements {
  const out: PerfMeasurements = {};
  for (const run of runs) for (const [k, v] of Object.entries(run)) (out[k] ??= []).push(v);
  return out;
}

/** MeasurementEvidence for a probe result (none for a failed run: record its error as a note). */
export function toMeasurementEvidence(r: PerfProbeResult): MeasurementEvidence[] {
  if (!r.ok) return [];
  if (r.kind === "throughput") return [throughputEvidence(r)];
  if (r.kind === "latency") return latencyEvidence(r);
  const e = tcpConnectEvidence(r);
  return e ? [e] : [];
}
