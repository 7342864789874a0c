import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { RunResult } from "../report/model.js";

/** Writes the run's report folder and renders the terminal summary. */
export async function writeReports(result: RunResult, opts: { junit?: string; reportsRoot?: string }): Promise<{ summary: string }> {
  const dir = resolve(opts.reportsRoot ?? "reports", result.runId);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "results.json"), `${JSON.stringify(result, null, 2)}\n`);
  const t = result.totals;
  const lines = [
    "",
    ...result.scenarios.map((s) => `${s.status.toUpperCase().padEnd(5)} ${s.id}${s.reason ? ` — ${s.reason}` : ""}`),
    ...result.errors.map((e) => `ERROR ${e.scenario ? `${e.scenario}: ` : ""}${e.message}`),
    `${t.pass} passed, ${t.fail} failed, ${t.skip} skipped${t.flaky ? `, ${t.flaky} flaky` : ""}`,
    `report: ${join(dir, "results.json")}`,
  ];
  return { summary: lines.join("\n") };
}
