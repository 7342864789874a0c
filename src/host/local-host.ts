import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import type { ExecOptions, ExecResult, Host } from "./host.js";

/** After SIGTERM (timeout or abort), SIGKILL if the command is still there this much later (execa's default too). */
const FORCE_KILL_AFTER_MS = 5000;

/**
 * This machine, through node:child_process. Commands are argv arrays: no shell,
 * no quoting bugs. Not execa: its ~140 ES modules were a tenth of a small run's
 * process time at start-up (issue 12), for what is one spawn here. Same
 * contract as before: LC_ALL=C, stdin a pipe (closed after `input` when given),
 * output kept whole (no final-newline strip), SIGTERM on timeout or abort then
 * SIGKILL 5 s later, 127 when the command does not exist.
 */
export class LocalHost implements Host {
  readonly kind = "local" as const;
  constructor(readonly name = "local") {}

  async exec(command: string[], options: ExecOptions = {}): Promise<ExecResult> {
    const [file, ...args] = command;
    if (!file) throw new Error("LocalHost.exec: empty command");
    const startedAt = new Date();
    const run = await spawnCollect(file, args, options);
    return {
      where: this.name,
      command,
      exitCode: run.exitCode ?? (run.notFound ? 127 : 1),
      stdout: run.stdout,
      stderr: run.notFound ? `${file}: command not found` : run.stderr,
      durationMs: Date.now() - startedAt.getTime(),
      startedAt: startedAt.toISOString(),
      timedOut: run.timedOut,
    };
  }

  async readFile(path: string): Promise<string | undefined> {
    try {
      return await readFile(path, "utf8");
    } catch {
      return undefined;
    }
  }
}

interface Collected {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  notFound: boolean;
}

function spawnCollect(file: string, args: string[], options: ExecOptions): Promise<Collected> {
  // Aborted already: nothing is started (execa spawned and killed it at once; the result is the same).
  if (options.signal?.aborted) return Promise.resolve({ exitCode: null, stdout: "", stderr: `${file}: not started: ${String(options.signal.reason ?? "aborted")}\n`, timedOut: false, notFound: false });
  return new Promise((resolve) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    let notFound = false;
    let forceKill: NodeJS.Timeout | undefined;
    let timer: NodeJS.Timeout | undefined;
    const child = spawn(file, args, { env: { ...process.env, LC_ALL: "C" }, stdio: ["pipe", "pipe", "pipe"] });
    const terminate = () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      forceKill ??= setTimeout(() => child.kill("SIGKILL"), FORCE_KILL_AFTER_MS);
      forceKill.unref();
    };
    const unlisten = options.signal ? onAbort(options.signal, terminate) : () => undefined;
    if (options.timeoutMs !== undefined && options.timeoutMs > 0) {
      timer = setTimeout(() => {
        timedOut = true;
        terminate();
      }, options.timeoutMs);
    }
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    // A command that exits without reading its input closes the pipe under us (EPIPE): not our failure.
    child.stdin.on("error", () => undefined);
    if (options.input !== undefined) child.stdin.end(options.input);
    child.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "ENOENT") notFound = true;
      else err.push(Buffer.from(`${e.message}\n`));
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      clearTimeout(forceKill);
      unlisten();
      child.stdin.destroy();
      // A spawn failure (ENOENT) closes with the negative errno as its "code".
      resolve({ exitCode: notFound ? null : code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8"), timedOut, notFound });
    });
  });
}

const aborting = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Call `fn` when `signal` aborts (at once if it has), through one listener per
 * signal: a check's signal is shared by every command it runs at once, and a
 * listener each made Node warn of a leak past ten ("MaxListenersExceededWarning").
 */
function onAbort(signal: AbortSignal, fn: () => void): () => void {
  let waiting = aborting.get(signal);
  if (!waiting) {
    const set = new Set<() => void>();
    aborting.set(signal, (waiting = set));
    signal.addEventListener("abort", () => {
      for (const f of set) f();
      set.clear();
    }, { once: true });
  }
  waiting.add(fn);
  return () => waiting.delete(fn);
}
