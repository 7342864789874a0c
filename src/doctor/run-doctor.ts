import type { Engine } from "../engine/engine.js";
import type { Host } from "../host/host.js";
import { shareSignal } from "../util/abort.js";
import { errorMessage } from "../util/errors.js";
import { ALL_CHECKS } from "./checks/index.js";
import { Facts } from "./facts.js";
import { identifyEngine, notApplicable } from "./engine-kind.js";
import { AREA_ORDER, type DoctorArea, type DoctorCheck, type DoctorContext, type Finding, type FindingStatus } from "./types.js";

export const DOCTOR_SCHEMA_VERSION = 1;

export interface DoctorOptions {
  host: Host;
  engine?: Engine;
  signal?: AbortSignal;
  /** Defaults to ALL_CHECKS; tests and `--only` pass a subset. */
  checks?: readonly DoctorCheck[];
  /** `--probe`: active checks (a minimal bridge scenario, embedded DNS answering). Wired by the CLI's caller. */
  probe?: (signal: AbortSignal) => Promise<Finding[]>;
  /** Per-check time limit; a check that runs over becomes a `skip`. */
  checkTimeoutMs?: number;
}

export interface DoctorTotals {
  ok: number;
  warn: number;
  fail: number;
  skip: number;
}

/** The `--json` schema: stable, versioned. */
export interface DoctorReport {
  schemaVersion: typeof DOCTOR_SCHEMA_VERSION;
  host: { name: string; kind: Host["kind"]; hostname?: string; kernel?: string; engine?: string };
  startedAt: string;
  durationMs: number;
  /** Sorted by area (AREA_ORDER), then in the order checks produced them. */
  findings: Finding[];
  totals: DoctorTotals;
}

/** Run every check concurrently; a check that throws or times out becomes a `skip` finding. Never throws for a check's sake. */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const started = Date.now();
  // Every command of every check listens on this one signal.
  const signal = shareSignal(options.signal ?? new AbortController().signal);
  const facts = new Facts(options.host, options.engine, signal);
  const ctx = { host: options.host, engine: options.engine, signal, facts };
  const checks = options.checks ?? ALL_CHECKS;
  const timeout = options.checkTimeoutMs ?? 30_000;
  const runs = checks.map((check) => guarded(check.id, check.area, check.title, () => runApplicable(check, ctx), timeout, signal));
  if (options.probe) runs.push(guarded("probe", "network", "active probe", () => options.probe!(signal), 120_000, signal));
  const uname = facts.exec(["uname", "-nr"]).catch(() => undefined);
  const findings = (await Promise.all(runs)).flat();
  const [hostname, kernel] = ((await uname)?.stdout ?? "").trim().split(/\s+/);
  const order = (a: DoctorArea) => AREA_ORDER.indexOf(a);
  const sorted = findings.map((f, i) => ({ f, i })).sort((a, b) => order(a.f.area) - order(b.f.area) || a.i - b.i).map((x) => x.f);
  return {
    schemaVersion: DOCTOR_SCHEMA_VERSION,
    host: { name: options.host.name, kind: options.host.kind, hostname: hostname || undefined, kernel: kernel || undefined, engine: options.engine?.endpoint.display },
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    findings: sorted,
    totals: countFindings(sorted),
  };
}

/** A check that means nothing for this engine (Desktop's VM, rootless, Podman) is a skip that says why. */
async function runApplicable(check: DoctorCheck, ctx: DoctorContext): Promise<Finding[]> {
  const snap = check.id === "engine" ? undefined : await ctx.facts.engineSnapshot();
  const identity = snap ? identifyEngine(snap) : undefined;
  const why = identity && notApplicable(identity.kind, check.id);
  if (!why) return check.run(ctx);
  return [{ id: `${check.id}/not-applicable`, area: check.area, status: "skip", title: `${check.title}: not checked: ${why}`, evidence: [{ source: "GET /info, GET /version", value: identity.evidence }] }];
}

async function guarded(id: string, area: DoctorArea, title: string, fn: () => Promise<Finding[]>, timeoutMs: number, signal: AbortSignal): Promise<Finding[]> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`check did not finish within ${timeoutMs} ms`)), timeoutMs);
    });
    return await Promise.race([fn(), timedOut]);
  } catch (err) {
    const why = signal.aborted ? "doctor was interrupted" : errorMessage(err);
    return [{ id: `${id}/error`, area, status: "skip", title: `${title}: check could not run: ${why}`, evidence: [{ source: "doctor", value: why }] }];
  } finally {
    clearTimeout(timer);
  }
}

export function countFindings(findings: readonly Finding[]): DoctorTotals {
  const t: DoctorTotals = { ok: 0, warn: 0, fail: 0, skip: 0 };
  for (const f of findings) t[f.status]++;
  return t;
}

/** 1 when any finding failed, else 0 (2 is the CLI's: doctor itself could not run). */
export function doctorExitCode(report: DoctorReport): 0 | 1 {
  return report.totals.fail > 0 ? 1 : 0;
}

export function worstStatus(statuses: FindingStatus[]): FindingStatus {
  for (const s of ["fail", "warn", "ok", "skip"] as const) if (statuses.includes(s)) return s;
  return "skip";
}
