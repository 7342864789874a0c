import { mkdtemp, mkdir, rm, stat, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { assessDaemonLeftovers, isLiveDockerd, listDockerdPids, removeLeftovers } from "./daemon-leftovers.js";

let dir: string;
let paths: { pidFile: string; socket: string };
let server: Server | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "netcheck-leftovers-"));
  paths = { pidFile: join(dir, "docker.pid"), socket: join(dir, "docker.sock") };
});
afterEach(async () => {
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** A real unix socket file, like the one a killed dockerd leaves. */
async function leaveSocket(): Promise<void> {
  server = createServer();
  await new Promise<void>((r) => server!.listen(paths.socket, r));
}
const exists = (p: string) => stat(p).then(() => true, () => false);

describe("assessDaemonLeftovers", () => {
  it("waits for a dockerd that the pid file names and that is alive", async () => {
    await writeFile(paths.pidFile, "4242");
    await leaveSocket();
    const seen: number[] = [];
    const res = await assessDaemonLeftovers(paths, async (pid) => (seen.push(pid), pid === 4242));
    expect(res).toEqual({ kind: "running", pid: 4242 });
    expect(seen).toEqual([4242]);
    await removeLeftovers(res);
    expect(await exists(paths.pidFile)).toBe(true);
    expect(await exists(paths.socket)).toBe(true);
  });

  it("removes the pid file and socket of a dead dockerd", async () => {
    await writeFile(paths.pidFile, "4242\n");
    await leaveSocket();
    const res = await assessDaemonLeftovers(paths, async () => false);
    expect(res).toEqual({ kind: "stale", remove: [paths.pidFile, paths.socket] });
    await removeLeftovers(res);
    expect(await exists(paths.pidFile)).toBe(false);
    expect(await exists(paths.socket)).toBe(false);
  });

  it("treats a garbage pid file as stale without asking about liveness", async () => {
    await writeFile(paths.pidFile, "not a pid");
    let asked = false;
    const res = await assessDaemonLeftovers(paths, async () => ((asked = true), true));
    expect(asked).toBe(false);
    expect(res).toEqual({ kind: "stale", remove: [paths.pidFile] });
  });

  it("has nothing to remove on a clean machine", async () => {
    expect(await assessDaemonLeftovers(paths, async () => true)).toEqual({ kind: "stale", remove: [] });
  });
});

describe("isLiveDockerd", () => {
  async function fakeProc(pid: number, comm: string, state: string): Promise<string> {
    const root = join(dir, "proc");
    await mkdir(join(root, String(pid)), { recursive: true });
    await writeFile(join(root, String(pid), "comm"), `${comm}\n`);
    await writeFile(join(root, String(pid), "status"), `Name:\t${comm}\nState:\t${state}\n`);
    return root;
  }
  it("accepts a running dockerd only", async () => {
    expect(await isLiveDockerd(10, await fakeProc(10, "dockerd", "S (sleeping)"))).toBe(true);
    expect(await isLiveDockerd(11, await fakeProc(11, "bash", "S (sleeping)"))).toBe(false);
    expect(await isLiveDockerd(12, await fakeProc(12, "dockerd", "Z (zombie)"))).toBe(false);
    expect(await isLiveDockerd(13, join(dir, "proc"))).toBe(false);
  });
  it("is false for this test process, which is not a dockerd", async () => {
    expect(await isLiveDockerd(process.pid)).toBe(false);
  });
});

describe("listDockerdPids", () => {
  it("finds live dockerd processes in a proc tree", async () => {
    const root = join(dir, "proc2");
    for (const [pid, comm, state] of [
      [100, "dockerd", "S (sleeping)"],
      [101, "containerd", "S (sleeping)"],
      [102, "dockerd", "Z (zombie)"],
      [103, "dockerd", "R (running)"],
    ] as const) {
      await mkdir(join(root, String(pid)), { recursive: true });
      await writeFile(join(root, String(pid), "comm"), `${comm}\n`);
      await writeFile(join(root, String(pid), "status"), `State:\t${state}\n`);
    }
    await mkdir(join(root, "self"));
    expect((await listDockerdPids(root)).sort()).toEqual([100, 103]);
  });
});
