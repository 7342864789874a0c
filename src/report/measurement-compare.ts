import type { MeasurementEvidence } from "./model.js";

/**
 * Is b's figure worse than a's by more than the noise? With samples on both
 * sides the allowance is max(2 × pooled standard deviation, 5% of a's mean);
 * without samples it is a flat 10%, because one number says nothing about spread.
 */
export interface Comparison {
  before: number;
  after: number;
  /** Relative change in the "worse" direction: 0.12 = 12% worse. Negative = better. */
  worseBy: number;
  allowance: number;
  regression: boolean;
  basis: "samples" | "single";
}

export function higherIsBetter(m: Pick<MeasurementEvidence, "metric" | "unit" | "better">): boolean {
  if (m.better) return m.better === "higher";
  return /bps|bit\/s|bits\/s|bytes\/s|B\/s|ops\/s|pps|req\/s/i.test(m.unit) || /throughput|bandwidth|goodput|rate\b/i.test(m.metric);
}

export function compareMeasurements(a: { value: number; samples?: number[] }, b: { value: number; samples?: number[] }, higherBetter: boolean): Comparison {
  const sa = a.samples && a.samples.length >= 2 ? a.samples : undefined;
  const sb = b.samples && b.samples.length >= 2 ? b.samples : undefined;
  const before = sa ? mean(sa) : a.value;
  const after = sb ? mean(sb) : b.value;
  const worseAbs = higherBetter ? before - after : after - before;
  const base = Math.abs(before);
  let allowance: number;
  let basis: Comparison["basis"];
  if (sa && sb) {
    allowance = Math.max(2 * pooledStddev(sa, sb), 0.05 * base);
    basis = "samples";
  } else {
    allowance = 0.1 * base;
    basis = "single";
  }
  return { before, after, worseBy: base === 0 ? (worseAbs > 0 ? Infinity : 0) : worseAbs / base, allowance, regression: worseAbs > allowance, basis };
}

export function mean(xs: number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}

/** Sample variance (n − 1). */
export function variance(xs: number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1);
}

export function pooledStddev(a: number[], b: number[]): number {
  const dof = a.length + b.length - 2;
  if (dof <= 0) return 0;
  return Math.sqrt(((a.length - 1) * variance(a) + (b.length - 1) * variance(b)) / dof);
}
