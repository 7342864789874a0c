import type { CheckCategory, CheckCause, Evidence } from "../report/model.js";
import { TopologyBuilder } from "../lab/topology.js";
import type { CheckContext } from "./context.js";
import { CheckBuilder } from "./check-builder.js";
import { DeclarationError } from "../util/errors.js";
import { knownKeys } from "../lab/declaration-checks.js";
import { KNOWN_REQUIREMENTS, requirementProblem } from "./requirements.js";
import { engineRangeProblem, type EngineRange } from "./engine-range.js";

/** What a check reports. Assertion failures are data: `fail` with a reason, never an exception. */
export interface CheckOutcome {
  status: "pass" | "fail" | "skip";
  reason?: string;
  evidence: Evidence[];
  /** A failed check's explanation (src/explain): never set on a passing check. */
  cause?: CheckCause;
}

export interface CheckDecl {
  name: string;
  category: CheckCategory;
  /** What must hold, in words: "a → b by IP must connect (icmp)". */
  expectation: string;
  /** Requirements of this check alone (the scenario's apply to all). */
  requires?: string[];
  /** Engine versions this expectation holds on (`c.engine({ since, until, change }, check)`); elsewhere it is skipped, saying why. */
  engine?: EngineRange;
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

const SCENARIO_KEYS = ["id", "mode", "summary", "requires", "lab", "checks"] as const;

/**
 * Declare a scenario. Everything it declares is checked here, when the file is
 * loaded and before any container starts: option keys, ports, requirement ids,
 * check names. An authoring error is a DeclarationError naming the field and the fix.
 */
export function defineScenario<N extends object>(def: ScenarioDefinition<N>): Scenario<N> {
  if (typeof def !== "object" || def === null) throw new DeclarationError("defineScenario", "needs an object", "Write defineScenario({ id, mode, summary, lab, checks }).");
  const id = typeof def.id === "string" ? def.id : undefined;
  try {
    knownKeys("defineScenario", def, SCENARIO_KEYS, "scenario");
    if (!id || !/^[a-z0-9][a-z0-9:_.-]*(\/[a-z0-9][a-z0-9:_.-]*)*$/.test(id)) {
      throw new DeclarationError("id", `${JSON.stringify(def.id)} is not a scenario id`, 'Use lowercase path segments like "bridge/default" (mode/name).');
    }
    for (const key of ["mode", "summary"] as const) if (typeof def[key] !== "string" || !def[key]) throw new DeclarationError(key, "is missing", `Give the scenario a ${key} (a string).`);
    for (const key of ["lab", "checks"] as const) if (typeof def[key] !== "function") throw new DeclarationError(key, "must be a function", key === "lab" ? "Write lab: (lab) => ({ a: lab.node(\"a\") })." : "Write checks: ({ a }, c) => [c.reach(a, c.external())].");
    checkRequirements("requires", def.requires);
    const scenario: Scenario<N> = { ...def, kind: "netcheck-scenario" };
    declare(scenario); // topology options, check declarations, duplicate names
    return scenario;
  } catch (err) {
    if (err instanceof DeclarationError) throw err.within({ scenario: id });
    throw err;
  }
}

function checkRequirements(field: string, requires: unknown): void {
  if (requires === undefined) return;
  if (!Array.isArray(requires)) throw new DeclarationError(field, "must be a list of requirement ids", `Write e.g. ["kernel.macvlan"]. Known: ${KNOWN_REQUIREMENTS}.`);
  requires.forEach((r, i) => {
    const problem = requirementProblem(r);
    if (problem) throw new DeclarationError(`${field}[${i}]`, problem, `Known requirement ids: ${KNOWN_REQUIREMENTS}.`);
  });
}

export function isScenario(value: unknown): value is Scenario<object> {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "netcheck-scenario";
}

/** Instantiate a scenario's declarations: topology plus the ordered check list (no Docker involved). */
export function declare<N extends object>(scenario: Scenario<N>): { topology: TopologyBuilder; nodes: N; checks: CheckDecl[] } {
  const topology = new TopologyBuilder();
  const nodes = scenario.lab(topology);
  const checks = scenario.checks(nodes, new CheckBuilder(topology));
  if (!Array.isArray(checks)) throw new DeclarationError("checks", "must return a list of checks", "Return an array: checks: (nodes, c) => [c.reach(...), ...].");
  const seen = new Set<string>();
  checks.forEach((c, i) => {
    if (typeof c?.run !== "function" || typeof c.name !== "string") throw new DeclarationError(`checks[${i}]`, "is not a check", "Build each check with c.<kind>(...) or c.check(name, category, expectation, run).");
    if (seen.has(c.name)) throw new DeclarationError(`checks[${i}]`, `check "${c.name}" is declared twice`, "Give one of them another name (most check kinds take { name }).");
    seen.add(c.name);
    checkRequirements(`checks[${i}] ("${c.name}").requires`, c.requires);
    const rangeProblem = c.engine && engineRangeProblem(c.engine);
    if (rangeProblem) throw new DeclarationError(`checks[${i}] ("${c.name}").engine`, rangeProblem, 'Write c.engine({ since: "25.0", change: "moby/moby#46603 (v25.0.0): …" }, c.reach(...)).');
  });
  return { topology, nodes, checks };
}

