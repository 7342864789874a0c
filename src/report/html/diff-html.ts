import { escapeMarkup as e } from "../escape.js";
import { formatMeasure } from "../format.js";
import type { RunDiff, StatusChange } from "../diff.js";

/** "What changed since run X": shown above the matrix when the report was rendered with two runs. */
export function diffHtml(d: RunDiff): string {
  const list = (title: string, items: StatusChange[], cls: string) =>
    items.length === 0
      ? ""
      : `<h3>${title} (${items.length})</h3><ul class="${cls}">${items.map((c) => `<li><code>${e(c.id)}</code> ${c.before ?? "absent"} → ${c.after ?? "absent"}${c.reason ? `: ${e(c.reason)}` : ""}</li>`).join("")}</ul>`;
  const perf =
    d.perfRegressions.length === 0
      ? ""
      : `<h3>Performance regressions (${d.perfRegressions.length})</h3><ul>${d.perfRegressions
          .map((r) => `<li><code>${e(r.id)}</code> ${e(r.metric)}: ${e(formatMeasure(r.before, r.unit))} → ${e(formatMeasure(r.after, r.unit))} (${Math.round(r.worseBy * 100)}% worse, allowance ${e(formatMeasure(r.allowance, r.unit))}, ${r.basis === "samples" ? "from samples" : "single values, 10% rule"})</li>`)
          .join("")}</ul>`;
  const body =
    list("New failures", d.newFailures, "fail") +
    list("Fixed", d.fixed, "pass") +
    list("New skips", d.newSkips, "skip") +
    list("Other status changes", d.otherChanges, "") +
    list("Appeared", d.appeared, "") +
    list("Disappeared", d.disappeared, "") +
    perf;
  return `<h2 id="changes">Changes since run ${e(d.before.runId)}</h2><div class="card diff">${body || `<p class="empty">No changes in check results or performance.</p>`}</div>`;
}
