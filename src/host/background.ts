import { sleep } from "../util/abort.js";
import { commandLine, type Host } from "./host.js";

/**
 * A long-running process (a server, a capture) started on any Host through
 * its shell: `sh -c 'cmd >log 2>&1 & echo $!'`. Works the same in a
 * container, on the local machine and in a namespace. `stop()` signals it and
 * waits for it to exit; it is idempotent. Always wrap `command` in `timeout`
 * when it could outlive a killed run (cilium's rule for remote tcpdump).
 */
export interface BackgroundProcess {
  pid: number;
  /** Where its output goes, on the host it runs on. */
  logFile: string;
  /** Signal (default TERM), wait up to `graceMs` for exit, then KILL. Says which it took; idempotent. */
  stop(opts?: { signal?: "INT" | "TERM"; graceMs?: number }): Promise<"exited" | "killed">;
  /** Its output so far (after stop(), its last words). */
  log(): Promise<string>;
  running(): Promise<boolean>;
  /**
   * Wait until its log contains `text`, it exits, or `timeoutMs` passes; say what the log holds and whether
   * it still runs. On a host elsewhere the waiting runs there, in one command.
   */
  waitForLog(text: string, timeoutMs: number): Promise<{ log: string; running: boolean }>;
}

export async function startBackground(host: Host, command: string[], opts: { logFile: string; abort?: AbortSignal }): Promise<BackgroundProcess> {
  const script = `${commandLine(command)} > ${commandLine([opts.logFile])} 2>&1 & echo $!`;
  const here = onThisMachine(host);
  const res = await host.exec(["sh", "-c", script], { signal: opts.abort, timeoutMs: here ? 10_000 : REMOTE_SLACK_MS });
  const pid = Number(res.stdout.trim());
  if (res.exitCode !== 0 || !Number.isInteger(pid) || pid <= 0) {
    throw new Error(`could not start \`${commandLine(command)}\` on ${host.name}: ${res.stderr.trim() || res.stdout.trim() || `exit ${res.exitCode}`}`);
  }
  return here ? fromHere(host, pid, opts.logFile) : onItsHost(host, pid, opts.logFile);
}

/** Read, signalled and polled from this process: no spawn per look (issue 12). */
function fromHere(host: Host, pid: number, logFile: string): BackgroundProcess {
  const read = async (path: string) => (await host.readFile(path)) ?? "";
  const kill = (sig: "INT" | "TERM" | "KILL") => {
    try {
      process.kill(pid, `SIG${sig}`);
    } catch {
      // Gone already (ESRCH), as `kill` would have said on its stderr.
    }
  };
  // Not `kill -0`: it succeeds on a zombie, and nothing reaps orphans in a container whose PID 1 is
  // `sleep`. The state letter after the command name in /proc/<pid>/stat tells (Z = exited).
  const running = async () => isAliveState(await read(`/proc/${pid}/stat`));
  let stopping: Promise<"exited" | "killed"> | undefined;
  return {
    pid,
    logFile,
    running,
    log: () => read(logFile),
    async waitForLog(text, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const now = await read(logFile);
        if (now.includes(text)) return { log: now, running: true };
        // Read the log again after it exits: it may have written its last words in between.
        if (!(await running())) return { log: await read(logFile), running: false };
        if (Date.now() > deadline) return { log: await read(logFile), running: true };
        await sleep(30);
      }
    },
    stop({ signal = "TERM", graceMs = 3000 } = {}) {
      stopping ??= (async () => {
        kill(signal);
        const deadline = Date.now() + graceMs;
        while (Date.now() < deadline) {
          if (!(await running())) return "exited" as const;
          await sleep(50);
        }
        kill("KILL");
        return "killed" as const;
      })();
      return stopping;
    },
  };
}

/**
 * On a host elsewhere (a VM over ssh, a container through `docker exec`) one
 * command costs a round trip: 0.5–4 s over ssh to a TCG VM, 2.5–10 s for a
 * `docker exec` there (measured with four captures at once). Polling from here
 * spent a check's whole deadline on round trips, so the waits run on the host,
 * each in one command, bounded by the host's own clock.
 */
function onItsHost(host: Host, pid: number, logFile: string): BackgroundProcess {
  const log = commandLine([logFile]);
  // The state letter after the last ") " of /proc/<pid>/stat; empty once it is gone (see isAliveState).
  const alive = `case "$(sed 's/.*) //' /proc/${pid}/stat 2>/dev/null)" in ""|Z*|X*) false;; *) true;; esac`;
  const waitWhile = (cond: string, ms: number) =>
    `end=$(( $(date +%s) + ${Math.ceil(ms / 1000) + 1} )); while ${cond} && [ "$(date +%s)" -lt "$end" ]; do sleep 0.1 2>/dev/null || sleep 1; done`;
  const script = async (body: string, ms: number) => host.exec(["sh", "-c", body], { timeoutMs: ms + REMOTE_SLACK_MS });
  let lastWords: string | undefined;
  let stopping: Promise<"exited" | "killed"> | undefined;
  const running = async () => {
    const r = await host.exec(["cat", `/proc/${pid}/stat`], { timeoutMs: REMOTE_SLACK_MS });
    // A read that did not finish says nothing: only a finished one may declare it gone.
    return r.timedOut || isAliveState(r.stdout);
  };
  return {
    pid,
    logFile,
    running,
    log: async () => lastWords ?? (await host.exec(["cat", logFile], { timeoutMs: REMOTE_SLACK_MS })).stdout,
    async waitForLog(text, timeoutMs) {
      const r = await script(`${waitWhile(`! grep -qF -- ${commandLine([text])} ${log} 2>/dev/null && ${alive}`, timeoutMs)}; if ${alive}; then echo ${MARK}running; else echo ${MARK}gone; fi; cat ${log}`, timeoutMs);
      const [state, out] = splitMark(r.stdout);
      return { log: out, running: state !== "gone" };
    },
    stop({ signal = "TERM", graceMs = 3000 } = {}) {
      stopping ??= (async () => {
        const r = await script(`kill -${signal} ${pid} 2>/dev/null; ${waitWhile(alive, graceMs)}; if ${alive}; then kill -KILL ${pid}; echo ${MARK}killed; else echo ${MARK}exited; fi; cat ${log}`, graceMs);
        const [how, out] = splitMark(r.stdout);
        if (how === "exited" || how === "killed") {
          lastWords = out;
          return how;
        }
        // The command itself did not finish: make sure it ends, and say it was not seen to exit.
        await host.exec(["kill", "-KILL", String(pid)], { timeoutMs: REMOTE_SLACK_MS }).catch(() => undefined);
        return "killed" as const;
      })();
      return stopping;
    },
  };
}

/** A round trip's own allowance on top of a wait that runs on the host. */
const REMOTE_SLACK_MS = 30_000;
const MARK = "@@netcheck-bg@@";

function splitMark(stdout: string): [string | undefined, string] {
  const m = new RegExp(`^${MARK}(\\w+)\n`, "m").exec(stdout);
  return m ? [m[1], stdout.slice(m.index + m[0].length)] : [undefined, stdout];
}

/**
 * True when `host` is this machine or a network namespace on it (`ip netns
 * exec`, `nsenter -n`): the same PID namespace and the same files, so a
 * background process's /proc entry and log are read, and it is signalled,
 * from here. A spawned `cat` or `kill` per look was most of netcheck's own CPU
 * time (a capture start polls its log every 30 ms; each spawn forks this
 * process): issue 12.
 */
export function onThisMachine(host: Host): boolean {
  let h: Host | undefined = host;
  for (let depth = 0; h && h.kind === "netns" && depth < 8; depth++) h = (h as { parent?: Host }).parent;
  return h?.kind === "local";
}

/**
 * Whether /proc/<pid>/stat text shows a live process. The command name may hold
 * spaces and parentheses, so the state is the letter after the LAST ")": a
 * zombie (Z), a dead process (X) or an empty read (gone) is not alive.
 */
export function isAliveState(procStat: string): boolean {
  const state = /^\d+ \(.*\) (\S)/s.exec(procStat.trim())?.[1];
  return state !== undefined && state !== "Z" && state !== "X";
}
