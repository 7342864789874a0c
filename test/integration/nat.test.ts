import { afterAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadFile, resolveScenarios } from "../../src/scenario/loader.js";
import { runScenarios } from "../../src/scenario/runner.js";
import type { CheckResult, NatEvidence, PacketsEvidence, RunResult } from "../../src/report/model.js";
import { pcapArtifactsOf } from "../../src/capture/index.js";
import { Capture } from "../../src/pcap/index.js";
import { leftovers } from "../support/leftovers.js";

const reportsRoot = mkdtempSync(join(tmpdir(), "netcheck-nat-"));
afterAll(() => rmSync(reportsRoot, { recursive: true, force: true }));

const natOf = (c: CheckResult) => c.evidence.find((e): e is NatEvidence => e.kind === "nat");
const packetsOf = (c: CheckResult) => c.evidence.filter((e): e is PacketsEvidence => e.kind === "packets");
const check = (r: RunResult, scenario: string, name: RegExp) => r.scenarios.find((s) => s.id === scenario)!.checks.find((c) => name.test(c.name))!;

describe("NAT and DNS proven from packet captures on the real engine", () => {
  let r: RunResult;

  it("bridge, user-defined and host NAT scenarios pass, and leave nothing behind", async () => {
    const scenarios = (await resolveScenarios(["bridge", "user-defined", "host"], false)).filter((s) => /\/(nat|no-nat)$/.test(s.id));
    expect(scenarios.map((s) => s.id).sort()).toEqual(["bridge/nat", "host/no-nat", "user-defined/nat"]);
    r = await runScenarios({ scenarios, reportsRoot, concurrency: 2 });
    const bad = r.scenarios.flatMap((s) => s.checks.filter((c) => c.status !== "pass").map((c) => `${c.id}: ${c.status} ${c.reason ?? ""}`));
    expect(bad).toEqual([]);
    expect(await leftovers(r.runId)).toEqual([]);
  });

  it("DNAT: the external host saw host:hostPort, the container saw its own address:80, for the same tokened flow", () => {
    for (const id of ["bridge/nat", "user-defined/nat"]) {
      const nat = natOf(check(r, id, /^external-to-web-dnat/))!;
      expect(nat.rewrite).toBe("dnat");
      expect(nat.token).toMatch(/^nc[0-9a-f]{12}$/);
      expect(nat.before.tuple.dst).toMatch(/^198\.1[89]\./);
      expect(nat.after.tuple.dst).toMatch(/^(172\.|10\.213\.)/);
      expect(nat.after.tuple.dstPort).toBe(80);
      expect(nat.after.tuple.src).toBe(nat.before.tuple.src);
      expect(nat.before.tuple.dstPort).not.toBe(80);
    }
  });

  it("SNAT: the container's address inside, the host's underlay address at the external host", () => {
    const nat = natOf(check(r, "bridge/nat", /^client-to-external-snat/))!;
    expect(nat.rewrite).toBe("snat");
    expect(nat.before.tuple.src).toMatch(/^172\./);
    expect(nat.after.tuple.src).toMatch(/^198\.1[89]\.\d+\.1$/);
    expect(nat.after.tuple.dst).toBe(nat.before.tuple.dst);
  });

  it("no NAT between containers on one bridge, nor for a host-network container", () => {
    for (const [id, name] of [["bridge/nat", /^client-to-web-no-nat/], ["user-defined/nat", /^client-to-web-no-nat/], ["host/no-nat", /^h-to-external-no-nat/], ["host/no-nat", /^external-to-h-no-nat/]] as const) {
      const nat = natOf(check(r, id, name))!;
      expect(nat.rewrite, `${id} ${name}`).toBe("none");
      expect(nat.after.tuple).toEqual(nat.before.tuple);
    }
  });

  it("127.0.0.1 on the host reaches the container through docker-proxy, seen from the bridge gateway", () => {
    const c = check(r, "bridge/nat", /userland-proxy/);
    const nat = natOf(c)!;
    expect(nat.rewrite).toBe("proxy");
    expect(nat.before.tuple.src).toBe("127.0.0.1");
    expect(nat.after.tuple.src).toBe("172.17.0.1");
    expect(c.evidence.some((e) => e.kind === "note" && /docker-proxy is in use/.test(e.text))).toBe(true);
  });

  it("embedded DNS: the capture shows the query to 127.0.0.11 and the answer with the peer's address", () => {
    const c = check(r, "user-defined/nat", /embedded-dns-in-capture/);
    const lines = packetsOf(c)[0]!.lines.join("\n");
    expect(lines).toMatch(/> 127\.0\.0\.11\.\d+: .*A\? web/);
    expect(lines).toMatch(/127\.0\.0\.11\.53 > .* A 10\.213\.\d+\.\d+/);
  });

  it("every pcap is kept in the run's report folder and decodes", async () => {
    const reportDir = join(reportsRoot, r.runId);
    const arts = r.scenarios.flatMap((s) => pcapArtifactsOf(s.checks));
    expect(arts.length).toBeGreaterThanOrEqual(15);
    for (const a of arts) {
      const path = join(reportDir, a.path);
      expect(existsSync(path), a.path).toBe(true);
      expect(statSync(path).size).toBeGreaterThan(24);
      expect((await Capture.fromFile(path)).length, a.path).toBeGreaterThan(0);
    }
  });
});

describe("a wrong NAT expectation fails with the packets that contradict it", () => {
  it("expecting no SNAT on bridge egress fails, showing the container address inside and the host's outside", async () => {
    const scenarios = await loadFile("test/fixtures/scenarios/wrong-no-snat-on-bridge.ts");
    const res = await runScenarios({ scenarios, reportsRoot });
    expect(res.exitCode).toBe(1);
    const c = res.scenarios[0]!.checks[0]!;
    expect(c.status).toBe("fail");
    expect(c.reason).toMatch(/expected no address rewrite, but the packets show SNAT/);
    const nat = natOf(c)!;
    expect(nat.rewrite).toBe("snat");
    expect(c.reason).toContain(`saw tcp ${nat.before.tuple.src}:`);
    expect(c.reason).toContain(`saw tcp ${nat.after.tuple.src}:`);
    expect(nat.before.tuple.src).not.toBe(nat.after.tuple.src);
    const pk = packetsOf(c);
    expect(pk).toHaveLength(2);
    expect(pk[1]!.lines[0]).toContain(`${nat.after.tuple.src}.${nat.after.tuple.srcPort} >`);
    expect(await leftovers(res.runId)).toEqual([]);
  });
});
