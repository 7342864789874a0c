import { compareMeasurements, higherIsBetter, type Comparison } from "./measurement-compare.js";
import type { CheckStatus, MeasurementEvidence, RunResult, ScenarioResult } from "./model.js";

/** What changed between two runs. A scenario without checks is compared as one entry, `<scenario id>`. */
export interface RunDiff {
  before: { runId: string; startedAt: string };
  after: { runId: string; startedAt: string };
  newFailures: StatusChange[];
  fixed: StatusChange[];
  newSkips: StatusChange[];
  /** Any other status change (pass → flaky, skip → pass…). */
  otherChanges: StatusChange[];
  appeared: StatusChange[];
  disappeared: StatusChange[];
  perfRegressions: PerfRegression[];
}

export interface StatusChange {
  id: string;
  scenario: string;
  /** undefined: the check did not exist on that side. */
  before?: CheckStatus;
  after?: CheckStatus;
  reason?: string;
}

export interface PerfRegression extends Comparison {
  /** Check id (or `<scenario>/perf/<path>`) and metric. */
  id: string;
  metric: string;
  unit: string;
}

type Measurement = Pick<MeasurementEvidence, "metric" | "unit" | "value" | "samples" | "better">;

interface Entry {
  scenario: string;
  status: CheckStatus;
  reason?: string;
  measurements: Measurement[];
}

export function diffRuns(a: RunResult, b: RunResult): RunDiff {
  const ea = entries(a);
  const eb = entries(b);
  const d: RunDiff = {
    before: { runId: a.runId, startedAt: a.startedAt },
    after: { runId: b.runId, startedAt: b.startedAt },
    newFailures: [],
    fixed: [],
    newSkips: [],
    otherChanges: [],
    appeared: [],
    disappeared: [],
    perfRegressions: [],
  };
  for (const [id, x] of ea) {
    if (!eb.has(id)) d.disappeared.push({ id, scenario: x.scenario, before: x.status, ...(x.reason ? { reason: x.reason } : {}) });
  }
  for (const [id, y] of eb) {
    const x = ea.get(id);
    const change: StatusChange = { id, scenario: y.scenario, before: x?.status, after: y.status, ...(y.reason ? { reason: y.reason } : {}) };
    if (!x) {
      d.appeared.push(change);
      if (y.status === "fail") d.newFailures.push(change);
      continue;
    }
    if (x.status !== y.status) {
      if (y.status === "fail") d.newFailures.push(change);
      else if (x.status === "fail" && (y.status === "pass" || y.status === "flaky")) d.fixed.push(change);
      else if (y.status === "skip") d.newSkips.push(change);
      else d.otherChanges.push(change);
    }
    d.perfRegressions.push(...regressions(id, x.measurements, y.measurements));
  }
  const pa = new Map(a.scenarios.flatMap(perfEntries));
  for (const [id, mb] of b.scenarios.flatMap(perfEntries)) {
    const ma = pa.get(id);
    if (ma) d.perfRegressions.push(...regressions(id, ma, mb));
  }
  return d;
}

function regressions(id: string, before: Measurement[], after: Measurement[]): PerfRegression[] {
  const out: PerfRegression[] = [];
  for (const m of after) {
    const old = before.find((o) => o.metric === m.metric && o.unit === m.unit);
    if (!old) continue;
    const cmp = compareMeasurements(old, m, higherIsBetter(m));
    if (cmp.regression) out.push({ id, metric: m.metric, unit: m.unit, ...cmp });
  }
  return out;
}

export function hasRegressions(d: RunDiff): boolean {
  return d.newFailures.length > 0 || d.perfRegressions.length > 0;
}

function entries(run: RunResult): Map<string, Entry> {
  const map = new Map<string, Entry>();
  for (const s of run.scenarios) {
    if (s.checks.length === 0) map.set(s.id, { scenario: s.id, status: s.status, ...(s.reason ? { reason: s.reason } : {}), measurements: [] });
    for (const c of s.checks) {
      const measurements = c.evidence.filter((e): e is MeasurementEvidence => e.kind === "measurement");
      map.set(c.id, { scenario: s.id, status: c.status, ...(c.reason ? { reason: c.reason } : {}), measurements });
    }
  }
  return map;
}

/** ScenarioResult.perf figures become pseudo-entries so their regressions are found too (single values: 10% rule). */
function perfEntries(s: ScenarioResult): [string, Measurement[]][] {
  if (!s.perf) return [];
  return Object.entries(s.perf.paths).map(([path, p]) => {
    const measurements: Measurement[] = [];
    if (p.throughputBps !== undefined) measurements.push({ metric: "throughput", unit: "bps", value: p.throughputBps, better: "higher" });
    if (p.latencyP50Ms !== undefined) measurements.push({ metric: "latency p50", unit: "ms", value: p.latencyP50Ms, better: "lower" });
    if (p.latencyP95Ms !== undefined) measurements.push({ metric: "latency p95", unit: "ms", value: p.latencyP95Ms, better: "lower" });
    if (p.connectMs !== undefined) measurements.push({ metric: "connect", unit: "ms", value: p.connectMs, better: "lower" });
    return [`${s.id}/perf/${path}`, measurements];
  });
}
