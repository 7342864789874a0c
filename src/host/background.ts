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
  /** Its output so far. */
  log(): Promise<string>;
  running(): Promise<boolean>;
}

export async function startBackground(host: Host, command: string[], opts: { logFile: string; abort?: AbortSignal }): Promise<BackgroundProcess> {
  const script = `${commandLine(command)} > ${commandLine([opts.logFile])} 2>&1 & echo $!`;
  const res = await host.exec(["sh", "-c", script], { signal: opts.abort, timeoutMs: 10_000 });
  const pid = Number(res.stdout.trim());
  if (res.exitCode !== 0 || !Number.isInteger(pid) || pid <= 0) {
    throw new Error(`could not start \`${commandLine(command)}\` on ${host.name}: ${res.stderr.trim() || res.stdout.trim() || `exit ${res.exitCode}`}`);
  }
  let stopping: Promise<"exited" | "killed"> | undefined;
  const here = onThisMachine(host);
  const read = async (path: string) => (here ? ((await host.readFile(path)) ?? "") : (await host.exec(["cat", path], { timeoutMs: 5000 })).stdout);
  const kill = async (sig: "INT" | "TERM" | "KILL") => {
    if (!here) return void (await host.exec(["kill", `-${sig}`, String(pid)], { timeoutMs: 5000 }));
    try {
      process.kill(pid, `SIG${sig}`);
    } catch {
      // Gone already (ESRCH), as `kill` would have said on its stderr.
    }
  };
  // Not `kill -0`: it succeeds on a zombie, and nothing reaps orphans in a container whose PID 1 is
  // `sleep`. The state letter after the command name in /proc/<pid>/stat tells (Z = exited).
  const running = async () => isAliveState(await read(`/proc/${pid}/stat`));
  return {
    pid,
    logFile: opts.logFile,
    running,
    log: () => read(opts.logFile),
    stop({ signal = "TERM", graceMs = 3000 } = {}) {
      stopping ??= (async () => {
        await kill(signal);
        for (let waited = 0; waited < graceMs; waited += 50) {
          if (!(await running())) return "exited" as const;
          await new Promise((r) => setTimeout(r, 50));
        }
        await kill("KILL");
        return "killed" as const;
      })();
      return stopping;
    },
  };
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
