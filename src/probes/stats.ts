/**
 * Small statistics and unit helpers shared by the perf probes and src/assert/perf.ts.
 *
 * Percentiles use the NEAREST-RANK method (the value at rank ceil(p/100 · n) of the
 * sorted samples): every reported percentile is a sample that was really observed,
 * which is what evidence should show. With few samples p95/p99 are therefore the max.
 * Standard deviation is the SAMPLE deviation (n − 1), 0 for fewer than two values.
 */

export interface SampleStats {
  n: number;
  min: number;
  max: number;
  mean: number;
  stddev: number;
  p50: number;
  p95: number;
  p99: number;
}

/** Spread of one figure across --repeat runs. cv = stddev / mean (0 when mean is 0). */
export interface RepeatSummary {
  n: number;
  mean: number;
  median: number;
  min: number;
  max: number;
  stddev: number;
  cv: number;
}

function sorted(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** Nearest-rank percentile, p in [0, 100]. NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile: p must be within 0..100, got ${p}`);
  const s = sorted(values);
  const rank = Math.max(1, Math.ceil((p / 100) * s.length));
  return s[rank - 1] as number;
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  return values.reduce((a, b) => a + b, 0) / values.length;
}

export function stddev(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  return Math.sqrt(values.reduce((acc, v) => acc + (v - m) ** 2, 0) / (values.length - 1));
}

/** Summary of samples, or undefined when there are none (100% loss, every connect failed). */
export function describeSamples(values: readonly number[]): SampleStats | undefined {
  if (values.length === 0) return undefined;
  const s = sorted(values);
  return {
    n: s.length,
    min: s[0] as number,
    max: s[s.length - 1] as number,
    mean: mean(s),
    stddev: stddev(s),
    p50: percentile(s, 50),
    p95: percentile(s, 95),
    p99: percentile(s, 99),
  };
}

export function summarizeRepeats(values: readonly number[]): RepeatSummary {
  if (values.length === 0) throw new RangeError("summarizeRepeats: no values");
  const m = mean(values);
  const sd = stddev(values);
  return {
    n: values.length,
    mean: m,
    median: percentile(values, 50),
    min: Math.min(...values),
    max: Math.max(...values),
    stddev: sd,
    cv: m === 0 ? 0 : sd / Math.abs(m),
  };
}

/** Three significant digits, no trailing zeros: 941, 9.41, 0.0523. */
export function sig3(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return "0";
  return String(Number(value.toPrecision(3)));
}

const RATE_STEPS: [number, string][] = [
  [1e12, "Tbit/s"],
  [1e9, "Gbit/s"],
  [1e6, "Mbit/s"],
  [1e3, "kbit/s"],
];

/** Decimal (SI) prefixes, as iperf3 uses: 941e6 → "941 Mbit/s". */
export function formatBitRate(bitsPerSecond: number): string {
  const abs = Math.abs(bitsPerSecond);
  for (const [factor, unit] of RATE_STEPS) {
    // 999.6e6 rounds to "1000 Mbit/s" at 3 digits: promote it to the next unit.
    if (abs >= factor * 0.9995) return `${sig3(bitsPerSecond / factor)} ${unit}`;
  }
  return `${sig3(bitsPerSecond)} bit/s`;
}

/** Milliseconds for people: "1.23 s", "412 ms", "2.5 ms", "52 µs". */
export function formatMs(ms: number): string {
  const abs = Math.abs(ms);
  if (abs >= 1000) return `${sig3(ms / 1000)} s`;
  if (abs >= 1 || abs === 0) return `${sig3(ms)} ms`;
  return `${sig3(ms * 1000)} µs`;
}

export function formatPercent(percent: number): string {
  return `${sig3(percent)}%`;
}

const RATE_UNITS: Record<string, number> = {
  "bit/s": 1, bps: 1, "b/s": 1,
  "kbit/s": 1e3, kbps: 1e3, "kb/s": 1e3,
  "mbit/s": 1e6, mbps: 1e6, "mb/s": 1e6,
  "gbit/s": 1e9, gbps: 1e9, "gb/s": 1e9,
  "tbit/s": 1e12, tbps: 1e12, "tb/s": 1e12,
};

const TIME_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, ms: 1, s: 1000 };

function splitQuantity(text: string): { value: number; unit: string } | undefined {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)(?:e([+-]?\d+))?\s*([a-zµ/%]*)\s*$/i.exec(text);
  if (!m) return undefined;
  const value = Number(m[1]) * 10 ** Number(m[2] ?? 0);
  return { value, unit: (m[3] ?? "").toLowerCase() };
}

/**
 * "1 Gbit/s", "500Mbps", "940 Mb/s" → bits per second (decimal prefixes, like iperf3).
 * A bare number is bits/s. Bytes ("MB/s") are refused rather than guessed: the
 * case of one letter should not change a threshold eightfold.
 */
export function parseBitRate(text: string | number): number | undefined {
  if (typeof text === "number") return Number.isFinite(text) && text >= 0 ? text : undefined;
  const q = splitQuantity(text);
  if (!q) return undefined;
  if (q.unit === "") return q.value;
  if (/^[kmgt]?b(?:\/s|ps)$/.test(q.unit) && /B/.test(text.replace(/bit/i, ""))) return undefined;
  const f = RATE_UNITS[q.unit];
  return f === undefined ? undefined : q.value * f;
}

/** "2 ms", "150us", "150 µs", "1.5s" → milliseconds. A bare number is milliseconds. */
export function parseDurationMs(text: string | number): number | undefined {
  if (typeof text === "number") return Number.isFinite(text) && text >= 0 ? text : undefined;
  const q = splitQuantity(text);
  if (!q) return undefined;
  if (q.unit === "") return q.value;
  const f = TIME_UNITS[q.unit];
  return f === undefined ? undefined : q.value * f;
}

/** "1%", "0.5 %", or a bare number → percent. */
export function parsePercent(text: string | number): number | undefined {
  if (typeof text === "number") return Number.isFinite(text) && text >= 0 ? text : undefined;
  const q = splitQuantity(text);
  if (!q || (q.unit !== "" && q.unit !== "%")) return undefined;
  return q.value;
}
