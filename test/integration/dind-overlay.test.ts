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
import { runBesideTwin } from "../support/beside-twin.js";

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
    let runId = "";
    // The routing mesh needs IPVS and encryption ESP/AES-GCM: skipped only with the kernel's probed words.
    const needsKernel = /^(published-port-.*-replicas|encrypted-overlay-.*)$/;
    const { of } = await runBesideTwin({
      passing: ["scenarios/overlay/swarm.ts"],
      twins: ["test/fixtures/scenarios/wrong-overlay.ts"],
      reportsRoot,
      events: {
        onLabReady: (i) => void (runId = i.runId),
        // Once per check: the hosts exist, so their anonymous volumes can be named.
        onCheck: () => void volumesOf(runId).then((vs) => vs.forEach((v) => seen.add(v))),
      },
      maySkip: (c) => needsKernel.test(c.name),
    });
    const swarm = of("overlay/swarm");
    const skipped = swarm.checks.filter((c) => c.status === "skip");
    for (const c of skipped) expect(`${c.name}: ${c.reason}`).toMatch(/^(published-port-.*-replicas: .*kernel\.ip_vs.*CONFIG_IP_VS|encrypted-overlay-.*: .*kernel\.esp.*CONFIG_INET_ESP)/);
    expect(swarm.checks.length).toBeGreaterThanOrEqual(15);
    const mtu = swarm.checks.find((c) => c.name === "a-to-b-path-mtu")!;
    expect(mtu.reason).toMatch(/is 1450 bytes, the expected MTU \(eth0 MTU 1450\).*one byte more: 1451-byte DF packet .*refused/);
    const vxlan = swarm.checks.find((c) => c.name === "a-to-b-is-vxlan-on-the-underlay")!;
    expect(vxlan.reason).toMatch(/VNI \d+, the network's/);
    expect(vxlan.evidence.some((e) => e.kind === "packets" && e.total > 0)).toBe(true);
    expect(swarm.checks.find((c) => c.name === "swarm-nodes-ready")!.reason).toMatch(/2 nodes Ready and Active/);

    expect(of("overlay/wrong-expectations").checks.find((c) => c.name.includes("vxlan"))!.reason).toMatch(/network's VNI is \d+/);
    expect(seen.size).toBeGreaterThanOrEqual(2);
    const all = new Set(String((await execa("docker", ["volume", "ls", "-q"])).stdout).split("\n"));
    expect([...seen].filter((v) => all.has(v))).toEqual([]);
  }, 600_000);
});
