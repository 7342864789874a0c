/**
 * The multi-host mode without VMs: overlay/swarm on two docker-in-docker lab
 * hosts, on this machine's real engine. Every check passes with evidence, the
 * deliberately wrong twin fails, and nothing is left: no host container, no
 * volume, no cgroup, no network, no state folder, no swarm.
 */
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadFile, resolveScenarios } from "../../src/scenario/loader.js";
import { runScenarios } from "../../src/scenario/runner.js";
import { leftovers } from "../support/leftovers.js";

const reportsRoot = mkdtempSync(join(tmpdir(), "netcheck-dind-"));
afterAll(() => rmSync(reportsRoot, { recursive: true, force: true }));

/** The volumes of this run's dind hosts (other people's runs create volumes of their own on this engine). */
const volumesOf = async (runId: string) => {
  const ps = await execa("docker", ["ps", "-a", "--no-trunc", "--filter", `label=io.netcheck.run=${runId}`, "--format", "{{.Mounts}}"]);
  return String(ps.stdout).split(/[\n,]/).map((v) => v.trim()).filter((v) => /^[0-9a-f]{64}$/.test(v));
};

describe("overlay on docker-in-docker hosts", () => {
  it("overlay/swarm passes every check with evidence; the wrong twin fails every check; nothing is left", async () => {
    const seen = new Set<string>();
    const scenarios = [...(await resolveScenarios(["overlay"], false)).filter((s) => s.id === "overlay/swarm"), ...(await loadFile("test/fixtures/scenarios/wrong-overlay.ts"))];
    let runId = "";
    const r = await runScenarios({
      scenarios,
      reportsRoot,
      events: {
        onLabReady: (i) => void (runId = i.runId),
        // Once per check: the hosts exist, so their anonymous volumes can be named.
        onCheck: () => void volumesOf(runId).then((vs) => vs.forEach((v) => seen.add(v))),
      },
    });
    const swarm = r.scenarios.find((s) => s.id === "overlay/swarm")!;
    // The routing mesh needs IPVS and encryption ESP/AES-GCM: skipped only with the kernel's probed words.
    const needsKernel = /^(published-port-.*-replicas|encrypted-overlay-.*)$/;
    const skipped = swarm.checks.filter((c) => c.status === "skip");
    for (const c of skipped) expect(`${c.name}: ${c.reason}`).toMatch(/^(published-port-.*-replicas: .*kernel\.ip_vs.*CONFIG_IP_VS|encrypted-overlay-.*: .*kernel\.esp.*CONFIG_INET_ESP)/);
    expect(swarm.checks.filter((c) => c.status !== "pass" && !(c.status === "skip" && needsKernel.test(c.name))).map((c) => `${c.name}: ${c.reason}`)).toEqual([]);
    expect(swarm.checks.length).toBeGreaterThanOrEqual(15);
    for (const c of swarm.checks.filter((x) => x.status !== "skip")) expect(c.evidence.length, c.name).toBeGreaterThan(0);
    const mtu = swarm.checks.find((c) => c.name === "a-to-b-path-mtu")!;
    expect(mtu.reason).toMatch(/is 1450 bytes, the expected MTU \(eth0 MTU 1450\).*one byte more: 1451-byte DF packet .*refused/);
    const vxlan = swarm.checks.find((c) => c.name === "a-to-b-is-vxlan-on-the-underlay")!;
    expect(vxlan.reason).toMatch(/VNI \d+, the network's/);
    expect(vxlan.evidence.some((e) => e.kind === "packets" && e.total > 0)).toBe(true);
    expect(swarm.checks.find((c) => c.name === "swarm-nodes-ready")!.reason).toMatch(/2 nodes Ready and Active/);

    const wrong = r.scenarios.find((s) => s.id === "overlay/wrong-expectations")!;
    expect(wrong.checks.map((c) => [c.name, c.status])).toEqual(wrong.checks.map((c) => [c.name, "fail"]));
    expect(wrong.checks.find((c) => c.name.includes("vxlan"))!.reason).toMatch(/network's VNI is \d+/);
    expect(r.exitCode).toBe(1);

    expect(await leftovers(r.runId)).toEqual([]);
    expect(seen.size).toBeGreaterThanOrEqual(2);
    const all = new Set(String((await execa("docker", ["volume", "ls", "-q"])).stdout).split("\n"));
    expect([...seen].filter((v) => all.has(v))).toEqual([]);
  }, 600_000);
});
