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
  cleanup.defer(what, async (s) => {
    // Inside a dind host removed as a whole (its guard routes, its links): gone with its namespaces.
    if ((host as { gone?: boolean }).gone === true) return;
    const r = await host.shell.exec(undo, { signal: s });
    // Already gone is done; anything else keeps the ledger, so `netcheck clean` can finish the job.
    if (r.exitCode !== 0 && !ALREADY_GONE.test(r.stderr)) {
      ledger.markUnfinished();
      throw new Error(`${what}: \`${undo.join(" ")}\` exited ${r.exitCode}: ${r.stderr.trim() || "(no output)"}`);
    }
  });
}

/** What undo commands say when the thing is already gone (not a failure). */
export const ALREADY_GONE = /Cannot find|No such|does not exist|not found|Bad rule|No chain/i;

/** A process left in a namespace keeps it alive after `ip netns del`: kill them first. */
export function netnsUndo(ns: string): string[] {
  return ["sh", "-c", `ip netns pids ${ns} 2>/dev/null | xargs -r kill -9; ip netns del ${ns}`];
}
