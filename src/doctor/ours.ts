import { GUARD_ROUTE_METRIC } from "../lab/guards.js";
import { isProcessAlive, readLedgers } from "../lab/ledger.js";
import { claimedSubnets } from "../lab/subnet-claims.js";
import { LABEL_RUN, NAME_PREFIX } from "../util/labels.js";
import type { EngineNetwork } from "./facts.js";
import type { IptablesRule } from "./parse/iptables-save.js";
import type { IpRoute } from "./parse/ip-json.js";

/**
 * What netcheck's own labs put on a host, so doctor never reports a lab as a
 * fault of the host: guard routes (`unreachable <subnet> metric 4242`),
 * DOCKER-USER rules commented `netcheck:<run>`, `netcheck-*` links and
 * namespaces, Docker networks labelled io.netcheck.run.
 *
 * Whether the run that made them is still alive is known only on the machine
 * that ran it (its ledgers and subnet claims); elsewhere (ssh, a container
 * target) they are recognised by their marks alone and never called stale.
 */
export interface LabOwnership {
  /** Run ids with a ledger whose process is alive; undefined: not knowable on this host. */
  liveRuns?: string[];
  /** Every run id with a ledger here, alive or not (a killed or `--keep` run keeps its ledger). */
  knownRuns: string[];
  /** subnet → run id, from the machine-wide claims (local host only). */
  claims: Map<string, string>;
}

export function readOwnership(local: boolean): LabOwnership {
  if (!local) return { claims: new Map(), knownRuns: [] };
  const ledgers = readLedgers();
  const liveRuns = ledgers.filter((l) => isProcessAlive(l.header.pid)).map((l) => l.header.runId);
  const claims = new Map(claimedSubnets().map((c) => [c.subnet, c.runId]));
  // A ledger names the guard routes its run added, also after the claim is released.
  for (const l of ledgers) {
    for (const e of l.entries) {
      const subnet = /^route unreachable (\S+)/.exec(e.what)?.[1];
      if (subnet && !claims.has(subnet)) claims.set(subnet, l.header.runId);
    }
  }
  return { liveRuns, claims, knownRuns: ledgers.map((l) => l.header.runId) };
}

export function isGuardRoute(r: IpRoute): boolean {
  return r.type === "unreachable" && String(r.metric ?? "") === GUARD_ROUTE_METRIC;
}

export function isLabName(name: string): boolean {
  return name.startsWith(NAME_PREFIX);
}

export function isLabRule(rule: IptablesRule): boolean {
  return /^netcheck:/.test(rule.comment ?? "");
}

export function labRuleRun(rule: IptablesRule): string | undefined {
  return /^netcheck:(\S+)/.exec(rule.comment ?? "")?.[1];
}

export function isLabNetwork(net: EngineNetwork): boolean {
  return Boolean(net.Labels?.[LABEL_RUN]);
}

/** Whether a lab object of run `runId` is known to be stale (its run is not alive); false where that cannot be known. */
export function isStale(own: LabOwnership, runId: string | undefined): boolean {
  if (!own.liveRuns) return false;
  return runId === undefined || !own.liveRuns.includes(runId);
}

/** The run a link or namespace name belongs to, among the runs with a ledger here (names embed the run id). */
export function runOfName(own: LabOwnership, name: string): string | undefined {
  return own.knownRuns.find((id) => name.includes(id));
}

/** The VM lab's libvirt bridges are long-lived on purpose (`netcheck vm down` removes them). */
export function isVmLabName(name: string): boolean {
  return name.startsWith(`${NAME_PREFIX}vm-`);
}
