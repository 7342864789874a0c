import { makeStyle, STATUS_SYMBOL, statusStyle } from "../report/term-style.js";
import type { RunEvents } from "../scenario/runner.js";
import type { CheckResult, CheckStatus } from "../report/model.js";


export interface ProgressOptions {
  out: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  color: boolean;
  verbose: boolean;
}

/**
 * Live progress. On a terminal: a status line rewritten in place plus one line
 * per finished check; in CI (not a TTY): plain lines only, no control codes.
 */
export function progressEvents(opts: ProgressOptions): RunEvents & { done(): void } {
  const tty = Boolean(opts.out.isTTY);
  const running = new Map<string, { total: number; done: number; skipReason?: string }>();
  // The same symbols and colours as the summary and the report (src/report/term-style.ts).
  const st = makeStyle(opts.color);
  const mark = (status: CheckStatus) => statusStyle(st, status)(STATUS_SYMBOL[status]);
  const clearStatus = () => tty && opts.out.write("\r\x1b[2K");
  const status = () => {
    if (!tty || running.size === 0) return;
    const parts = [...running].map(([id, p]) => `${id} ${p.done}/${p.total}`);
    const line = `… running ${parts.join(", ")}`;
    opts.out.write(st.dim(line.slice(0, (opts.out.columns ?? 100) - 1)));
  };
  const write = (line: string) => {
    clearStatus();
    opts.out.write(`${line}\n`);
    status();
  };
  return {
    onLabReady(info) {
      write(`netcheck run ${info.runId}: lab up (external host ${info.external}, lab DNS ${info.dns}; ${info.concurrency} scenario${info.concurrency === 1 ? "" : "s"} at once); reports in ${info.reportDir}`);
    },
    onScenarioStart(s, checks) {
      running.set(s.id, { total: checks, done: 0 });
      write(`▶ ${s.id} — ${s.summary}`);
    },
    onCheck(scenarioId, check: CheckResult) {
      const p = running.get(scenarioId);
      if (p) p.done++;
      // Every check of a scenario whose requirements are unmet carries the same reason: say it once.
      if (check.status === "skip" && p?.skipReason === check.reason) return;
      if (p && check.status === "skip" && p.done === 1) p.skipReason = check.reason;
      const reason = check.status === "pass" && !opts.verbose ? "" : check.reason ? ` — ${check.reason}` : "";
      write(`  ${mark(check.status)} ${check.id} ${st.dim(`(${check.durationMs} ms)`)}${reason}`);
    },
    onScenarioEnd(r) {
      running.delete(r.id);
      if (r.reason && r.status !== "pass" && r.status !== "skip") write(`  ${mark(r.status)} ${r.id}: ${r.reason}`);
    },
    onKept(id, lab) {
      const nodes = [...lab.nodes.values()];
      write(`  kept the lab of ${id} for inspection (remove it with \`netcheck clean\`):`);
      for (const n of nodes) write(`    docker exec -it ${n.containerName} sh        # ${n.name}`);
      // nsenter works even when a node has no shell, and with the host's own tools (tcpdump, nft).
      for (const n of nodes) write(`    nsenter -t $(docker inspect -f '{{.State.Pid}}' ${n.containerName}) -n ip addr   # ${n.name}'s network namespace`);
      write(`    ip netns exec ${lab.run.external.namespace} sh   # the external host`);
    },
    onCleanupProblem(what, error) {
      write(`  ! cleanup of ${what} failed: ${(error as Error)?.message ?? String(error)} — run \`netcheck clean\``);
    },
    done() {
      clearStatus();
    },
  };
}
