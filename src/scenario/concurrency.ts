import { availableParallelism } from "node:os";
import type { LabHost } from "../lab/lab-host.js";

/**
 * Scenarios at once when the user did not say: most of a scenario's time is
 * spent waiting (container start, probes, silences), so twice the CPUs the
 * run can use — the fewer of this machine's and the engine's — capped at 8,
 * and lowered when the engine already runs other labs' containers (another
 * run, another user) so that two runs share it instead of thrashing it.
 */
export function concurrencyFor(facts: { localCpus: number; engineCpus: number; foreignContainers: number }): number {
  const cpus = Math.max(1, Math.min(facts.localCpus, facts.engineCpus || facts.localCpus));
  const busy = Math.floor(facts.foreignContainers / 8);
  return Math.max(2, Math.min(8, 2 * cpus) - busy);
}

export async function defaultConcurrency(hosts: LabHost[], signal?: AbortSignal): Promise<number> {
  const primary = hosts[0]!;
  const [info, running] = await Promise.all([
    primary.engine.info(signal).catch(() => ({}) as Record<string, unknown>),
    primary.engine.listContainers({ status: ["running"] }, signal).catch(() => []),
  ]);
  return concurrencyFor({ localCpus: availableParallelism(), engineCpus: Number(info.NCPU) || 0, foreignContainers: running.length });
}
