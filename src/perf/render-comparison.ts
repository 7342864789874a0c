/** The mode comparison as terminal text: the measured table, then the qualitative one with its backing checks. */
import { formatBitRate, formatMs, sig3 } from "../probes/stats.js";
import type { ModeComparison, RepeatFigure } from "../report/model.js";
import { renderModeTable } from "../report/mode-table.js";

export interface RenderComparisonOptions {
  color?: boolean;
  /** false: leave out the per-mode table (`netcheck run` prints the run's own mode table). */
  qualitative?: boolean;
}

const PATH_NAMES: Record<string, string> = { c2c: "c2c", c2h: "c2h", c2e: "c2e" };

/** "9.41 Gbit/s ±3%": the spread shows only when there were repeats. */
function fig(f: RepeatFigure | undefined, fmt: (v: number) => string): string {
  if (!f) return "–";
  return f.n > 1 ? `${fmt(f.median)} ±${Math.round(f.cv * 100)}%` : fmt(f.median);
}

const ratio = (r: number | undefined) => (r === undefined ? "–" : `${sig3(r)}×`);

function table(header: string[], rows: string[][], bold: (s: string) => string): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  return [bold(line(header)), ...rows.map(line)].join("\n");
}

export function renderComparison(c: ModeComparison, opts: RenderComparisonOptions = {}): string {
  const bold = (s: string) => (opts.color ? `\u001b[1m${s}\u001b[22m` : s);
  const out: string[] = [];
  if (c.rows.length > 0) {
    const repeats = Math.max(...c.rows.flatMap((r) => [r.throughputBps?.n ?? 0, r.latencyP50Ms?.n ?? 0]));
    out.push(bold(`Mode comparison — medians${repeats > 1 ? ` of ${repeats} repeats (± = coefficient of variation)` : " (one run; --repeat N shows the spread)"}, ratios to ${c.baselineMode} networking in this run`));
    out.push("c2c container→container · c2h container→host · c2e container→external host");
    const rows = c.rows.map((r) => [
      r.mode,
      PATH_NAMES[r.path] ?? r.path,
      fig(r.throughputBps, formatBitRate),
      ratio(r.ratioToBaseline?.throughput),
      fig(r.latencyP50Ms, formatMs),
      fig(r.latencyP95Ms, formatMs),
      ratio(r.ratioToBaseline?.latencyP50),
      fig(r.connectP50Ms, formatMs),
      r.udp ? `${fig(r.udp.jitterMs, formatMs)} / ${fig(r.udp.lossPercent, (v) => `${sig3(v)}%`)}` : "–",
    ]);
    out.push(table(["mode", "path", "TCP throughput", `vs ${c.baselineMode}`, "ping p50", "ping p95", `vs ${c.baselineMode}`, "connect p50", "UDP jitter/loss"], rows, bold));
  }
  if (opts.qualitative !== false && c.qualitative.length > 0) out.push("", renderModeTable(c.qualitative, opts));
  return out.join("\n");
}
