/**
 * macvlan on lab-built segments, on the real engine and kernel: every built-in
 * macvlan scenario passes (the 802.1q one may only skip), the pcaps in the
 * report folder carry the containers' own MACs and IPs, a missing parent fails
 * fast with a useful message, and nothing is left behind — not even after kill -9.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { localLabHost } from "../../src/lab/lab-host.js";
import { sweep } from "../../src/lab/sweep.js";
import { Capture } from "../../src/pcap/index.js";
import type { PacketsEvidence, RunResult } from "../../src/report/model.js";
import { loadBuiltin, loadFile } from "../../src/scenario/loader.js";
import { runScenarios } from "../../src/scenario/runner.js";
import { newRunId } from "../../src/util/ids.js";
import { leftovers } from "../support/leftovers.js";

const reportsRoot = mkdtempSync(join(tmpdir(), "netcheck-macvlan-"));
afterAll(() => rmSync(reportsRoot, { recursive: true, force: true }));
const MINE = ["macvlan/bridge", "macvlan/modes", "macvlan/routed", "macvlan/two-segments"];

function notPassing(r: RunResult): string[] {
  return r.scenarios.filter((s) => MINE.includes(s.id)).flatMap((s) => s.checks.filter((c) => c.status !== "pass").map((c) => `${c.id}: ${c.status} ${c.reason ?? ""}`));
}

describe("macvlan on lab segments", () => {
  it("passes every check, keeps pcaps showing each container's own MAC and IP, and leaves nothing behind", async () => {
    const scenarios = await loadBuiltin("macvlan");
    expect(scenarios.map((s) => s.id)).toEqual(expect.arrayContaining(MINE));
    // Two at a time: segments, subnets and link names of concurrent scenarios must not collide.
    const result = await runScenarios({ scenarios, reportsRoot, concurrency: 2 });
    expect(notPassing(result)).toEqual([]);
    for (const s of result.scenarios.filter((x) => !MINE.includes(x.id))) expect(s.status, `${s.id}: ${s.reason}`).not.toBe("fail");
    expect(await leftovers(result.runId)).toEqual([]);

    const bridge = result.scenarios.find((s) => s.id === "macvlan/bridge")!;
    const check = bridge.checks.find((c) => c.name === "peer-sees-own-macs-on-lan")!;
    const ev = check.evidence.find((e): e is PacketsEvidence => e.kind === "packets")!;
    expect(ev.file).toMatch(/\.pcap$/);
    const capture = await Capture.fromFile(join(reportsRoot, result.runId, ev.file));
    for (const name of ["a", "b"]) {
      const iface = bridge.topology!.nodes.find((n) => n.name === name)!.interfaces[0]!;
      const ip = iface.ipv4.split("/")[0];
      // The engine's view of the MAC, independent of what the check read inside the container.
      const frames = capture.packets().filter((p) => p.ip?.src === ip && p.icmp?.type === 8);
      expect(frames.length, `echo requests from ${name} (${ip})`).toBeGreaterThan(0);
      for (const f of frames) expect(f.srcMac).toBe(iface.mac);
    }
    const macs = bridge.topology!.nodes.map((n) => n.interfaces[0]!.mac);
    expect(new Set(macs).size).toBe(macs.length);
  });

  it("a missing parent fails bring-up fast, naming the parent and the lab's links", async () => {
    const scenarios = await loadFile(join(import.meta.dirname, "../fixtures/scenarios/macvlan-missing-parent.ts"));
    const started = Date.now();
    const result = await runScenarios({ scenarios, reportsRoot });
    const s = result.scenarios[0]!;
    expect(s.status).toBe("fail");
    expect(s.reason).toMatch(/Could not bring up macvlan network "lan": its parent interface "netcheck-nosuch" does not exist on lab host "local"/);
    expect(s.reason).toContain(`netcheck-${result.runId}u (underlay to the external host)`);
    // Fast = no probe or timeout was waited for (a hang would be minutes); not a speed benchmark.
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(await leftovers(result.runId)).toEqual([]);
  });

  it("after kill -9 mid-scenario, the ledger lets sweep remove the segment links, segment and router namespaces", async () => {
    const runId = newRunId();
    const code = `
      const { loadFile } = await import(${JSON.stringify(join(import.meta.dirname, "../../src/scenario/loader.ts"))});
      const { runScenarios } = await import(${JSON.stringify(join(import.meta.dirname, "../../src/scenario/runner.ts"))});
      const scenarios = await loadFile(${JSON.stringify(join(import.meta.dirname, "../../scenarios/macvlan/routed.ts"))});
      await runScenarios({ scenarios, runId: ${JSON.stringify(runId)}, reportsRoot: ${JSON.stringify(reportsRoot)},
        events: { onCheck: () => console.log("CHECK") } });`;
    // node itself (not npx → tsx → node): SIGKILL must hit the process that owns the lab.
    const child = execa(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], { reject: false, cwd: join(import.meta.dirname, "../..") });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the child run never reached its first check")), 120_000);
      child.stdout!.on("data", (d: Buffer) => {
        if (!d.toString().includes("CHECK")) return;
        clearTimeout(timer);
        child.kill("SIGKILL");
        resolve();
      });
    });
    await child;
    // Segments (links and namespaces) and the router namespace exist and the child is gone: only the ledger knows them now.
    const before = await leftovers(runId);
    expect(before.some((l) => /^netns netcheck-seg/.test(l))).toBe(true);
    expect(before.some((l) => /^netns netcheck-rt/.test(l))).toBe(true);
    expect(before.some((l) => l.startsWith(`link netcheck-${runId}`))).toBe(true);
    const host = await localLabHost();
    const report = await sweep(host, { runId });
    expect(report.problems).toEqual([]);
    expect(await leftovers(runId)).toEqual([]);
  });
});
