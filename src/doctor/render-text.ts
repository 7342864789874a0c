import { AREA_ORDER, type Finding } from "./types.js";
import type { DoctorReport } from "./run-doctor.js";

const MARK = { ok: "ok  ", warn: "WARN", fail: "FAIL", skip: "skip" } as const;

/** Terminal report: grouped by area; evidence values and fixes for warn/fail (all evidence with `verbose`). */
export function renderDoctorText(report: DoctorReport, options: { verbose?: boolean } = {}): string {
  const lines: string[] = [`netcheck doctor on ${report.host.name}${report.host.hostname ? ` (${report.host.hostname}, kernel ${report.host.kernel})` : ""}`];
  for (const area of AREA_ORDER) {
    const fs = report.findings.filter((f) => f.area === area);
    if (fs.length === 0) continue;
    lines.push("", `${area}`);
    for (const f of fs) lines.push(...renderFinding(f, options.verbose ?? false));
  }
  const t = report.totals;
  lines.push("", `${t.fail} fail, ${t.warn} warn, ${t.ok} ok, ${t.skip} skip in ${(report.durationMs / 1000).toFixed(1)} s`);
  return `${lines.join("\n")}\n`;
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
