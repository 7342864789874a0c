import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isAliveState, onThisMachine, startBackground } from "./background.js";
import type { Host } from "./host.js";
import { LocalHost } from "./local-host.js";
import { NetnsHost } from "./netns-host.js";
import { PidNetnsHost } from "./pid-netns-host.js";

describe("isAliveState", () => {
  it("reads the state letter after the (possibly spaced) command name", () => {
    expect(isAliveState("4242 (tcpdump) S 1 4242 4242 0 -1 4194560")).toBe(true);
    expect(isAliveState("4242 (busybox httpd) R 1 4242")).toBe(true);
    expect(isAliveState("4242 (tcpdump) Z 1 4242 4242 0")).toBe(false);
    expect(isAliveState("")).toBe(false);
    expect(isAliveState("7 (weird name) (x) R 1")).toBe(true);
    expect(isAliveState("7 (a) Z) R 1")).toBe(true);
  });
});

describe("onThisMachine", () => {
  const container = { kind: "container", name: "container:x", exec: () => Promise.reject(new Error("no")), readFile: () => Promise.resolve(undefined) } as Host;
  it("is true for this machine and network namespaces on it, false inside a container or over ssh", () => {
    const local = new LocalHost();
    expect(onThisMachine(local)).toBe(true);
    expect(onThisMachine(new NetnsHost(local, "netcheck-ext-x"))).toBe(true);
    expect(onThisMachine(new PidNetnsHost(new NetnsHost(local, "n"), 42, "n42"))).toBe(true);
    expect(onThisMachine(container)).toBe(false);
    expect(onThisMachine(new PidNetnsHost(container, 42, "a's namespace (h1's tools)"))).toBe(false);
    expect(onThisMachine({ ...container, kind: "ssh" } as Host)).toBe(false);
  });
});

describe("startBackground on this machine", () => {
  it("reads the log and the state from here, and stop() ends the process", async () => {
    const dir = mkdtempSync(join(tmpdir(), "netcheck-bg-"));
    try {
      const proc = await startBackground(new LocalHost(), ["sh", "-c", "echo started; exec sleep 30"], { logFile: join(dir, "log") });
      for (let i = 0; i < 100 && !(await proc.log()).includes("started"); i++) await new Promise((r) => setTimeout(r, 20));
      expect(await proc.log()).toBe("started\n");
      expect(await proc.running()).toBe(true);
      expect(await proc.stop({ signal: "TERM", graceMs: 5000 })).toBe("exited");
      expect(await proc.running()).toBe(false);
      // Idempotent, and a second stop of a gone process does not throw.
      expect(await proc.stop()).toBe("exited");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("startBackground on a host elsewhere (the waits run there, one command each)", () => {
  // A host that is not this machine as far as startBackground can tell, running its commands here.
  const far = () => {
    const local = new LocalHost();
    const calls: string[][] = [];
    const host: Host = { kind: "ssh", name: "far", exec: (c, o) => (calls.push(c), local.exec(c, o)), readFile: () => Promise.resolve(undefined) };
    return { host, calls };
  };
  const withDir = async (fn: (dir: string) => Promise<void>) => {
    const dir = mkdtempSync(join(tmpdir(), "netcheck-bg-far-"));
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it("waits for a line in the log in one command, and stop() returns its last words in one more", () =>
    withDir(async (dir) => {
      const { host, calls } = far();
      const proc = await startBackground(host, ["sh", "-c", "sleep 0.5; echo listening on x; exec sleep 30"], { logFile: join(dir, "log") });
      const before = calls.length;
      const w = await proc.waitForLog("listening on", 10_000);
      expect(w).toEqual({ log: "listening on x\n", running: true });
      expect(calls.length - before).toBe(1);
      expect(await proc.stop({ signal: "TERM", graceMs: 5000 })).toBe("exited");
      expect(calls.length - before).toBe(2);
      expect(await proc.log()).toBe("listening on x\n");
      expect(calls.length - before).toBe(2);
      expect(await proc.running()).toBe(false);
    }));

  it("says a process that exited without the line is gone, with what it printed", () =>
    withDir(async (dir) => {
      const { host } = far();
      const proc = await startBackground(host, ["sh", "-c", "echo 'tcpdump: eth9: No such device exists'; exit 1"], { logFile: join(dir, "log") });
      const t0 = Date.now();
      const w = await proc.waitForLog("listening on", 20_000);
      expect(w).toEqual({ log: "tcpdump: eth9: No such device exists\n", running: false });
      expect(Date.now() - t0).toBeLessThan(15_000);
    }));

  it("gives up at the deadline with the process still running, and kills one that ignores the signal", () =>
    withDir(async (dir) => {
      const { host, calls } = far();
      const proc = await startBackground(host, ["sh", "-c", "trap '' TERM; echo up; while :; do sleep 1; done"], { logFile: join(dir, "log") });
      const before = calls.length;
      expect(await proc.waitForLog("never printed", 1000)).toEqual({ log: "up\n", running: true });
      expect(await proc.stop({ signal: "TERM", graceMs: 1000 })).toBe("killed");
      expect(calls.length - before).toBe(2);
      expect(await proc.running()).toBe(false);
    }));
});
