/**
 * Classic overlay over a key-value store (issue 19, item 5): two
 * docker-in-docker hosts sharing etcd (Debian's etcd-server) on their underlay,
 * no swarm. overlay/classic-kv passes every check with evidence; its wrong twin
 * fails every check; nothing is left. Docker 20.10 only: on engines that
 * removed --cluster-store the scenario is a skip with that reason.
 */
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { loadFile } from "../../src/scenario/loader.js";
import { runScenarios } from "../../src/scenario/runner.js";
import { runBesideTwin } from "../support/beside-twin.js";

const reportsRoot = mkdtempSync(join(tmpdir(), "netcheck-classic-kv-"));
afterAll(() => rmSync(reportsRoot, { recursive: true, force: true }));

describe("classic overlay with a key-value store", () => {
  it("passes on Docker 20.10 with VXLAN and gossip seen on the underlay; the wrong twin fails every check; nothing is left", async () => {
    const engine = String((await execa("docker", ["version", "--format", "{{.Server.Version}}"])).stdout);
    expect(engine, "this test proves the classic overlay on the machine's Docker 20.10").toMatch(/^20\./);
    const { of, reason } = await runBesideTwin({ passing: ["scenarios/overlay/classic-kv.ts"], twins: ["test/fixtures/scenarios/wrong-classic-kv.ts"], reportsRoot, concurrency: 2 });
    const kv = of("overlay/classic-kv");
    expect(reason("overlay/classic-kv", "ov-is-global-on-h1-h2-without-swarm")).toMatch(/scope "global", and neither is in a swarm/);
    expect(reason("overlay/classic-kv", "a-to-b-is-vxlan-on-the-underlay")).toMatch(/VXLAN \(UDP 4789, VNI \d+\)/);
    expect(reason("overlay/classic-kv", "h1-h2-gossip-on-port-7946")).toMatch(/packets on (TCP and )?UDP 7946/);
    expect(kv.checks.find((c) => c.name === "ov-is-global-on-h1-h2-without-swarm")!.evidence.some((e) => e.kind === "note" && /etcd:\/\/[\d.]+:2379/.test(e.text))).toBe(true);

    expect(of("overlay/wrong-classic-kv").checks).toHaveLength(3);
    expect(reason("overlay/wrong-classic-kv", "cross-host-pair-isolated")).toMatch(/must NOT connect, but it did/);
    expect(reason("overlay/wrong-classic-kv", "network-is-swarm-scoped")).toMatch(/expected "swarm"/);
    expect(reason("overlay/wrong-classic-kv", "gossip-on-swarm-management-port")).toMatch(/no packet on port 2377/);
  }, 600_000);

  it("is skipped with the reason on an engine that removed --cluster-store (26.1)", async () => {
    const scenarios = await loadFile("scenarios/overlay/classic-kv.ts");
    const r = await runScenarios({ scenarios, reportsRoot, engine: "26.1" });
    expect(r.scenarios[0]!.status).toBe("skip");
    expect(r.scenarios[0]!.reason).toMatch(/Docker 26\.1 removed --cluster-store and --cluster-advertise \(23\.0 and later\)/);
    expect(r.exitCode).toBe(0);
  }, 120_000);
});
