import type { Host } from "../host/host.js";
import type { Cleanup } from "../util/cleanup.js";
import type { Ledger } from "./ledger.js";

/**
 * A host-level resource the lab just created (a namespace, a link, a route, a
 * firewall rule): its undo command goes into the run's ledger, so `netcheck
 * clean` can finish a killed run, and into the cleanup stack, for a normal end.
 */
export function own(host: { name: string; shell: Host }, cleanup: Cleanup, ledger: Ledger, what: string, undo: string[]): void {
  ledger.record({ host: host.name, what, undo });
  cleanup.defer(what, (s) => host.shell.exec(undo, { signal: s }));
}

/** A process left in a namespace keeps it alive after `ip netns del`: kill them first. */
export function netnsUndo(ns: string): string[] {
  return ["sh", "-c", `ip netns pids ${ns} 2>/dev/null | xargs -r kill -9; ip netns del ${ns}`];
}
