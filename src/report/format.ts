import type { FlowTuple } from "./model.js";

/** 412 → "412 ms", 8400 → "8.4 s", 72400 → "1 m 12 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(ms < 10_000 ? 2 : 1))} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} m ${Math.round((ms % 60_000) / 1000)} s`;
}

/** Bits per second in SI units, as iperf3 prints them: 38500000000 → "38.5 Gbit/s". */
export function formatBps(bps: number): string {
  const units = ["bit/s", "kbit/s", "Mbit/s", "Gbit/s", "Tbit/s"];
  let v = bps;
  let i = 0;
  while (Math.abs(v) >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${formatNumber(v)} ${units[i]}`;
}

/** Three significant figures, no trailing zeros. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return "0";
  const digits = Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : Math.abs(v) >= 1 ? 2 : 3;
  return Number(v.toFixed(digits)).toString();
}

/** A measured value with its unit; bit rates are scaled. */
export function formatMeasure(value: number, unit: string): string {
  if (isBitRateUnit(unit)) return formatBps(value);
  return `${formatNumber(value)} ${unit}`.trim();
}

export function isBitRateUnit(unit: string): boolean {
  return /^(bps|bit\/s|bits\/s)$/i.test(unit);
}

/** "tcp 10.200.0.2:43120 → 10.200.0.1:18080" */
export function formatTuple(t: FlowTuple): string {
  const end = (addr: string, port?: number) => (port === undefined ? addr : addr.includes(":") ? `[${addr}]:${port}` : `${addr}:${port}`);
  return `${t.protocol} ${end(t.src, t.srcPort)} → ${end(t.dst, t.dstPort)}`;
}

export function formatPercent(ratio: number): string {
  return `${Math.round(ratio * 100)}%`;
}
