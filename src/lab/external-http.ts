import { startBackground } from "../host/background.js";
import type { RunLab } from "./run-lab.js";
import type { Cleanup } from "../util/cleanup.js";
import { LabBringUpError } from "./errors.js";

export interface ExternalHttpServer {
  address: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * A busybox httpd in the external host's namespace serving `node=external`:
 * the far end of egress (SNAT) flows. Bounded by `timeout`, stopped at cleanup.
 * The external host is shared by concurrent scenarios, so the port is random
 * and a bind failure tries another.
 */
export async function startExternalHttp(run: RunLab, cleanup: Cleanup, opts: { port?: number; maxSeconds?: number; signal?: AbortSignal } = {}): Promise<ExternalHttpServer> {
  const sh = run.external.shell;
  for (let attempt = 0; attempt < (opts.port ? 1 : 5); attempt++) {
    const port = opts.port ?? 30000 + Math.floor(Math.random() * 10000);
    const dir = `/tmp/netcheck-${run.runId}-ext-www-${port}`;
    await sh.exec(["sh", "-c", `mkdir -p ${dir} && echo node=external > ${dir}/index.html`], { signal: opts.signal, timeoutMs: 5000 });
    const proc = await startBackground(sh, ["timeout", String(opts.maxSeconds ?? 300), "busybox", "httpd", "-f", "-p", String(port), "-h", dir], { logFile: `${dir}.log`, abort: opts.signal });
    let stopped: Promise<void> | undefined;
    const stop = () =>
      (stopped ??= (async () => {
        await sh.exec(["kill", "-KILL", String(proc.pid)], { timeoutMs: 5000 });
        await sh.exec(["rm", "-rf", dir, `${dir}.log`], { timeoutMs: 5000 });
      })());
    cleanup.defer(`external httpd :${port}`, () => stop());
    const script = `i=0; while [ $i -lt 100 ]; do busybox nc -w 1 127.0.0.1 ${port} -e true 2>/dev/null && exit 0; [ -d /proc/${proc.pid} ] && grep -q '^State:.*[ZX]' /proc/${proc.pid}/status && exit 2; busybox usleep 30000; i=$((i+1)); done; exit 1`;
    const ready = await sh.exec(["sh", "-c", script], { signal: opts.signal, timeoutMs: 10_000 });
    if (ready.exitCode === 0) return { address: run.external.address, port, stop };
    await stop();
    if (ready.exitCode !== 2) break;
  }
  throw new LabBringUpError(`the external host's HTTP server${opts.port ? ` on port ${opts.port}` : ""} in ${run.external.namespace}`, new Error("it did not start listening"));
}

const listeners = new WeakMap<RunLab, Map<number, Promise<ExternalHttpServer>>>();

/**
 * Make the external host listen on `port` for the rest of the run (shared by
 * every scenario), so a probe toward it that gets through is *delivered* and a
 * refusal there means the path is open — never "nothing listens, so blocked".
 */
export function ensureExternalListener(run: RunLab, port: number, signal?: AbortSignal): Promise<ExternalHttpServer> {
  let byPort = listeners.get(run);
  if (!byPort) listeners.set(run, (byPort = new Map()));
  let server = byPort.get(port);
  if (!server) {
    server = startExternalHttp(run, run.cleanup, { port, maxSeconds: 24 * 3600, signal });
    byPort.set(port, server);
    server.catch(() => byPort.delete(port));
  }
  return server;
}
