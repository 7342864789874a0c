import { AREA_ORDER, type Finding } from "./types.js";
import type { DoctorReport } from "./run-doctor.js";

const MARK = { ok: "ok  ", warn: "WARN", fail: "FAIL", skip: "skip" } as const;

/**
 * Terminal report: first a short summary — what is wrong and what to do, worst
 * first, one line each — then the details grouped by area (evidence and fixes
 * for warn/fail; all evidence with `verbose`).
 */
export function renderDoctorText(report: DoctorReport, options: { verbose?: boolean } = {}): string {
  const t = report.totals;
  const lines: string[] = [
    `netcheck doctor on ${report.host.name}${report.host.hostname ? ` (${report.host.hostname}, kernel ${report.host.kernel})` : ""}: ${t.fail} fail, ${t.warn} warn, ${t.ok} ok, ${t.skip} skip in ${(report.durationMs / 1000).toFixed(1)} s`,
    ...renderSummary(report.findings),
    "",
    "details",
  ];
  for (const area of AREA_ORDER) {
    const fs = report.findings.filter((f) => f.area === area);
    if (fs.length === 0) continue;
    lines.push("", `${area}`);
    for (const f of fs) lines.push(...renderFinding(f, options.verbose ?? false));
  }
  lines.push("", `${t.fail} fail, ${t.warn} warn, ${t.ok} ok, ${t.skip} skip in ${(report.durationMs / 1000).toFixed(1)} s`);
  return `${lines.join("\n")}\n`;
}

/** What is wrong and what to do: fails, then warnings, each with its fix; the engine's kind when it is not plain Docker. */
export function renderSummary(findings: readonly Finding[]): string[] {
  const kind = findings.find((f) => f.id === "engine/kind" && !/rootful Docker Engine/.test(f.title));
  const bad = [...findings.filter((f) => f.status === "fail"), ...findings.filter((f) => f.status === "warn")];
  const out: string[] = [""];
  if (kind) out.push(`  note ${kind.title}`);
  if (bad.length === 0) {
    out.push("  nothing wrong found");
    return out;
  }
  out.push("summary (what is wrong → what to do)");
  for (const f of bad) {
    out.push(`  ${MARK[f.status]} ${cut(f.title, 160)}`);
    if (f.fix) out.push(`       → ${cut(f.fix, 200)}`);
  }
  return out;
}

function cut(text: string, max: number): string {
  const one = text.replace(/\s+/g, " ");
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

function renderFinding(f: Finding, verbose: boolean): string[] {
  const out = [`  ${MARK[f.status]} ${f.title}`];
  const detailed = verbose || f.status === "warn" || f.status === "fail";
  for (const e of f.evidence) {
    if (!detailed) continue;
    out.push(`         ↳ ${e.source}`);
    for (const v of e.value.split("\n").slice(0, verbose ? 40 : 8)) out.push(`             ${v}`);
  }
  if (f.fix && f.status !== "ok") out.push(`         fix: ${f.fix}`);
  if (f.fixAction && f.status !== "ok") out.push(`         (--fix can apply: ${f.fixAction.describe})`);
  return out;
}
