import type { RunDiff, StatusChange } from "./diff.js";
import { cleanText } from "./escape.js";
import { firstLine } from "../util/errors.js";
import { formatMeasure } from "./format.js";
import { makeStyle } from "./term-style.js";

/** The terminal form of a RunDiff, for `netcheck report a.json b.json`. */
export function renderDiffText(d: RunDiff, opts: { color: boolean }): string {
  const st = makeStyle(opts.color);
  const out = [st.bold(`Changes from run ${d.before.runId} to run ${d.after.runId}`)];
  const section = (title: string, items: StatusChange[], paint: (s: string) => string) => {
    if (items.length === 0) return;
    out.push("", paint(`${title} (${items.length}):`));
    for (const c of items) out.push(`  ${c.id}  ${c.before ?? "absent"} → ${c.after ?? "absent"}${c.reason ? `: ${firstLine(cleanText(c.reason))}` : ""}`);
  };
  section("New failures", d.newFailures, (s) => st.red(st.bold(s)));
  section("Fixed", d.fixed, st.green);
  section("New skips", d.newSkips, st.dim);
  section("Other status changes", d.otherChanges, st.yellow);
  section("Appeared", d.appeared, (s) => s);
  section("Disappeared", d.disappeared, (s) => s);
  if (d.perfRegressions.length > 0) {
    out.push("", st.red(st.bold(`Performance regressions (${d.perfRegressions.length}):`)));
    for (const r of d.perfRegressions) {
      out.push(`  ${r.id}  ${r.metric}: ${formatMeasure(r.before, r.unit)} → ${formatMeasure(r.after, r.unit)} (${Math.round(r.worseBy * 100)}% worse; allowed ${formatMeasure(r.allowance, r.unit)}, ${r.basis === "samples" ? "from samples" : "10% rule"})`);
    }
  }
  if (out.length === 1) out.push("No changes in check results or performance.");
  return `${out.join("\n")}\n`;
}
