import type { CheckCategory, Evidence } from "../report/model.js";
import { TopologyBuilder } from "../lab/topology.js";
import type { CheckContext } from "./context.js";
import { CheckBuilder } from "./check-builder.js";

/** What a check reports. Assertion failures are data: `fail` with a reason, never an exception. */
export interface CheckOutcome {
  status: "pass" | "fail" | "skip";
  reason?: string;
  evidence: Evidence[];
}

export interface CheckDecl {
  name: string;
  category: CheckCategory;
  /** What must hold, in words: "a → b by IP must connect (icmp)". */
  expectation: string;
  /** Requirements of this check alone (the scenario's apply to all). */
  requires?: string[];
  run(ctx: CheckContext): Promise<CheckOutcome>;
}

export interface ScenarioDefinition<N extends object = Record<string, unknown>> {
  /** `<mode>/<name>`, e.g. "bridge/default". */
  id: string;
  mode: string;
  summary: string;
  /** Requirement ids ("kernel.macvlan", "engine.swarm"): unmet → every check skipped with the probed reason. */
  requires?: string[];
  /** Declare networks and nodes; return the handles checks refer to. */
  // Method syntax on purpose: bivariant parameters let a Scenario<{ a, b }> be used as a Scenario<object>.
  lab(lab: TopologyBuilder): N;
  /** The checks, in order. */
  checks(nodes: N, c: CheckBuilder): CheckDecl[];
}

export interface Scenario<N extends object = Record<string, unknown>> extends ScenarioDefinition<N> {
  readonly kind: "netcheck-scenario";
  /** Where it was loaded from (set by the loader). */
  file?: string;
}

export function defineScenario<N extends object>(def: ScenarioDefinition<N>): Scenario<N> {
  if (!/^[a-z0-9][a-z0-9:_.-]*(\/[a-z0-9][a-z0-9:_.-]*)*$/.test(def.id)) {
    throw new Error(`scenario id "${def.id}" must be lowercase path segments like "bridge/default"`);
  }
  return { ...def, kind: "netcheck-scenario" };
}

export function isScenario(value: unknown): value is Scenario<object> {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "netcheck-scenario";
}

/** Instantiate a scenario's declarations: topology plus the ordered check list (no Docker involved). */
export function declare<N extends object>(scenario: Scenario<N>): { topology: TopologyBuilder; nodes: N; checks: CheckDecl[] } {
  const topology = new TopologyBuilder();
  const nodes = scenario.lab(topology);
  const checks = scenario.checks(nodes, new CheckBuilder(topology));
  const seen = new Set<string>();
  for (const c of checks) {
    if (seen.has(c.name)) throw new Error(`scenario ${scenario.id} declares check "${c.name}" twice`);
    seen.add(c.name);
  }
  return { topology, nodes, checks };
}

