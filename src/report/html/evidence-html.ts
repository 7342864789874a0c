import { commandLine, escapeMarkup as e } from "../escape.js";
import { formatDuration, formatMeasure, formatNumber } from "../format.js";
import type { CheckResult, CommandEvidence, Evidence, FlowTuple, MeasurementEvidence, NatEvidence, PacketsEvidence } from "../model.js";
import { latencyChart } from "./charts-svg.js";

/** Long outputs are cut in the page (the full text stays in results.json) so one chatty command cannot bloat the report. */
const MAX_OUTPUT = 20_000;

export function evidenceHtml(check: CheckResult): string {
  if (check.evidence.length === 0) return `<div class="ev empty">No evidence recorded.</div>`;
  const pcapOf = new Map(check.evidence.filter((x): x is PacketsEvidence => x.kind === "packets").map((p) => [p.capture, p.file]));
  return check.evidence.map((ev) => oneEvidence(ev, pcapOf)).join("");
}

function oneEvidence(ev: Evidence, pcapOf: Map<string, string>): string {
  switch (ev.kind) {
    case "command":
      return commandHtml(ev);
    case "nat":
      return natHtml(ev, pcapOf);
    case "packets":
      return `<div class="ev packets"><div class="label">packets on <b>${e(ev.capture)}</b> · ${ev.lines.length} of ${ev.total} · <a href="${e(ev.file)}">${e(ev.file)}</a></div><pre>${e(ev.lines.join("\n"))}</pre></div>`;
    case "measurement":
      return measurementHtml(ev);
    case "note":
      return `<div class="ev note"><div class="label">note</div>${e(ev.text)}</div>`;
  }
}

function commandHtml(ev: CommandEvidence): string {
  const exit = `<span class="${ev.exitCode === 0 ? "exit0" : "exitN"}">exit ${ev.exitCode}</span>`;
  const meta = `on <b>${e(ev.where)}</b> · ${exit}${ev.timedOut ? ` · <span class="exitN">timed out</span>` : ""} · ${formatDuration(ev.durationMs)} · ${e(ev.startedAt)}`;
  const out = ev.stdout ? `<pre class="stdout">${e(clip(ev.stdout))}</pre>` : "";
  const err = ev.stderr ? `<pre class="stderr">${e(clip(ev.stderr))}</pre>` : "";
  const empty = !out && !err ? `<pre class="empty">(no output)</pre>` : "";
  return `<div class="ev cmd"><div class="label">${meta}</div><div class="cmdline">$ ${e(commandLine(ev.command))}</div>${out}${err}${empty}</div>`;
}

function natHtml(ev: NatEvidence, pcapOf: Map<string, string>): string {
  const side = (title: string, s: NatEvidence["before"], other: FlowTuple) => {
    const pcap = pcapOf.get(s.capture);
    const cell = (v: string, o: string) => `<span${v !== o ? ` class="changed"` : ""}>${e(v)}</span>`;
    const port = (p?: number) => (p === undefined ? "" : String(p));
    return (
      `<div class="side"><div class="label"><b>${title}</b> · ${e(s.capture)} · ${s.packets} packet${s.packets === 1 ? "" : "s"}${pcap ? ` · <a href="${e(pcap)}">pcap</a>` : ""}</div><table>` +
      `<tr><td>proto</td><td>${e(s.tuple.protocol)}</td></tr>` +
      `<tr><td>src</td><td>${cell(s.tuple.src, other.src)}${s.tuple.srcPort === undefined ? "" : `:${cell(port(s.tuple.srcPort), port(other.srcPort))}`}</td></tr>` +
      `<tr><td>dst</td><td>${cell(s.tuple.dst, other.dst)}${s.tuple.dstPort === undefined ? "" : `:${cell(port(s.tuple.dstPort), port(other.dstPort))}`}</td></tr></table></div>`
    );
  };
  return (
    `<div class="ev natev"><div class="label">NAT evidence · expected rewrite <b>${e(ev.rewrite)}</b>${ev.token ? ` · token <code>${e(ev.token)}</code>` : ""}</div>` +
    `<div class="nat">${side("before", ev.before, ev.after.tuple)}<div class="arrow">→</div>${side("after", ev.after, ev.before.tuple)}</div>` +
    `<p class="nat-expl">${e(ev.explanation)}</p></div>`
  );
}

function measurementHtml(ev: MeasurementEvidence): string {
  const stats = ev.stats ? Object.entries(ev.stats) : [];
  const table = stats.length ? `<table class="stats"><tr>${stats.map(([k]) => `<th>${e(k)}</th>`).join("")}</tr><tr>${stats.map(([, v]) => `<td class="mono">${formatNumber(v)}</td>`).join("")}</tr></table>` : "";
  const samples = ev.samples?.length ? `<div class="label">${ev.samples.length} samples: <span class="mono">${e(ev.samples.slice(0, 20).map((s) => formatMeasure(s, ev.unit)).join(", "))}${ev.samples.length > 20 ? " …" : ""}</span></div>` : "";
  const chart = ev.stats ? latencyChart(ev.stats, ev.unit, `${ev.metric} distribution`) : "";
  return `<div class="ev measure"><div class="label">measurement · <b>${e(ev.metric)}</b></div><div class="value">${e(formatMeasure(ev.value, ev.unit))}</div>${table}${chart}${samples}</div>`;
}

function clip(text: string): string {
  return text.length > MAX_OUTPUT ? `${text.slice(0, MAX_OUTPUT)}\n… ${text.length - MAX_OUTPUT} more characters in results.json` : text;
}
