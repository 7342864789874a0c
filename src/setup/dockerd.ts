import { spawn } from "node:child_process";
import { openSync, closeSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { Engine } from "../engine/engine.js";
import { sleep, withTimeout } from "../util/abort.js";
import { EnvironmentError } from "../util/errors.js";
import { searchPath } from "./which.js";

export const DOCKERD_LOG = "/var/log/netcheck-dockerd.log";

export interface SpawnedDaemon {
  pid: number;
  /** Set once the process has exited (it failed to start). */
  exit: { code: number | null; signal: string | null } | undefined;
}

/**
 * Start dockerd in the background where no init system does it. It is
 * detached (own session) and unref'd, so `netcheck setup` exits while the
 * daemon keeps running. With no containerd socket, Debian's dockerd starts
 * its own containerd as a child (seen here: `containerd --config
 * /var/run/docker/containerd/containerd.toml`), so none is started separately.
 */
export function spawnDockerd(options: { logPath?: string; dockerd?: string } = {}): SpawnedDaemon {
  const logPath = options.logPath ?? DOCKERD_LOG;
  const fd = openSync(logPath, "a");
  try {
    const child = spawn(options.dockerd ?? "dockerd", [], {
      detached: true,
      cwd: "/",
      stdio: ["ignore", fd, fd],
      // dockerd shells out to iptables, modprobe, containerd: they live in sbin directories.
      env: { ...process.env, PATH: searchPath().join(":") },
    });
    const daemon: SpawnedDaemon = { pid: child.pid ?? -1, exit: undefined };
    child.on("exit", (code, signal) => (daemon.exit = { code, signal }));
    child.on("error", (err) => (daemon.exit = { code: null, signal: err.message }));
    child.unref();
    return daemon;
  } finally {
    closeSync(fd);
  }
}

/** Poll the API until it answers; fail early when the daemon we started died, with its log's tail. */
export async function waitForEngine(
  engine: Engine,
  options: { timeoutMs?: number; signal?: AbortSignal; daemon?: SpawnedDaemon; logPath?: string; startedHere?: boolean } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let lastError: unknown;
  for (;;) {
    try {
      await engine.ping(withTimeout(3000, options.signal));
      return;
    } catch (err) {
      lastError = err;
    }
    options.signal?.throwIfAborted();
    const exited = options.daemon?.exit;
    if (exited || Date.now() >= deadline) {
      const logPath = options.logPath ?? DOCKERD_LOG;
      const tail = await logTail(logPath);
      const why = exited ? `dockerd exited (${exited.code ?? exited.signal})` : `it did not answer within ${Math.round((options.timeoutMs ?? 60_000) / 1000)} s`;
      throw new EnvironmentError("NETCHECK_ENGINE_START_FAILED", `${options.startedHere === false ? "A dockerd is running" : "Started dockerd"}, but ${why} at ${engine.endpoint.display}.${tail ? `\nLast lines of ${logPath}:\n${tail}` : ""}`, {
        hint: `Read ${logPath}; common causes: iptables missing or unusable, another dockerd holding /var/lib/docker, no cgroup support. Fix it and rerun \`netcheck setup\`.`,
        cause: lastError,
      });
    }
    await sleep(500, options.signal);
  }
}

export async function logTail(path: string, lines = 15): Promise<string> {
  const text = await readFile(path, "utf8").catch(() => "");
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}
