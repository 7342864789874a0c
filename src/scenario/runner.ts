import { mkdir } from "node:fs/promises";
import { resolve, join } from "node:path";
import { localLabHost, type LabHost } from "../lab/lab-host.js";
import { RunLab } from "../lab/run-lab.js";
import type { ScenarioLab } from "../lab/scenario-lab.js";
import { computeTotals, RESULTS_SCHEMA_VERSION, type CheckResult, type RunResult, type ScenarioResult } from "../report/model.js";
import { errorMessage } from "../util/errors.js";
import { newRunId } from "../util/ids.js";
import { netcheckVersion, probeImageTag } from "../util/version.js";
import type { Scenario } from "./define.js";
import { gatherHostFacts } from "./host-facts.js";
import { runScenario, selectedChecks } from "./scenario-run.js";
import { compileSelection, type Selection } from "./select.js";
import { isPerfCheck } from "./checks/perf.js";
import type { PerfCheckSpec } from "../perf/spec.js";
import { declare } from "./define.js";
import { PerfCollector } from "../perf/collector.js";
import { applyPerfResults } from "../perf/post-pass.js";
import { buildComparison } from "../perf/comparison.js";

export interface RunEvents {
  onLabReady?(info: { runId: string; reportDir: string; external: string; dns: string }): void;
  onScenarioStart?(scenario: Scenario<object>, checks: number): void;
  onCheck?(scenarioId: string, check: CheckResult): void;
  onScenarioEnd?(result: ScenarioResult): void;
  onKept?(scenarioId: string, lab: ScenarioLab): void;
  onCleanupProblem?(what: string, error: unknown): void;
}

export interface RunOptions extends Selection {
  scenarios: Scenario<object>[];
  runId?: string;
  /** Modes whose skip fails the run ("all" = every mode selected). */
  require?: string[];
  concurrency?: number;
  repeat?: number;
  retry?: number;
  /** Per check, in seconds. */
  timeoutS?: number;
  keep?: "never" | "always" | "on-failure";
  allowExternal?: boolean;
  reportsRoot?: string;
  /** Lab hosts; default: the local engine. The first is primary (it runs the external host and the lab DNS). */
  hosts?: LabHost[];
  /** Extra address ranges the lab owns (a VM lab's isolated trunk), so probes may target them. */
  labRanges?: string[];
  underlayPool?: string;
  subnetPool?: string;
  command?: string[];
  /** Performance checks: "off" (default: not selected at all), "with" the others (--perf), or "only" (`netcheck bench`). */
  perf?: "off" | "with" | "only";
  signal?: AbortSignal;
  events?: RunEvents;
}

/**
 * Run scenarios on a lab: one RunLab for the whole run, one ScenarioLab per
 * scenario (and repeat), at most `concurrency` at a time. Resolves with the
 * results whatever happens to the checks; the lab is torn down in `finally`.
 */
export async function runScenarios(opts: RunOptions): Promise<RunResult> {
  const started = new Date();
  const runId = opts.runId ?? newRunId();
  const byId = compileSelection(opts);
  const specs = perfSpecs(opts.scenarios);
  const perf = opts.perf ?? "off";
  const selected = (id: string) => byId(id) && (specs.has(id) ? perf !== "off" : perf !== "only");
  const collector = new PerfCollector(specs);
  const chosen = opts.scenarios.filter((s) => selectedChecks(s, selected).length > 0);
  const hosts = opts.hosts ?? [await localLabHost(opts.signal)];
  for (const h of hosts) await h.engine.requireImage(probeImageTag());
  const reportDir = resolve(opts.reportsRoot ?? "reports", runId);
  await mkdir(reportDir, { recursive: true });
  const host = await gatherHostFacts(hosts[0]!, opts.signal);
  const errors: RunResult["errors"] = [];
  const results: ScenarioResult[] = [];

  const lab = await RunLab.start({ runId, hosts, allowExternal: opts.allowExternal, underlayPool: opts.underlayPool, subnetPool: opts.subnetPool, signal: opts.signal });
  for (const range of opts.labRanges ?? []) lab.addLabRange(range);
  try {
    opts.events?.onLabReady?.({ runId, reportDir, external: `${lab.external.namespace} (${lab.external.address})`, dns: lab.dns.address });
    const queue = [...chosen];
    const worker = async () => {
      for (let s = queue.shift(); s; s = queue.shift()) {
        if (opts.signal?.aborted) break;
        opts.events?.onScenarioStart?.(s, selectedChecks(s, selected).length);
        const r = await runScenario(s, lab, {
          selected,
          repeat: Math.max(1, opts.repeat ?? 1),
          retry: Math.max(0, opts.retry ?? 0),
          checkTimeoutMs: (opts.timeoutS ?? 120) * 1000,
          keep: opts.keep ?? "never",
          reportDir,
          signal: opts.signal,
          onCheck: (sid, c) => {
            collector.add(c);
            opts.events?.onCheck?.(sid, c);
          },
          onKept: opts.events?.onKept,
        }).catch((err): ScenarioResult => ({ id: s.id, mode: s.mode, summary: s.summary, status: "fail", reason: errorMessage(err), startedAt: new Date().toISOString(), durationMs: 0, checks: [], artifacts: [] }));
        results.push(r);
        opts.events?.onScenarioEnd?.(r);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? 1, chosen.length || 1)) }, worker));
  } finally {
    const keptAny = opts.keep === "always" || (opts.keep === "on-failure" && results.some((r) => r.status === "fail"));
    if (!keptAny) for (const p of await lab.dispose()) opts.events?.onCleanupProblem?.(p.what, p.error);
  }
  if (opts.signal?.aborted) errors.push({ message: "run interrupted (SIGINT/SIGTERM): the lab was torn down; results are partial" });

  results.sort((a, b) => chosen.indexOf(chosen.find((s) => s.id === a.id)!) - chosen.indexOf(chosen.find((s) => s.id === b.id)!));
  const requiredModes = opts.require?.includes("all") ? [...new Set(chosen.map((s) => s.mode))] : (opts.require ?? []);
  for (const mode of requiredModes) {
    const ofMode = results.filter((r) => r.mode === mode);
    if (ofMode.length === 0) errors.push({ message: `required mode "${mode}" has no scenario in this run` });
    for (const r of ofMode) if (r.status === "skip") errors.push({ scenario: r.id, message: `required mode "${mode}" was skipped: ${r.reason ?? "no reason given"}` });
  }
  // Relative thresholds need every scenario's figures: judged now, over all repeats.
  const perfRecords = collector.list();
  if (perfRecords.length > 0) applyPerfResults(results, perfRecords);
  const totals = computeTotals(results);
  const exitCode = totals.fail > 0 || errors.length > 0 ? 1 : 0;
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    tool: { name: "netcheck", version: netcheckVersion() },
    runId,
    command: opts.command ?? [],
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    durationMs: Date.now() - started.getTime(),
    host,
    options: { only: opts.only, skip: opts.skip, perf, require: opts.require, concurrency: opts.concurrency ?? 1, repeat: opts.repeat ?? 1, retry: opts.retry ?? 0, timeoutS: opts.timeoutS ?? 120, keep: opts.keep ?? "never" },
    scenarios: results,
    totals,
    errors,
    exitCode,
    reportDir: join(opts.reportsRoot ?? "reports", runId),
    ...(perfRecords.length > 0 ? { comparison: buildComparison(results, perfRecords) } : {}),
  };
}

/** Every perf check of these scenarios by check id: what the post-run pass needs. */
function perfSpecs(scenarios: Scenario<object>[]): Map<string, { scenarioId: string; mode: string; spec: PerfCheckSpec }> {
  const out = new Map<string, { scenarioId: string; mode: string; spec: PerfCheckSpec }>();
  for (const s of scenarios) for (const d of declare(s).checks) if (isPerfCheck(d)) out.set(`${s.id}/${d.name}`, { scenarioId: s.id, mode: s.mode, spec: d.perf });
  return out;
}
