import { commandLine, type ExecResult, type Host } from "../host/host.js";
import type { Finding } from "./types.js";

export interface FixOutcome {
  id: string;
  status: "applied" | "declined" | "failed";
  results: ExecResult[];
  error?: string;
}

/**
 * Apply each finding's fixAction after `confirm` says yes. Commands run in
 * order; when one fails, the ones already run are undone (reverse order) so a
 * half-applied fix never stays behind.
 */
export async function applyFixes(
  host: Host,
  findings: readonly Finding[],
  confirm: (finding: Finding) => Promise<boolean>,
  options: { signal?: AbortSignal } = {},
): Promise<FixOutcome[]> {
  const outcomes: FixOutcome[] = [];
  for (const f of findings) {
    const action = f.fixAction;
    if (!action || f.status === "ok" || f.status === "skip") continue;
    if (!(await confirm(f))) {
      outcomes.push({ id: f.id, status: "declined", results: [] });
      continue;
    }
    const results: ExecResult[] = [];
    let error: string | undefined;
    for (const cmd of action.commands) {
      const res = await host.exec(cmd, { signal: options.signal, timeoutMs: 10_000 });
      results.push(res);
      if (res.exitCode !== 0) {
        error = `\`${commandLine(cmd)}\` exited ${res.exitCode}: ${(res.stderr || res.stdout).trim()}`;
        break;
      }
    }
    if (error) {
      const done = results.length - 1;
      for (const undo of action.undo.slice(0, done).reverse()) results.push(await host.exec(undo, { timeoutMs: 10_000 }));
    }
    outcomes.push({ id: f.id, status: error ? "failed" : "applied", results, error });
  }
  return outcomes;
}
