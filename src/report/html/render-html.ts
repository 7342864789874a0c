import type { RunDiff } from "../diff.js";
import { escapeMarkup as e } from "../escape.js";
import { formatDuration } from "../format.js";
import type { CheckStatus, RunResult } from "../model.js";
import { diffHtml } from "./diff-html.js";
import { environmentHtml } from "./environment-html.js";
import { matrixHtml } from "./matrix-html.js";
import { PAGE_SCRIPT } from "./page-script.js";
import { PAGE_CSS } from "./page-style.js";
import { runModeTableHtml, runPerfHtml } from "./perf-html.js";
import { scenarioHtml, STATUS_ORDER } from "./scenario-html.js";

export interface HtmlOptions {
  /** Show "changes since run X" above the matrix. */
  diff?: RunDiff;
}

/**
 * The HTML report: one self-contained file rendered server-side (no data
 * blob, no framework), with inline CSS, inline SVG and a small inline script for
 * the filter. A Content-Security-Policy forbids every fetch, so the page cannot
 * make a network request even if some output slipped through unescaped.
 */
export function renderHtml(run: RunResult, opts: HtmlOptions = {}): string {
  const status = run.exitCode === 0 ? "pass" : "fail";
  const verdict = run.exitCode === 0 ? "passed" : run.exitCode === 1 ? "failed" : "error";
  const t = run.totals;
  const order = run.scenarios.map((s, si) => ({ s, si })).sort((a, b) => STATUS_ORDER[a.s.status] - STATUS_ORDER[b.s.status] || a.si - b.si);
  const chips = [
    `<span class="chip pass">${t.pass} passed</span>`,
    `<span class="chip fail">${t.fail} failed</span>`,
    `<span class="chip skip">${t.skip} skipped</span>`,
    t.flaky ? `<span class="chip flaky">${t.flaky} flaky</span>` : "",
    run.errors.length ? `<span class="chip fail">${run.errors.length} error${run.errors.length > 1 ? "s" : ""}</span>` : "",
    `<span class="chip">${t.checks} checks · ${t.scenarios} scenarios</span>`,
  ].join("");
  const toggle = (st: CheckStatus, label: string, n: number) => `<button type="button" data-toggle="${st}" aria-pressed="true">${label} ${n}</button>`;
  const errors = run.errors.length
    ? `<div class="card errors"><b>Errors outside checks</b><ul>${run.errors.map((x) => `<li>${x.scenario ? `<code>${e(x.scenario)}</code>: ` : ""}${e(x.message)}</li>`).join("")}</ul></div>`
    : "";
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${e(`${run.tool.name} ${run.tool.version}`)}">
<link rel="icon" href="data:,">
<title>netcheck ${e(run.runId)} — ${verdict}</title>
<style>${PAGE_CSS}</style></head>
<body>
<header class="top"><h1>netcheck report <span class="pill big ${status}">${verdict}</span></h1>
<div class="meta">run <code>${e(run.runId)}</code> · ${e(run.startedAt)} · ${formatDuration(run.durationMs)} · ${e(run.host.hostname)} · <code>${e(run.command.join(" "))}</code></div>
<div class="chips">${chips}</div></header>
<nav class="toolbar" aria-label="filter"><input id="filter-text" type="search" placeholder="Filter checks: id, mode, reason…" aria-label="filter text">
${toggle("fail", "failed", t.fail)}${toggle("flaky", "flaky", t.flaky)}${toggle("pass", "passed", t.pass)}${toggle("skip", "skipped", t.skip)}<button type="button" id="filter-reset">reset</button>
<span class="links"><a href="#matrix">matrix</a>${runModeTableHtml(run) ? `<a href="#modes">modes</a>` : ""}${runPerfHtml(run) ? `<a href="#performance">performance</a>` : ""}<a href="#scenarios">scenarios</a><a href="#environment">environment</a></span></nav>
<main>
${errors}${opts.diff ? diffHtml(opts.diff) : ""}
<h2 id="matrix">Summary</h2><div class="card">${matrixHtml(run)}</div>
${runModeTableHtml(run)}
${runPerfHtml(run)}
<h2 id="scenarios">Scenarios</h2>
<p id="no-match" class="empty" hidden>No check matches the filter.</p>
${order.map(({ s, si }) => scenarioHtml(s, si)).join("\n")}
${environmentHtml(run)}
</main>
<footer>${e(`${run.tool.name} ${run.tool.version}`)} · results schema v${run.schemaVersion} · results.json and junit.xml sit next to this file</footer>
<script>${PAGE_SCRIPT}</script>
</body></html>
`;
}
