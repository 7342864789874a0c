import { ScenarioLab } from "../lab/scenario-lab.js";
import type { RunLab } from "../lab/run-lab.js";
import type { AttemptResult, CheckResult, CheckStatus, ScenarioResult } from "../report/model.js";
import { errorMessage } from "../util/errors.js";
import { shareSignal, withTimeout } from "../util/abort.js";
import { CheckContext } from "./context.js";
import type { CheckDecl, CheckOutcome, Scenario } from "./define.js";
import { declare } from "./define.js";
import { isNegativeCheck } from "./check-order.js";
import type { TopologyBuilder } from "../lab/topology.js";
import { unmetRequirements } from "./requirements.js";
import { ipv6SkipReason } from "./ipv6-requirement.js";
import { snapshotTopology } from "./topology-snapshot.js";
import { collectFailureArtifacts } from "./failure-artifacts.js";
import { pcapArtifactsOf } from "../capture/index.js";
import { engineRangeApplies } from "./engine-range.js";

export interface ScenarioRunOptions {
  repeat: number;
  retry: number;
  checkTimeoutMs: number;
  keep: "never" | "always" | "on-failure";
  reportDir: string;
  signal?: AbortSignal;
  /** A check's final verdict (run hooks) before it is reported. */
  judge?: (check: CheckDecl, result: CheckResult) => CheckResult;
  onCheck?: (scenarioId: string, check: CheckResult) => void;
  /** Told when a lab is kept up, with how to enter it. */
  onKept?: (scenarioId: string, lab: ScenarioLab) => void;
  /** Told of teardown steps that failed. */
  onCleanupProblem?: (what: string, error: unknown) => void;
}

/** A scenario declared once for the whole run: its topology and the checks the selection keeps. */
export interface DeclaredScenario {
  scenario: Scenario<object>;
  topology: TopologyBuilder;
  checks: CheckDecl[];
}

export function declareSelected(scenario: Scenario<object>, selected: (check: CheckDecl) => boolean): DeclaredScenario {
  const { topology, checks } = declare(scenario);
  return { scenario, topology, checks: checks.filter(selected) };
}

export function scenarioSlug(id: string): string {
  return id.replace(/[^a-z0-9]+/g, "-").slice(0, 24).replace(/-$/, "");
}

/** Bring up → checks → teardown, `repeat` times; failures are data, never exceptions. */
export async function runScenario(declared: DeclaredScenario, run: RunLab, opts: ScenarioRunOptions): Promise<ScenarioResult> {
  const { scenario, topology, checks: decls } = declared;
  shareSignal(opts.signal);
  const started = new Date();
  const base: Omit<ScenarioResult, "status" | "checks" | "durationMs"> = {
    id: scenario.id,
    mode: scenario.mode,
    summary: scenario.summary,
    file: scenario.file,
    startedAt: started.toISOString(),
    artifacts: [],
  };
  const finish = (r: Omit<ScenarioResult, "startedAt" | "durationMs" | "id" | "mode" | "summary" | "artifacts"> & Partial<ScenarioResult>): ScenarioResult => ({
    ...base,
    ...r,
    durationMs: Date.now() - started.getTime(),
  });

  const unmet = await unmetRequirements(scenario.requires ?? [], run.hosts, opts.signal, { engineVersion: run.engineVersion });
  const noV6 = ipv6SkipReason(topology, run.ipv6);
  if (unmet.length > 0 || noV6) {
    const reason = [...unmet.map((u) => u.reason), ...(noV6 ? [noV6] : [])].join("; ");
    const checks = decls.map((d) => skipped(scenario.id, d, reason));
    checks.forEach((c) => opts.onCheck?.(scenario.id, c));
    return finish({ status: "skip", reason, checks });
  }
  // A check's own requirements skip that check alone.
  const checkSkips = new Map<string, string>();
  for (const d of decls) {
    const u = await unmetRequirements(d.requires ?? [], run.hosts, opts.signal, { engineVersion: run.engineVersion });
    if (u.length) checkSkips.set(d.name, u.map((x) => x.reason).join("; "));
  }

  const attempts: CheckResult[][] = [];
  let lastTopology: ScenarioResult["topology"];
  let phases: ScenarioResult["phases"];
  const artifacts: ScenarioResult["artifacts"] = [];
  for (let i = 0; i < opts.repeat; i++) {
    const lab = new ScenarioLab(run, scenario.id, scenarioSlug(scenario.id));
    let keep = opts.keep === "always";
    try {
      try {
        await lab.clock.time("bring-up", () => lab.bringUp(topology, opts.signal));
      } catch (err) {
        const reason = opts.signal?.aborted ? "run interrupted during bring-up" : `lab did not come up: ${errorMessage(err)}`;
        const failed = decls.map((d) => ({ ...skipped(scenario.id, d, reason), status: "fail" as const }));
        attempts.push(failed);
        keep ||= opts.keep === "on-failure" && !opts.signal?.aborted;
        break;
      }
      lastTopology = snapshotTopology(run, lab);
      const ctx = new CheckContext(run, lab, opts.reportDir, opts.signal);
      const engines = await lab.engineVersions(opts.signal).catch(() => [] as string[]);
      const one = async (d: CheckDecl): Promise<CheckResult> => {
        const range = d.engine && engineRangeApplies(d.engine, engines);
        const skipReason = checkSkips.get(d.name) ?? (range && !range.applies ? range.reason : undefined);
        const raw = skipReason ? skipped(scenario.id, d, skipReason) : await runCheck(scenario.id, d, ctx, opts);
        const judged = raw.status === "skip" || !opts.judge ? raw : opts.judge(d, raw);
        const result: CheckResult = { ...judged, ...(engines.length ? { engine: [...new Set(engines)].join(", ") } : {}), ...(d.engine ? { engineRange: d.engine } : {}) };
        opts.onCheck?.(scenario.id, result);
        return result;
      };
      const results = await lab.clock.time("checks", () => runInOrder(decls, one, opts.signal));
      attempts.push(results);
      artifacts.push(...pcapArtifactsOf(results));
      if (results.some((r) => r.status === "fail")) {
        keep ||= opts.keep === "on-failure";
        artifacts.push(...(await collectFailureArtifacts(run, lab, opts.reportDir, scenarioSlug(scenario.id), i)));
      }
    } finally {
      if (keep) opts.onKept?.(scenario.id, lab);
      else for (const p of await lab.clock.time("teardown", () => lab.dispose())) opts.onCleanupProblem?.(`${scenario.id}: ${p.what}`, p.error);
      phases = lab.clock.spans;
    }
    if (opts.signal?.aborted) break;
  }
  const checks = mergeAttempts(attempts);
  const statuses = checks.map((c) => c.status);
  const status: CheckStatus = statuses.includes("fail") ? "fail" : statuses.includes("flaky") ? "flaky" : statuses.includes("pass") ? "pass" : "skip";
  const bringUpFailure = checks.find((c) => c.reason?.startsWith("lab did not come up"))?.reason;
  return finish({ status, reason: bringUpFailure, checks, topology: lastTopology, artifacts, repeats: attempts.length, phases });
}

/**
 * Positive checks first, one at a time, in declared order: they prove the lab
 * works. Then every negative check at once: each waits on silence, and
 * silences overlap. Results keep the declared order.
 */
async function runInOrder(decls: CheckDecl[], one: (d: CheckDecl) => Promise<CheckResult>, signal?: AbortSignal): Promise<CheckResult[]> {
  const out = new Map<CheckDecl, CheckResult>();
  for (const d of decls.filter((x) => !isNegativeCheck(x))) {
    if (signal?.aborted) break;
    out.set(d, await one(d));
  }
  if (!signal?.aborted) {
    const negatives = decls.filter(isNegativeCheck);
    const results = await Promise.all(negatives.map(one));
    negatives.forEach((d, i) => out.set(d, results[i]!));
  }
  return decls.flatMap((d) => (out.has(d) ? [out.get(d)!] : []));
}

async function runCheck(scenarioId: string, d: CheckDecl, ctx: CheckContext, opts: ScenarioRunOptions): Promise<CheckResult> {
  const tries: AttemptResult[] = [];
  let last: CheckResult | undefined;
  for (let attempt = 0; attempt <= opts.retry; attempt++) {
    const started = Date.now();
    let outcome: CheckOutcome;
    const signal = withTimeout(opts.checkTimeoutMs, opts.signal);
    try {
      outcome = await Promise.race([
        d.run(new CheckContext(ctx.run, ctx.lab, ctx.reportDir, signal)),
        new Promise<never>((_, reject) => signal?.addEventListener("abort", () => reject(new Error(opts.signal?.aborted ? "run interrupted" : `check timed out after ${opts.checkTimeoutMs / 1000}s (--timeout)`)), { once: true })),
      ]);
    } catch (err) {
      outcome = { status: "fail", reason: `check could not run: ${errorMessage(err)}`, evidence: [] };
    }
    const durationMs = Date.now() - started;
    last = {
      id: `${scenarioId}/${d.name}`,
      name: d.name,
      category: d.category,
      expectation: d.expectation,
      status: outcome.status,
      reason: outcome.reason,
      evidence: outcome.evidence,
      ...(outcome.cause ? { cause: outcome.cause } : {}),
      startedAt: new Date(started).toISOString(),
      durationMs,
    };
    tries.push({ status: outcome.status, reason: outcome.reason, durationMs });
    if (outcome.status !== "fail" || opts.signal?.aborted) break;
  }
  if (tries.length > 1) last!.attempts = tries;
  return last!;
}

function skipped(scenarioId: string, d: CheckDecl, reason: string): CheckResult {
  return { id: `${scenarioId}/${d.name}`, name: d.name, category: d.category, expectation: d.expectation, status: "skip", reason, evidence: [], startedAt: new Date().toISOString(), durationMs: 0 };
}

/**
 * One result per check across repeats (and retries): pass only if every attempt
 * passed, fail if every attempt failed, flaky (with its pass rate) when mixed.
 * The evidence shown is the latest failing attempt's, else the latest.
 */
export function mergeAttempts(runs: CheckResult[][]): CheckResult[] {
  if (runs.length === 0) return [];
  if (runs.length === 1) return runs[0]!.map((c) => withFlaky(c, c.attempts ?? []));
  const byId = new Map<string, CheckResult[]>();
  for (const run of runs) for (const c of run) byId.set(c.id, [...(byId.get(c.id) ?? []), c]);
  return [...byId.values()].map((list) => {
    const attempts = list.flatMap((c) => c.attempts ?? [{ status: c.status as AttemptResult["status"], reason: c.reason, durationMs: c.durationMs }]);
    const shown = [...list].reverse().find((c) => c.status === "fail") ?? list[list.length - 1]!;
    return withFlaky({ ...shown, durationMs: list.reduce((s, c) => s + c.durationMs, 0) }, attempts);
  });
}

function withFlaky(c: CheckResult, attempts: AttemptResult[]): CheckResult {
  if (attempts.length <= 1) return c;
  const ran = attempts.filter((a) => a.status !== "skip");
  const passed = ran.filter((a) => a.status === "pass").length;
  const passRate = ran.length ? passed / ran.length : 0;
  const status = ran.length === 0 ? "skip" : passed === ran.length ? "pass" : passed === 0 ? "fail" : "flaky";
  const reason = status === "flaky" ? `flaky: passed ${passed} of ${ran.length} attempts (${Math.round(passRate * 100)}%); last failure: ${[...attempts].reverse().find((a) => a.status === "fail")?.reason ?? ""}` : c.reason;
  return { ...c, status, reason, attempts, passRate };
}
