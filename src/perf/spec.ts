import type { PerfThreshold } from "../assert/perf.js";

/**
 * What a performance check measures, kept beside its CheckDecl so the runner can
 * find it after the run (relative thresholds, the mode comparison).
 */
export interface PerfCheckSpec {
  /** The comparison's column: "c2c" (container→container), "c2h" (→ the host), "c2e" (→ the external host), or your own. */
  path: string;
  /** "tcp"/"udp": iperf3 throughput; "latency": ping and TCP connect times. */
  measure: "tcp" | "udp" | "latency";
  thresholds: PerfThreshold[];
  /** Metrics a successful run yields; a run missing one measured nothing usable. */
  expects: string[];
}

/** A perf check's record for the post-run pass: who it is, and its figures per repeat. */
export interface PerfRecord {
  checkId: string;
  scenarioId: string;
  mode: string;
  spec: PerfCheckSpec;
  /** One entry per attempt that ran: its metrics, or the reason it measured nothing. */
  runs: ({ ok: true; metrics: Record<string, number> } | { ok: false; reason: string })[];
}

/** The mode whose figures every other mode is compared to. */
export const BASELINE_MODE = "host";
