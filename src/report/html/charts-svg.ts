/**
 * Perf charts as hand-written SVG. No chart library: the report must be one
 * self-contained file that opens offline in under a second, and a bar chart and
 * a latency strip are ~100 lines, while a library would add hundreds of KB and a
 * dependency to audit.
 */
import { escapeMarkup as e } from "../escape.js";
import { formatNumber } from "../format.js";

export interface Bar {
  label: string;
  value: number;
  /** Printed at the end of the bar. */
  text: string;
  /** Colour class: "host" for the reference, "mode" otherwise. */
  tone?: "host" | "mode" | "warn";
}

const TONE = { host: "#8c959f", mode: "#0969da", warn: "#bf8700" } as const;

/** Horizontal bars, one per row, sharing one linear scale from 0. */
export function barChart(bars: Bar[], opts: { title: string; width?: number }): string {
  if (bars.length === 0) return "";
  const width = opts.width ?? 720;
  const labelW = Math.min(300, 20 + Math.max(...bars.map((b) => b.label.length)) * 7);
  const textW = 170;
  const plotW = Math.max(120, width - labelW - textW);
  const rowH = 24;
  const top = 24;
  const height = top + bars.length * rowH + 8;
  const max = Math.max(...bars.map((b) => b.value), 1e-12);
  const rows = bars.map((b, i) => {
    const y = top + i * rowH;
    const w = Math.max(1, (b.value / max) * plotW);
    return (
      `<text x="${labelW - 8}" y="${y + 15}" text-anchor="end">${e(b.label)}</text>` +
      `<rect x="${labelW}" y="${y + 4}" width="${w.toFixed(1)}" height="${rowH - 8}" rx="3" fill="${TONE[b.tone ?? "mode"]}"><title>${e(`${b.label}: ${b.text}`)}</title></rect>` +
      `<text x="${(labelW + w + 6).toFixed(1)}" y="${y + 15}" class="muted">${e(b.text)}</text>`
    );
  });
  return `<svg class="chart" role="img" aria-label="${e(opts.title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg"><text x="0" y="14" font-weight="600">${e(opts.title)}</text><line x1="${labelW}" y1="${top}" x2="${labelW}" y2="${height - 6}" stroke="#d1d9e0"/>${rows.join("")}</svg>`;
}

const LATENCY_KEYS = ["min", "p50", "p95", "p99", "max"] as const;

/** A latency distribution strip: whisker min..max, box p50..p95, ticks at p99; the figures printed underneath. */
export function latencyChart(stats: Record<string, number>, unit: string, title: string): string {
  const pts = LATENCY_KEYS.filter((k) => typeof stats[k] === "number").map((k) => [k, stats[k] as number] as const);
  if (pts.length < 2) return "";
  const width = 520;
  const left = 20;
  const plotW = width - 2 * left;
  const hi = Math.max(...pts.map(([, v]) => v)) * 1.05 || 1;
  const x = (v: number) => (left + (v / hi) * plotW).toFixed(1);
  const get = (k: string) => stats[k];
  const lo = get("min") ?? get("p50") ?? 0;
  const top = get("max") ?? get("p99") ?? get("p95") ?? lo;
  const parts = [`<line x1="${x(lo)}" y1="40" x2="${x(top)}" y2="40" stroke="#59636e" stroke-width="1.5"/>`];
  const p50 = get("p50");
  const p95 = get("p95");
  if (p50 !== undefined && p95 !== undefined) parts.push(`<rect x="${x(p50)}" y="30" width="${(Number(x(p95)) - Number(x(p50))).toFixed(1)}" height="20" fill="#ddf4ff" stroke="#0969da"/>`);
  pts.forEach(([k, v], i) => {
    parts.push(`<line x1="${x(v)}" y1="${k === "p50" ? 26 : 32}" x2="${x(v)}" y2="${k === "p50" ? 54 : 48}" stroke="${k === "p50" ? "#0969da" : "#59636e"}" stroke-width="${k === "p50" ? 2.5 : 1.5}"><title>${k} ${formatNumber(v)} ${e(unit)}</title></line>`);
    const anchor = i === 0 ? "start" : i === pts.length - 1 ? "end" : "middle";
    parts.push(`<text x="${x(v)}" y="${i % 2 === 0 ? 72 : 20}" text-anchor="${anchor}" class="muted">${k} ${formatNumber(v)}</text>`);
  });
  return `<svg class="chart" role="img" aria-label="${e(title)}" viewBox="0 0 ${width} 80" width="${width}" height="80" xmlns="http://www.w3.org/2000/svg"><text x="${width - left}" y="20" text-anchor="end" font-weight="600">${e(unit)}</text>${parts.join("")}</svg>`;
}
