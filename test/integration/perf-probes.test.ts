/**
 * The perf probes against the real tools, without Docker: a network namespace of our
 * own (netcheck-perftest-<id>), traffic only on its 127.0.0.1. A PATH of busybox
 * symlinks stands in for the probe image (sh = busybox ash, nc, true, ping), so the
 * commands run exactly as they would in a container.
 */
import { mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExecResult, Host } from "../../src/host/host.js";
import { LocalHost } from "../../src/host/local-host.js";
import { iperf3Client, iperf3Server, type ThroughputResult } from "../../src/probes/iperf3.js";
import { pingProbe } from "../../src/probes/ping.js";
import type { Probe } from "../../src/probes/probe.js";
import { tcpConnectProbe } from "../../src/probes/tcp-connect.js";
import { evaluateThreshold, collectRepeats, perfMetrics } from "../../src/assert/perf.js";
import { sleep } from "../../src/util/abort.js";
import { newRunId } from "../../src/util/ids.js";

const NS = `netcheck-perftest-${newRunId()}`;
const IPERF_PORT = 15201;
const NC_PORT = 15558;
const local = new LocalHost();
const stop = new AbortController();
const background: Promise<ExecResult>[] = [];
let bbDir = "";

/** A Host that runs argv in our namespace with the busybox PATH, like the probe image. */
const ns: Host = {
  name: `netns:${NS}`,
  kind: "netns",
  exec: async (command, options) => {
    const res = await local.exec(["ip", "netns", "exec", NS, "env", `PATH=${bbDir}:/usr/bin:/bin`, ...command], options);
    return { ...res, where: `netns:${NS}`, command };
  },
  readFile: (path) => local.readFile(path),
};

const run = async <T>(probe: Probe<T>): Promise<T> => probe.parse(await ns.exec(probe.command, { timeoutMs: probe.timeoutMs }));

beforeAll(async () => {
  bbDir = await mkdtemp(join(tmpdir(), "netcheck-bb-"));
  for (const applet of ["sh", "nc", "true", "ping"]) await symlink("/usr/bin/busybox", join(bbDir, applet));
  const add = await local.exec(["ip", "netns", "add", NS]);
  expect(add.stderr).toBe("");
  await local.exec(["ip", "-n", NS, "link", "set", "lo", "up"]);
  // Long-running servers, killed through the abort signal in afterAll; both are time-boxed anyway.
  background.push(ns.exec(iperf3Server({ port: IPERF_PORT, maxLifetimeS: 120 }).command, { signal: stop.signal }));
  background.push(ns.exec(["timeout", "120", "nc", "-ll", "-p", String(NC_PORT), "-e", "true"], { signal: stop.signal }));
});

afterAll(async () => {
  stop.abort();
  await Promise.allSettled(background);
  // Anything still inside the namespace was started by this file.
  const pids = await local.exec(["ip", "netns", "pids", NS]);
  for (const pid of pids.stdout.split("\n").filter((p) => /^\d+$/.test(p))) process.kill(Number(pid), "SIGKILL");
  await local.exec(["ip", "netns", "del", NS]);
  if (bbDir) await rm(bbDir, { recursive: true, force: true });
  const left = await local.exec(["ip", "netns", "list"]);
  expect(left.stdout).not.toContain(NS);
});

/** The server takes a moment to listen: retry while iperf3 says it cannot connect. */
async function iperfWhenReady(probe: Probe<ThroughputResult>): Promise<ThroughputResult> {
  for (let i = 0; ; i++) {
    const r = await run(probe);
    if (r.ok || !/unable to connect/.test(r.error) || i >= 20) return r;
    await sleep(250);
  }
}

describe("perf probes on loopback in a namespace", () => {
  it("iperf3 TCP with two streams", async () => {
    const r = await iperfWhenReady(iperf3Client({ to: "127.0.0.1", port: IPERF_PORT, durationS: 2, parallel: 2 }));
    if (!r.ok) throw new Error(r.error);
    expect(r.protocol).toBe("tcp");
    expect(r.streams).toBe(2);
    expect(r.bitsPerSecond).toBeGreaterThan(100e6);
    expect(r.intervalsBps.length).toBeGreaterThanOrEqual(2);
    const verdict = evaluateThreshold({ metric: "throughput", atLeast: "100 Mbit/s" }, collectRepeats([perfMetrics(r)]));
    expect(verdict.status).toBe("pass");
  });

  it("iperf3 UDP, reverse", async () => {
    const r = await iperfWhenReady(iperf3Client({ to: "127.0.0.1", port: IPERF_PORT, durationS: 1, reverse: true, udp: { bitrate: "50 Mbit/s" } }));
    if (!r.ok) throw new Error(r.error);
    expect(r).toMatchObject({ protocol: "udp", reverse: true });
    expect(r.udp?.packets).toBeGreaterThan(0);
    expect(r.bitsPerSecond).toBeGreaterThan(10e6);
  });

  it("iperf3 to a closed port is a clean failure", async () => {
    const r = await run(iperf3Client({ to: "127.0.0.1", port: IPERF_PORT + 1, durationS: 1 }));
    expect(r).toMatchObject({ ok: false, error: expect.stringContaining("unable to connect") });
  });

  it("busybox ping", async () => {
    const r = await run(pingProbe({ to: "127.0.0.1", count: 5, intervalS: 0.2, timeoutS: 2 }));
    if (!r.ok) throw new Error(r.error);
    expect(r).toMatchObject({ flavor: "busybox", transmitted: 5, received: 5, lossPercent: 0 });
    expect(r.stats?.p50).toBeGreaterThan(0);
    expect(r.stats?.p99).toBeLessThan(50);
  });

  it("tcp connect times against a busybox nc listener, and refusals", async () => {
    await sleep(100);
    const r = await run(tcpConnectProbe({ to: "127.0.0.1", port: NC_PORT, count: 10 }));
    if (!r.ok) throw new Error(r.error);
    expect(r).toMatchObject({ attempted: 10, succeeded: 10, failed: 0 });
    expect(r.overheadMs).toBeGreaterThan(0);
    const refused = await run(tcpConnectProbe({ to: "127.0.0.1", port: NC_PORT + 1, count: 2 }));
    if (!refused.ok) throw new Error(refused.error);
    expect(refused).toMatchObject({ attempted: 2, succeeded: 0, failed: 2 });
    expect(refused.failures.join("\n")).toContain("Connection refused");
  });
});
