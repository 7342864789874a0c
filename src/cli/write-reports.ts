import { writeRunReport, renderSummary, type RunResult } from "../report/index.js";

/** Writes the run's report folder (results.json, junit.xml, index.html, reports/latest) and renders the terminal summary. */
export async function writeReports(
  result: RunResult,
  opts: { junit?: string; json?: string; reportsRoot?: string; out: NodeJS.WritableStream & { columns?: number }; color: boolean },
): Promise<{ summary: string; dir: string }> {
  const written = await writeRunReport(result, { baseDir: opts.reportsRoot ?? "reports", html: true, junitPath: opts.junit, jsonPath: opts.json });
  return { summary: renderSummary(written.run, { color: opts.color, width: opts.out.columns }), dir: written.dir };
}
