import type { CheckResult, RunResult, ScenarioResult } from "../report/model.js";
import type { CheckDecl, Scenario } from "./define.js";

/**
 * What a concern outside the runner (performance, today) adds to a run, without
 * the runner knowing it: which checks it selects, which scenarios must run
 * alone and first, a check's verdict before it is reported (a reported status
 * is final), and what it adds to the results at the end (never a status change).
 */
export interface RunHook {
  name: string;
  /** false: not selected; true: selected; undefined: no opinion. Every hook must agree. */
  selects?(scenario: Scenario<object>, check: CheckDecl): boolean | undefined;
  /** A scenario no other scenario may run beside (measurements). Such scenarios run after the others, one at a time. */
  runsAlone?(scenario: Scenario<object>, checks: CheckDecl[]): boolean;
  /** Lower runs earlier (a baseline others are compared to). Default 0. */
  rank?(scenario: Scenario<object>): number;
  /** The check's verdict before anyone is told of it; called once per attempt that ran. */
  judge?(scenario: Scenario<object>, check: CheckDecl, result: CheckResult): CheckResult;
  /** After every scenario: data for the results (summaries, a comparison, option values). Statuses are final by now. */
  finish?(scenarios: ScenarioResult[]): Partial<Pick<RunResult, "comparison">> & { options?: Record<string, unknown> };
}

export function selectedByHooks(hooks: readonly RunHook[], scenario: Scenario<object>, check: CheckDecl): boolean {
  return hooks.every((h) => h.selects?.(scenario, check) !== false);
}
