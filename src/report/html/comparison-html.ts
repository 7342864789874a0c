/**
 * The qualitative table as an HTML fragment for the report (the measured figures are
 * already drawn from ScenarioResult.perf by src/report/html/perf-html.ts). Each answer
 * links to the check that backs it (anchor = the check id, as the report's check rows use).
 */
import { escapeMarkup as e } from "../escape.js";
import type { ModeComparison, QualitativeCell } from "../model.js";

function cell(q: QualitativeCell, anchor: (checkId: string) => string): string {
  const tone = q.checkId && q.status === "pass" ? "pass" : q.checkId ? "fail" : "skip";
  const link = q.checkId ? ` <a class="mono" href="#${e(anchor(q.checkId))}">${e(q.checkId)}</a>` : ` <span class="muted">${e(q.detail)}</span>`;
  return `<td class="${tone}"><b>${e(q.answer)}</b>${link}</td>`;
}

export function comparisonHtml(c: ModeComparison | undefined, anchor: (checkId: string) => string = (id) => id): string {
  if (!c || c.qualitative.length === 0) return "";
  const rows = c.qualitative
    .map((q) => `<tr><td>${e(q.mode)}</td>${cell(q.multiHost, anchor)}${cell(q.outside, anchor)}${cell(q.containerToContainer, anchor)}${cell(q.isolation, anchor)}</tr>`)
    .join("");
  return `<table class="perf-table qualitative"><caption>What this run showed, per mode (each answer backed by a check of this run)</caption><thead><tr><th>mode</th><th>multi-host</th><th>access to outside</th><th>container ↔ container</th><th>isolation</th></tr></thead><tbody>${rows}</tbody></table>`;
}
