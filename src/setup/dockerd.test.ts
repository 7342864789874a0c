import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Engine } from "../engine/engine.js";
import { spawnDockerd, waitForEngine } from "./dockerd.js";

// The real start path (spawn detached, log to a file, poll the API, report the
// log's tail) run against stand-in daemons: the machine's dockerd is never touched.
let dir: string;
const started: number[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "netcheck-dockerd-"));
});
afterEach(async () => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  await rm(dir, { recursive: true, force: true });
});

async function fakeDockerd(script: string): Promise<string> {
  const path = join(dir, "dockerd");
  await writeFile(path, `#!/bin/sh\n${script}\n`);
  await chmod(path, 0o755);
  return path;
}
const nowhere = () => new Engine({ display: `unix://${dir}/docker.sock`, socketPath: join(dir, "docker.sock") });

describe("spawnDockerd + waitForEngine", () => {
  it("fails fast with the log's last lines when the daemon dies", async () => {
    const logPath = join(dir, "dockerd.log");
    const daemon = spawnDockerd({ logPath, dockerd: await fakeDockerd('echo "failed to start daemon: iptables not found" >&2; exit 1') });
    started.push(daemon.pid);
    const t0 = Date.now();
    const err = await waitForEngine(nowhere(), { daemon, logPath, timeoutMs: 20_000 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "NETCHECK_ENGINE_START_FAILED" });
    expect((err as Error).message).toMatch(/dockerd exited \(1\)/);
    expect((err as Error).message).toContain("failed to start daemon: iptables not found");
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it("times out on a daemon that never answers, and leaves it running detached", async () => {
    const logPath = join(dir, "dockerd.log");
    const daemon = spawnDockerd({ logPath, dockerd: await fakeDockerd("echo starting; exec sleep 30") });
    started.push(daemon.pid);
    const err = await waitForEngine(nowhere(), { daemon, logPath, timeoutMs: 1500 }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/did not answer within 2 s/);
    expect((err as Error).message).toContain("starting");
    expect(daemon.exit).toBeUndefined();
    expect(() => process.kill(daemon.pid, 0)).not.toThrow();
  });
});
