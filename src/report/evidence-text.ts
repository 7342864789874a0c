import { commandLine } from "./escape.js";
import { formatDuration, formatMeasure, formatTuple } from "./format.js";
import type { CheckResult, Evidence } from "./model.js";

/**
 * Evidence as plain text: what JUnit <failure> bodies and `--verbose` terminal
 * output show. Long outputs are cut so one noisy command cannot bury the rest.
 */
const MAX_OUTPUT_CHARS = 4000;

export function evidenceText(ev: Evidence): string {
  switch (ev.kind) {
    case "command": {
      const lines = [`$ ${commandLine(ev.command)}    (on ${ev.where}, exit ${ev.exitCode}${ev.timedOut ? ", timed out" : ""}, ${formatDuration(ev.durationMs)})`];
      if (ev.stdout.trim()) lines.push(`stdout:\n${indent(clip(ev.stdout))}`);
      if (ev.stderr.trim()) lines.push(`stderr:\n${indent(clip(ev.stderr))}`);
      return lines.join("\n");
    }
    case "nat":
      return [
        `NAT (${ev.rewrite})${ev.token ? ` token ${ev.token}` : ""}:`,
        `  before [${ev.before.capture}] ${formatTuple(ev.before.tuple)} (${ev.before.packets} packets)`,
        `  after  [${ev.after.capture}] ${formatTuple(ev.after.tuple)} (${ev.after.packets} packets)`,
        `  ${ev.explanation}`,
      ].join("\n");
    case "packets":
      return [`packets on ${ev.capture} (${ev.lines.length} of ${ev.total}, ${ev.file}):`, ...ev.lines.map((l) => `  ${l}`)].join("\n");
    case "measurement": {
      const stats = ev.stats ? ` (${Object.entries(ev.stats).map(([k, v]) => `${k} ${v}`).join(", ")})` : "";
      const n = ev.samples ? `, ${ev.samples.length} samples` : "";
      return `${ev.metric}: ${formatMeasure(ev.value, ev.unit)}${n}${stats}`;
    }
    case "note":
      return `note: ${ev.text}`;
  }
}

/** The whole story of one check, for a JUnit failure body. */
export function checkEvidenceText(check: CheckResult): string {
  const parts = [`expected: ${check.expectation}`];
  if (check.reason) parts.push(`reason: ${check.reason}`);
  if (check.attempts && check.attempts.length > 1) {
    parts.push(`attempts: ${check.attempts.map((a, i) => `#${i + 1} ${a.status}${a.reason ? ` (${a.reason})` : ""}`).join(", ")}`);
  }
  for (const ev of check.evidence) parts.push(evidenceText(ev));
  return parts.join("\n\n");
}

function clip(text: string): string {
  const t = text.replace(/\s+$/, "");
  return t.length > MAX_OUTPUT_CHARS ? `${t.slice(0, MAX_OUTPUT_CHARS)}\n… (${t.length - MAX_OUTPUT_CHARS} more characters)` : t;
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");
}
