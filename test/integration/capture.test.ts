import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { localLabHost } from "../../src/lab/lab-host.js";
import { RunLab } from "../../src/lab/run-lab.js";
import { ScenarioLab } from "../../src/lab/scenario-lab.js";
import { TopologyBuilder } from "../../src/lab/topology.js";
import { addressOn } from "../../src/lab/started.js";
import { CaptureError, startCapture, UnsafeCaptureError, type CaptureEnv } from "../../src/capture/index.js";
import { newRunId } from "../../src/util/ids.js";
import { leftovers } from "../support/leftovers.js";

const reportDir = mkdtempSync(join(tmpdir(), "netcheck-capture-"));
const runId = newRunId();
let run: RunLab;
let lab: ScenarioLab;
let env: CaptureEnv;

const sidecars = async () => (await execa("docker", ["ps", "-aq", "--filter", `label=io.netcheck.run=${runId}`, "--filter", "label=io.netcheck.role"])).stdout;
const captureContainers = async () => (await execa("docker", ["ps", "-a", "--format", "{{.Label \"io.netcheck.role\"}}", "--filter", `label=io.netcheck.run=${runId}`])).stdout.split("\n").filter((r) => r.startsWith("capture:"));

beforeAll(async () => {
  run = await RunLab.start({ runId, hosts: [await localLabHost()] });
  lab = new ScenarioLab(run, "test/capture", "test-capture");
  const t = new TopologyBuilder();
  t.node("a");
  t.node("h", { network: "host" });
  await lab.bringUp(t);
  env = { run, lab, reportDir };
});

afterAll(async () => {
  await lab?.dispose();
  await run?.dispose();
  rmSync(reportDir, { recursive: true, force: true });
  expect(await leftovers(runId)).toEqual([]);
});

describe("captures on the real engine", () => {
  it("a node capture (nsenter, and a sidecar as remote hosts use) is listening when start resolves: the very first packet after it is in the file", async () => {
    const a = lab.nodes.get("a")!;
    const ip = addressOn(a)!.ipv4;
    for (let i = 0; i < 3; i++) {
      const cap = await startCapture(env, { kind: "node", node: a, sidecar: i === 1 }, { name: `first-packet-${i}`, filter: "icmp" });
      // One echo request, sent from the host the moment start resolved (no docker exec delay to hide a race).
      await run.primary.shell.exec(["busybox", "ping", "-c", "1", "-W", "2", ip], { timeoutMs: 5000 });
      const file = await cap.stop();
      const requests = file.capture.packets().filter((p) => p.icmp?.type === 8 && p.ip?.dst === ip);
      expect(requests, `attempt ${i}`).toHaveLength(1);
      expect(file.log.captured).toBe(file.capture.length);
      expect(file.relPath).toBe(`test-capture/first-packet-${i}.pcap`);
      expect(existsSync(join(reportDir, file.relPath))).toBe(true);
      expect(file.artifact).toMatchObject({ kind: "pcap", path: file.relPath });
    }
    // Each sidecar is removed as soon as its file is copied out.
    expect(await captureContainers()).toEqual([]);
  });

  it("the external host and the host side of the underlay see the same ping; `await using` stops both", async () => {
    const ext = run.external;
    let paths: string[] = [];
    {
      await using outside = await startCapture(env, { kind: "external" }, { name: "underlay-ext", filter: "icmp" });
      await using hostSide = await startCapture(env, { kind: "host", labHost: run.primary, iface: ext.link }, { name: "underlay-host", filter: "icmp" });
      await ext.shell.exec(["busybox", "ping", "-c", "2", "-W", "2", ext.hostSideAddress], { timeoutMs: 6000 });
      paths = [outside.relPath, hostSide.relPath];
    }
    // Stopped at the end of the block: files are complete and no tcpdump of ours remains.
    for (const p of paths) {
      const { Capture } = await import("../../src/pcap/index.js");
      const c = await Capture.fromFile(join(reportDir, p));
      expect(c.packets().filter((x) => x.icmp?.type === 8 && x.ip?.src === ext.address && x.ip?.dst === ext.hostSideAddress), p).toHaveLength(2);
    }
    const ps = (await execa("ps", ["-eo", "stat,args"])).stdout.split("\n").filter((l) => l.includes(reportDir) && !/^Z/.test(l));
    expect(ps).toEqual([]);
    expect(existsSync(join(reportDir, `${paths[1]}.log`))).toBe(false);
  });

  it("refuses the host's real interface, `any` on the host, and a host-network node without an explicit interface", async () => {
    const uplink = run.primary.uplink?.name ?? "eth0";
    await expect(startCapture(env, { kind: "host", labHost: run.primary, iface: uplink }, { name: "never-1" })).rejects.toBeInstanceOf(UnsafeCaptureError);
    await expect(startCapture(env, { kind: "host", labHost: run.primary, iface: "any" }, { name: "never-2" })).rejects.toBeInstanceOf(UnsafeCaptureError);
    const h = lab.nodes.get("h")!;
    await expect(startCapture(env, { kind: "node", node: h }, { name: "never-3" })).rejects.toThrow(/Refusing to capture on "eth0"/);
    await expect(startCapture(env, { kind: "node", node: h, iface: uplink }, { name: "never-4" })).rejects.toBeInstanceOf(UnsafeCaptureError);
    // Refused before anything was created.
    expect(await captureContainers()).toEqual([]);
  });

  it("a tcpdump that cannot start is reported in its own words and its sidecar is removed", async () => {
    const a = lab.nodes.get("a")!;
    const err = await startCapture(env, { kind: "node", node: a, iface: "netcheck-nope0" }, { name: "bad-iface" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CaptureError);
    expect(String((err as Error).message)).toMatch(/exited before listening: tcpdump: netcheck-nope0: No such device/);
    expect(await captureContainers()).toEqual([]);
    const bad = await startCapture(env, { kind: "external" }, { name: "bad-filter", filter: "tcp port banana" }).catch((e: unknown) => e);
    expect(String((bad as Error).message)).toMatch(/exited before listening/);
  });

  it("two captures under one name (a retry) keep separate files", async () => {
    const a = lab.nodes.get("a")!;
    const first = await startCapture(env, { kind: "node", node: a }, { name: "same", filter: "icmp" });
    const second = await startCapture(env, { kind: "node", node: a }, { name: "same", filter: "icmp" });
    expect([first.relPath, second.relPath]).toEqual(["test-capture/same.pcap", "test-capture/same-2.pcap"]);
    await a.shell.exec(["busybox", "ping", "-c", "1", "-W", "2", addressOn(a)!.gateway], { timeoutMs: 5000 });
    const files = [await first.stop(), await second.stop()];
    for (const f of files) expect(f.capture.packets().filter((p) => p.icmp?.type === 8), f.relPath).toHaveLength(1);
  });

  it("a capture left running in a node is stopped by the scenario's cleanup (local nodes: tcpdump entered with nsenter, no sidecar)", async () => {
    const a = lab.nodes.get("a")!;
    await startCapture(env, { kind: "node", node: a }, { name: "forgotten" });
    const tcpdumps = async () => (await execa("pgrep", ["-f", `tcpdump .*test-capture/forgotten.pcap`], { reject: false })).stdout.trim();
    expect(await tcpdumps()).not.toBe("");
    expect(await captureContainers()).toEqual([]);
    await lab.dispose();
    expect(await tcpdumps()).toBe("");
    expect(await sidecars()).toBe("");
    expect(existsSync(join(reportDir, "test-capture/forgotten.pcap"))).toBe(true);
  });
});
