import { comparisonHtml } from "./comparison-html.js";
import { checkAnchor } from "./anchors.js";
import { formatBps, formatNumber, formatPercent } from "../format.js";
import type { RunResult, ScenarioResult } from "../model.js";
import { barChart, type Bar } from "./charts-svg.js";
import { escapeMarkup as e } from "../escape.js";

/** Run-wide: throughput per mode and path, relative to the bare host. Empty when no scenario measured any. */
export function runPerfHtml(run: RunResult): string {
  const bars: Bar[] = [];
  for (const s of run.scenarios) {
    for (const [path, p] of Object.entries(s.perf?.paths ?? {})) {
      if (p.throughputBps === undefined) continue;
      bars.push({ label: `${s.mode} · ${path}`, value: p.throughputBps, text: throughputText(p.throughputBps, p.ratioToHost), tone: s.mode === "host" ? "host" : "mode" });
    }
  }
  // The per-mode table has a section of its own (runModeTableHtml) when the run carries one.
  const qualitative = run.modeTable ? "" : comparisonHtml(run.comparison, (id) => anchorOf(run, id));
  if (bars.length === 0 && !qualitative) return "";
  const chart = bars.length ? barChart(bars, { title: "TCP throughput by mode and path (c2c container→container, c2h →host, c2e →external)" }) : "";
  return `<h2 id="performance">Performance</h2><div class="card">${chart}${bars.length ? latencyTable(run.scenarios) : ""}${qualitative}</div>`;
}

/** Run-wide: the classic per-mode table, each answer linked to the check of this run that backs it. */
export function runModeTableHtml(run: RunResult): string {
  if (!run.modeTable || run.modeTable.length === 0) return "";
  const table = comparisonHtml({ baselineMode: "", paths: [], rows: [], qualitative: run.modeTable }, (id) => anchorOf(run, id));
  return `<h2 id="modes">Modes compared</h2><div class="card">${table}</div>`;
}

/** Per scenario: its paths' throughput bars and latency figures. */
export function scenarioPerfHtml(s: ScenarioResult): string {
  const paths = Object.entries(s.perf?.paths ?? {});
  if (paths.length === 0) return "";
  const bars: Bar[] = paths.filter(([, p]) => p.throughputBps !== undefined).map(([path, p]) => ({ label: path, value: p.throughputBps ?? 0, text: throughputText(p.throughputBps ?? 0, p.ratioToHost) }));
  return `<details open class="perf"><summary>Performance</summary>${barChart(bars, { title: "throughput", width: 640 })}${latencyTable([s])}</details>`;
}

function throughputText(bps: number, ratio?: number): string {
  return `${formatBps(bps)}${ratio === undefined ? "" : ` · ${formatPercent(ratio)} of host`}`;
}

function latencyTable(scenarios: ScenarioResult[]): string {
  const rows = scenarios.flatMap((s) =>
    Object.entries(s.perf?.paths ?? {}).map(
      ([path, p]) =>
        `<tr><td>${e(s.mode)}</td><td>${e(s.id)}</td><td>${e(path)}</td><td class="mono">${ms(p.latencyP50Ms)}</td><td class="mono">${ms(p.latencyP95Ms)}</td><td class="mono">${ms(p.connectMs)}</td><td class="mono">${p.ratioToHost === undefined ? "–" : formatPercent(p.ratioToHost)}</td></tr>`,
    ),
  );
  if (rows.length === 0) return "";
  return `<table class="perf-table"><thead><tr><th>mode</th><th>scenario</th><th>path</th><th>latency p50</th><th>latency p95</th><th>connect</th><th>vs host</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function ms(v?: number): string {
  return v === undefined ? "–" : `${formatNumber(v)} ms`;
}

/** The report's anchor for a check id (the check rows are numbered by scenario and position). */
function anchorOf(run: RunResult, checkId: string): string {
  for (const [si, s] of run.scenarios.entries()) {
    const ci = s.checks.findIndex((c) => c.id === checkId);
    if (ci !== -1) return checkAnchor(si, ci);
  }
  return "";
}
