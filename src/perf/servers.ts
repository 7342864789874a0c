/**
 * Servers a perf check needs on its target: an iperf3 server, or a TCP listener
 * for connect-time measurement. They run for one check only (started before the
 * client, stopped in `finally`), always under `timeout`, so a killed run cannot
 * leave one behind; the external namespace is also emptied by the lab's teardown.
 */
import { startBackground, type BackgroundProcess } from "../host/background.js";
import type { Host } from "../host/host.js";
import { iperf3Server } from "../probes/iperf3.js";
import { sleep } from "../util/abort.js";
import { newToken } from "../util/ids.js";

export interface PerfServer {
  kind: "iperf3" | "listener";
  port: number;
  /** Where it runs, for evidence. */
  where: string;
  log(): Promise<string>;
  /** Idempotent; also removes the log file. */
  stop(): Promise<void>;
}

export interface StartServerOptions {
  /** Upper bound on the server's life, seconds (it is stopped long before, normally). */
  lifetimeS: number;
  signal?: AbortSignal;
}

/**
 * Host-network containers, the host and the external namespace share port space with
 * whatever else runs there (another scenario under --concurrency): a random high port,
 * and another one when it is taken.
 */
function randomPort(): number {
  return 20_000 + Math.floor(Math.random() * 20_000);
}

const IN_USE = /address already in use|unable to start listener/i;

export async function startIperf3Server(shell: Host, opts: StartServerOptions): Promise<PerfServer> {
  return startWithRetry(shell, "iperf3", opts, async (port, logFile) => {
    const spec = iperf3Server({ port, maxLifetimeS: opts.lifetimeS });
    const proc = await startBackground(shell, spec.command, { logFile, abort: opts.signal });
    return { proc, ready: () => readyByLog(proc, spec.ready, opts.signal) };
  });
}

/** A busybox nc that accepts connections forever and closes each at once (`-e true`). */
export async function startConnectListener(shell: Host, opts: StartServerOptions): Promise<PerfServer> {
  return startWithRetry(shell, "listener", opts, async (port, logFile) => {
    const command = ["timeout", String(opts.lifetimeS), "busybox", "nc", "-ll", "-p", String(port), "-e", "true"];
    const proc = await startBackground(shell, command, { logFile, abort: opts.signal });
    return { proc, ready: () => readyByConnect(shell, proc, port, opts.signal) };
  });
}

type Starter = (port: number, logFile: string) => Promise<{ proc: BackgroundProcess; ready: () => Promise<string | undefined> }>;

async function startWithRetry(shell: Host, kind: PerfServer["kind"], opts: StartServerOptions, start: Starter): Promise<PerfServer> {
  let lastError = "";
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = randomPort();
    // /tmp of a container, or of the host for the host and the external namespace (same filesystem).
    const logFile = `/tmp/${newToken("netcheck")}-${kind}-${port}.log`;
    const { proc, ready } = await start(port, logFile);
    const failure = await ready().catch((err: unknown) => String(err));
    const server = wrap(shell, kind, port, proc);
    if (failure === undefined) return server;
    await server.stop();
    lastError = failure;
    if (!IN_USE.test(failure)) break;
  }
  throw new Error(`could not start the ${kind} server on ${shell.name}: ${lastError}`);
}

function wrap(shell: Host, kind: PerfServer["kind"], port: number, proc: BackgroundProcess): PerfServer {
  let stopped = false;
  return {
    kind,
    port,
    where: shell.name,
    log: () => proc.log(),
    async stop() {
      if (stopped) return;
      stopped = true;
      await proc.stop({ graceMs: 2000 }).catch(() => undefined);
      await shell.exec(["rm", "-f", proc.logFile], { timeoutMs: 5000 }).catch(() => undefined);
    },
  };
}

/** undefined once the log shows `ready`; the log text when the process died first. */
async function readyByLog(proc: BackgroundProcess, ready: RegExp, signal?: AbortSignal): Promise<string | undefined> {
  for (let waited = 0; waited < 10_000; waited += 100) {
    const log = await proc.log();
    if (ready.test(log)) return undefined;
    if (!(await proc.running())) return log.trim() || "exited without output";
    await sleep(100, signal);
  }
  return `not ready after 10 s: ${(await proc.log()).trim()}`;
}

async function readyByConnect(shell: Host, proc: BackgroundProcess, port: number, signal?: AbortSignal): Promise<string | undefined> {
  for (let waited = 0; waited < 5000; waited += 100) {
    const res = await shell.exec(["busybox", "nc", "-w", "1", "127.0.0.1", String(port), "-e", "true"], { timeoutMs: 3000, signal });
    if (res.exitCode === 0) return undefined;
    if (!(await proc.running())) return (await proc.log()).trim() || "exited without output";
    await sleep(100, signal);
  }
  return `nothing listening on ${port} after 5 s`;
}
