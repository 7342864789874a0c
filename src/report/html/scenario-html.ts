import { cleanText, escapeMarkup as e } from "../escape.js";
import { formatDuration } from "../format.js";
import type { CheckResult, CheckStatus, ScenarioResult } from "../model.js";
import { checkAnchor, scenarioAnchor } from "./anchors.js";
import { evidenceHtml } from "./evidence-html.js";
import { scenarioPerfHtml } from "./perf-html.js";
import { topologySvg } from "./topology-svg.js";

export const STATUS_ORDER: Record<CheckStatus, number> = { fail: 0, flaky: 1, pass: 2, skip: 3 };
const LABEL: Record<CheckStatus, string> = { pass: "pass", fail: "fail", flaky: "flaky", skip: "skip" };

/** One scenario card: header, topology, perf, checks (failures first), artifacts. `si` is its index in run.scenarios. */
export function scenarioHtml(s: ScenarioResult, si: number): string {
  const text = searchText([s.id, s.mode, s.summary, s.reason]);
  const checks = s.checks
    .map((c, ci) => ({ c, ci }))
    .sort((a, b) => STATUS_ORDER[a.c.status] - STATUS_ORDER[b.c.status] || a.ci - b.ci)
    .map(({ c, ci }) => checkHtml(c, si, ci))
    .join("");
  const topo = s.topology ? `<details open class="topo"><summary>Topology</summary>${topologySvg(s.topology)}</details>` : "";
  const artifacts = s.artifacts.length
    ? `<details class="artifacts"><summary>Artifacts (${s.artifacts.length})</summary><ul class="artifacts">${s.artifacts.map((a) => `<li><a href="${e(a.path)}">${e(a.path)}</a> · ${e(a.kind)} · ${e(a.description)}</li>`).join("")}</ul></details>`
    : "";
  const repeats = s.repeats && s.repeats > 1 ? `<span class="tag">×${s.repeats}</span>` : "";
  return (
    `<section class="scenario ${s.status}" id="${scenarioAnchor(si)}" data-status="${s.status}" data-text="${e(text)}">` +
    `<header><h3><span class="pill ${s.status}">${LABEL[s.status]}</span>${e(s.id)}<span class="tag">${e(s.mode)}</span>${repeats}<span class="dur">${counts(s.checks)} · ${formatDuration(s.durationMs)}</span></h3>` +
    `<p class="summary">${e(s.summary)}${s.file ? ` · <span class="mono">${e(s.file)}</span>` : ""}</p>${s.reason ? `<p class="reason">${e(s.reason)}</p>` : ""}</header>` +
    `<div class="sbody">${checks || `<p class="empty">No checks ran.</p>`}${topo}${scenarioPerfHtml(s)}${artifacts}</div></section>`
  );
}

function checkHtml(c: CheckResult, si: number, ci: number): string {
  const open = c.status === "fail" || c.status === "flaky" ? " open" : "";
  const attempts =
    c.attempts && c.attempts.length > 1
      ? `<div class="attempts">attempts: ${c.attempts.map((a, i) => `<span class="pill ${a.status}" title="${e(`#${i + 1} ${a.status}${a.reason ? `: ${a.reason}` : ""} (${formatDuration(a.durationMs)})`)}">${i + 1}</span>`).join("")}${c.passRate === undefined ? "" : ` · pass rate ${Math.round(c.passRate * 100)}%`}</div>`
      : "";
  return (
    `<article class="check ${c.status}" id="${checkAnchor(si, ci)}" data-status="${c.status}" data-text="${e(searchText([c.id, c.category, c.expectation, c.reason]))}"><details${open}>` +
    `<summary><div class="head"><span class="pill ${c.status}">${LABEL[c.status]}</span><span class="name">${e(c.name)}</span><span class="tag">${e(c.category)}</span><span class="dur">${formatDuration(c.durationMs)}</span></div>` +
    `<div class="expect">${e(c.expectation)}</div>${c.reason ? `<div class="reason">${e(c.reason)}</div>` : ""}${attempts}</summary>` +
    `<div class="evidence">${evidenceHtml(c)}</div></details></article>`
  );
}

function counts(checks: CheckResult[]): string {
  if (checks.length === 0) return "no checks";
  const ok = checks.filter((c) => c.status === "pass" || c.status === "flaky").length;
  return `${ok}/${checks.length} passed`;
}

function searchText(parts: (string | undefined)[]): string {
  return cleanText(parts.filter(Boolean).join(" ")).toLowerCase().replace(/\s+/g, " ");
}
