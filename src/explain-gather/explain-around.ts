import type { TargetArrival } from "../assert/reach.js";
import { explainFlow } from "../explain/explain.js";
import type { Explanation, ExplainFacts, PlaceFacts } from "../explain/facts.js";
import type { Flow } from "../explain/flow.js";
import type { Host } from "../host/host.js";
import type { ReachOutcome } from "../probes/outcome.js";
import { daemonSettings, flowConntrack, hostRouting, namespaceRouting } from "./path-facts.js";
import { pairSnapshots, snapshotCounters } from "./snapshot.js";

const NOT_FORWARDED: Awaited<ReturnType<typeof hostRouting>> = { outIsBridge: false, facts: {} };

export interface ExplainPlace {
  host: Host;
  where: string;
}

export interface ExplainAroundOptions {
  /** The machine whose kernel forwards between the namespaces (the Docker host). */
  host: ExplainPlace;
  source?: ExplainPlace;
  target?: ExplainPlace;
  flow: Omit<Flow, "inIface" | "outIface">;
  /** Runs the probe once; the counters are read just before and just after it. */
  probe: () => Promise<{ outcome: ReachOutcome; arrival?: TargetArrival }>;
  /** The failed check wanted the flow blocked (an isolation check): explain what let it through. */
  expect?: "reach" | "block";
  signal?: AbortSignal;
}

/**
 * Read every counter in the host and in the two namespaces, run the probe,
 * read them again, then the routes, sysctls and the flow's conntrack entries;
 * `explainFlow` decides. Only reads: nothing is changed anywhere, and the only
 * packets sent are the probe's own.
 */
export async function explainAround(o: ExplainAroundOptions): Promise<{ explanation: Explanation; facts: ExplainFacts }> {
  const signal = o.signal;
  const places = [
    { ...o.host, role: "host" as const },
    ...(o.source ? [{ ...o.source, role: "source" as const }] : []),
    ...(o.target ? [{ ...o.target, role: "target" as const }] : []),
  ];
  const before = await Promise.all(places.map((p) => snapshotCounters(p.host, signal)));
  const probed = await o.probe();
  const after = await Promise.all(places.map((p) => snapshotCounters(p.host, signal)));
  // A loopback destination (Docker's embedded DNS at 127.0.0.11) never leaves the source's namespace.
  const local = o.flow.dst.startsWith("127.");
  const [route, conntrack, srcRouting, daemon] = await Promise.all([
    local ? NOT_FORWARDED : hostRouting(o.host.host, o.flow.src, o.flow.dst, signal),
    flowConntrack(o.host.host, o.flow.src, o.flow.dst, signal),
    o.source ? namespaceRouting(o.source.host, o.flow.dst, signal) : undefined,
    daemonSettings(o.host.host, signal),
  ]);
  const flow: Flow = { ...o.flow, ...(route.inIface ? { inIface: route.inIface } : {}), ...(route.outIface ? { outIface: route.outIface } : {}) };
  const placeFacts: PlaceFacts[] = places.map((p, i) => ({
    where: p.where,
    role: p.role,
    rulesets: pairSnapshots(before[i]!, after[i]!),
    ...(p.role === "host" ? route.facts : p.role === "source" ? (srcRouting ?? {}) : {}),
  }));
  const facts: ExplainFacts = {
    flow,
    outcome: probed.outcome,
    ...(o.expect ? { expect: o.expect } : {}),
    ...(daemon ? { daemon } : {}),
    places: placeFacts,
    ...(conntrack ? { conntrack } : {}),
    ...(probed.arrival ? { arrival: probed.arrival } : {}),
    // Docker masquerades what leaves the host through a non-bridge interface.
    leavesHost: route.outIface !== undefined && !route.outIsBridge && route.outIface !== "lo" && route.facts.routeGet?.kind === "via",
    gathered: after.flatMap((s) => s.log),
  };
  return { explanation: explainFlow(facts), facts };
}
