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
  /** Signal (default TERM), wait up to `graceMs` for exit, then KILL. */
  stop(opts?: { signal?: "INT" | "TERM"; graceMs?: number }): Promise<void>;
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
  let stopped = false;
  const running = async () => (await host.exec(["kill", "-0", String(pid)], { timeoutMs: 5000 })).exitCode === 0;
  return {
    pid,
    logFile: opts.logFile,
    running,
    async log() {
      return (await host.exec(["cat", opts.logFile], { timeoutMs: 5000 })).stdout;
    },
    async stop({ signal = "TERM", graceMs = 3000 } = {}) {
      if (stopped) return;
      stopped = true;
      await host.exec(["kill", `-${signal}`, String(pid)], { timeoutMs: 5000 });
      for (let waited = 0; waited < graceMs; waited += 50) {
        if (!(await running())) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      await host.exec(["kill", "-KILL", String(pid)], { timeoutMs: 5000 });
    },
  };
}
