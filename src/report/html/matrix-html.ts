import { escapeMarkup as e } from "../escape.js";
import { cleanText } from "../escape.js";
import { rollUpStatus, type CheckCategory, type CheckResult, type CheckStatus, type RunResult } from "../model.js";
import { checkAnchor, scenarioAnchor } from "./anchors.js";

export const CATEGORIES: CheckCategory[] = ["reachability", "isolation", "dns", "nat", "performance", "topology"];
const SYMBOL: Record<CheckStatus, string> = { pass: "✓", fail: "✗", flaky: "~", skip: "–" };
const ORDER: CheckStatus[] = ["fail", "flaky", "pass", "skip"];

interface Item {
  status: CheckStatus;
  label: string;
  reason?: string;
  anchor: string;
}

/** Modes × categories; each cell rolls up its checks, says why on hover and links to the worst check. */
export function matrixHtml(run: RunResult): string {
  const modes = [...new Set(run.scenarios.map((s) => s.mode))];
  const rows = modes.map((mode) => {
    const scen: Item[] = [];
    const byCat = new Map<CheckCategory, Item[]>(CATEGORIES.map((c) => [c, []]));
    run.scenarios.forEach((s, si) => {
      if (s.mode !== mode) return;
      scen.push({ status: s.status, label: s.id, ...(s.reason ? { reason: s.reason } : {}), anchor: scenarioAnchor(si) });
      s.checks.forEach((c: CheckResult, ci) => {
        byCat.get(c.category)?.push({ status: c.status, label: c.id, ...(c.reason ? { reason: c.reason } : {}), anchor: checkAnchor(si, ci) });
      });
    });
    const cells = [cell(scen, "scenarios"), ...CATEGORIES.map((c) => cell(byCat.get(c) ?? [], c))];
    return `<tr><td><b>${e(mode)}</b></td>${cells.join("")}</tr>`;
  });
  return `<table class="matrix"><thead><tr><th>mode</th><th>scenarios</th>${CATEGORIES.map((c) => `<th>${c}</th>`).join("")}</tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function cell(items: Item[], what: string): string {
  if (items.length === 0) return `<td class="cell none" title="no ${e(what)} checks">·</td>`;
  const status = rollUpStatus(items.map((i) => i.status));
  const counts = ORDER.map((st) => [st, items.filter((i) => i.status === st).length] as const).filter(([, n]) => n > 0);
  const text = counts.map(([st, n]) => `${n} ${SYMBOL[st]}`).join(" ");
  const notable = items.filter((i) => i.status !== "pass");
  const title = notable.length
    ? notable.map((i) => `${SYMBOL[i.status]} ${i.label}: ${cleanText(i.reason ?? i.status).split("\n")[0]}`).join("\n")
    : `all ${items.length} passed`;
  const target = items.find((i) => i.status === status) ?? items[0];
  return `<td class="cell ${status}" data-status="${status}"><a href="#${target?.anchor ?? ""}" title="${e(title)}">${text}</a></td>`;
}
