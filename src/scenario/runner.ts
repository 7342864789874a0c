import { mkdir } from "node:fs/promises";
import { resolve, join } from "node:path";
import { localLabHost, type LabHost } from "../lab/lab-host.js";
import { RunLab } from "../lab/run-lab.js";
import type { ScenarioLab } from "../lab/scenario-lab.js";
import { computeTotals, RESULTS_SCHEMA_VERSION, type CheckResult, type RunResult, type ScenarioResult } from "../report/model.js";
import { modeTable } from "../report/mode-table.js";
import { errorMessage } from "../util/errors.js";
import { newRunId } from "../util/ids.js";
import { netcheckVersion, probeImageTag } from "../util/version.js";
import type { Scenario } from "./define.js";
import { gatherHostFacts } from "./host-facts.js";
import { declareSelected, runScenario, type DeclaredScenario } from "./scenario-run.js";
import { compileSelection, type Selection } from "./select.js";
import { selectedByHooks, type RunHook } from "./run-hook.js";
import { defaultConcurrency, longestFirst } from "./concurrency.js";

export interface RunEvents {
  onLabReady?(info: { runId: string; reportDir: string; external: string; dns: string; concurrency: number }): void;
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
  /** Scenarios at once; default: sized from the cores and the engine (see defaultConcurrency). */
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
  /** Engine version of the scenarios' docker-in-docker hosts (--engine), e.g. "26.1"; default: the host's. */
  engine?: string;
  /** Concerns beside the checks (performance: `perfHook`): selection, ordering, verdicts, result data. */
  hooks?: RunHook[];
  signal?: AbortSignal;
  events?: RunEvents;
}

/**
 * Run scenarios on a lab: one RunLab for the whole run, one ScenarioLab per
 * scenario (and repeat), at most `concurrency` at a time; scenarios a hook
 * wants alone run after the others, one at a time. Every scenario is declared
 * once. Resolves with the results whatever happens to the checks; the lab is
 * torn down in `finally`, before this returns (also when interrupted).
 */
export async function runScenarios(opts: RunOptions): Promise<RunResult> {
  const startedAt = new Date();
  const runId = opts.runId ?? newRunId();
  const hooks = opts.hooks ?? [];
  const byId = compileSelection(opts);
  const declared = opts.scenarios
    .map((s) => declareSelected(s, (c) => byId(`${s.id}/${c.name}`) && selectedByHooks(hooks, s, c)))
    .filter((d) => d.checks.length > 0);
  const rank = (d: DeclaredScenario) => hooks.reduce((n, h) => n + (h.rank?.(d.scenario) ?? 0), 0);
  const alone = (d: DeclaredScenario) => hooks.some((h) => h.runsAlone?.(d.scenario, d.checks));
  const hosts = opts.hosts ?? [await localLabHost(opts.signal)];
  const reportDir = resolve(opts.reportsRoot ?? "reports", runId);
  const errors: RunResult["errors"] = [];
  const results: ScenarioResult[] = [];
  const { sized, host, lab } = await startUp(opts, hosts, runId, reportDir);
  const concurrency = Math.max(1, Math.min(sized, declared.length || 1));
  for (const range of opts.labRanges ?? []) lab.addLabRange(range);
  try {
    opts.events?.onLabReady?.({ runId, reportDir, external: `${lab.external.namespace} (${lab.external.address})`, dns: lab.dns.address, concurrency });
    const runOne = async (d: DeclaredScenario) => {
      const s = d.scenario;
      opts.events?.onScenarioStart?.(s, d.checks.length);
      const r = await runScenario(d, lab, {
        repeat: Math.max(1, opts.repeat ?? 1),
        retry: Math.max(0, opts.retry ?? 0),
        checkTimeoutMs: (opts.timeoutS ?? 120) * 1000,
        keep: opts.keep ?? "never",
        reportDir,
        signal: opts.signal,
        judge: (c, result) => hooks.reduce((acc, h) => h.judge?.(s, c, acc) ?? acc, result),
        onCheck: opts.events?.onCheck,
        onKept: opts.events?.onKept,
        onCleanupProblem: opts.events?.onCleanupProblem,
      }).catch((err): ScenarioResult => ({ id: s.id, mode: s.mode, summary: s.summary, status: "fail", reason: errorMessage(err), startedAt: new Date().toISOString(), durationMs: 0, checks: [], artifacts: [] }));
      results.push(r);
      opts.events?.onScenarioEnd?.(r);
    };
    // Side by side first, the longest expected first (docker-in-docker hosts); then, one at a time,
    // those a hook wants alone (measurements), baselines first.
    await inTurn(longestFirst(declared.filter((d) => !alone(d))), concurrency, runOne, opts.signal);
    await inTurn(declared.filter(alone).sort((a, b) => rank(a) - rank(b)), 1, runOne, opts.signal);
  } finally {
    const keptAny = opts.keep === "always" || (opts.keep === "on-failure" && results.some((r) => r.status === "fail"));
    if (!keptAny) for (const p of await lab.dispose()) opts.events?.onCleanupProblem?.(p.what, p.error);
  }
  if (opts.signal?.aborted) errors.push({ message: "run interrupted (SIGINT/SIGTERM): the lab was torn down; results are partial" });

  const order = new Map(declared.map((d, i) => [d.scenario.id, i]));
  results.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  const requiredModes = opts.require?.includes("all") ? [...new Set(declared.map((d) => d.scenario.mode))] : (opts.require ?? []);
  for (const mode of requiredModes) {
    const ofMode = results.filter((r) => r.mode === mode);
    if (ofMode.length === 0) errors.push({ message: `required mode "${mode}" has no scenario in this run` });
    for (const r of ofMode) if (r.status === "skip") errors.push({ scenario: r.id, message: `required mode "${mode}" was skipped: ${r.reason ?? "no reason given"}` });
  }
  const extra = hooks.map((h) => h.finish?.(results) ?? {});
  const totals = computeTotals(results);
  const exitCode = totals.fail > 0 || errors.length > 0 ? 1 : 0;
  const comparison = extra.find((x) => x.comparison)?.comparison;
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    tool: { name: "netcheck", version: netcheckVersion() },
    runId,
    command: opts.command ?? [],
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    host,
    options: {
      only: opts.only,
      skip: opts.skip,
      require: opts.require,
      concurrency,
      repeat: opts.repeat ?? 1,
      retry: opts.retry ?? 0,
      timeoutS: opts.timeoutS ?? 120,
      keep: opts.keep ?? "never",
      ...Object.assign({}, ...extra.map((x) => x.options ?? {})),
    },
    scenarios: results,
    totals,
    errors,
    exitCode,
    reportDir: join(opts.reportsRoot ?? "reports", runId),
    ...(comparison ? { comparison } : {}),
    modeTable: modeTable(results),
  };
}

/**
 * The run's independent start-up steps side by side: the probe image on every
 * host, the concurrency, the host facts, the run lab. If any fails, a lab that
 * did start is torn down before the error is rethrown.
 */
async function startUp(opts: RunOptions, hosts: LabHost[], runId: string, reportDir: string): Promise<{ sized: number; host: RunResult["host"]; lab: RunLab }> {
  const [image, sized, host, lab] = await Promise.allSettled([
    Promise.all(hosts.map((h) => h.engine.requireImage(probeImageTag(), opts.signal))).then(() => mkdir(reportDir, { recursive: true })),
    opts.concurrency ?? defaultConcurrency(hosts, opts.signal),
    gatherHostFacts(hosts[0]!, opts.signal),
    RunLab.start({ runId, hosts, allowExternal: opts.allowExternal, underlayPool: opts.underlayPool, subnetPool: opts.subnetPool, engineVersion: opts.engine, signal: opts.signal }),
  ]);
  if (image.status === "fulfilled" && sized.status === "fulfilled" && host.status === "fulfilled" && lab.status === "fulfilled") {
    return { sized: sized.value, host: host.value, lab: lab.value };
  }
  if (lab.status === "fulfilled") for (const p of await lab.value.dispose()) opts.events?.onCleanupProblem?.(p.what, p.error);
  throw [image, sized, host, lab].find((x): x is PromiseRejectedResult => x.status === "rejected")!.reason;
}

/** Run `items` with at most `width` at a time, taking the next as one ends; none starts after an interrupt. */
async function inTurn<T>(items: T[], width: number, run: (item: T) => Promise<void>, signal?: AbortSignal): Promise<void> {
  const queue = [...items];
  const worker = async () => {
    for (let x = queue.shift(); x !== undefined; x = queue.shift()) {
      if (signal?.aborted) return;
      await run(x);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(width, items.length)) }, worker));
}
