import { availableParallelism } from "node:os";
import type { LabHost } from "../lab/lab-host.js";
import { isNegativeCheck } from "./check-order.js";
import type { CheckDecl } from "./define.js";

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

/** What `expectedCost` reads of a declared scenario. */
export interface CostShape {
  topology: { dockerHosts: unknown[]; nodes: unknown[]; segments: unknown[]; routers: unknown[] };
  checks: CheckDecl[];
}

/**
 * A scenario's expected wall time in rough units, from its declaration alone:
 * a docker-in-docker host of its own (start a daemon, load the probe image,
 * maybe a swarm) outweighs everything else; then each node, segment and router
 * to bring up, each positive check (they run one at a time) and one unit for
 * all negatives (they wait their silences at once).
 */
export function expectedCost(d: CostShape): number {
  const t = d.topology;
  const positives = d.checks.filter((c) => !isNegativeCheck(c)).length;
  const negatives = d.checks.length - positives > 0 ? 1 : 0;
  return 20 * t.dockerHosts.length + t.nodes.length + t.segments.length + t.routers.length + positives + negatives;
}

/**
 * Longest first (stable): with a pool of width w, a long scenario that starts
 * last makes the run's wall time "everything else / w + the long one"; started
 * first, it overlaps the rest. Results are reported in declared order anyway.
 */
export function longestFirst<T extends CostShape>(items: T[]): T[] {
  return items
    .map((d, i) => ({ d, i, cost: expectedCost(d) }))
    .sort((a, b) => b.cost - a.cost || a.i - b.i)
    .map((x) => x.d);
}
