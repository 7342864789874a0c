/**
 * Legacy links (issue 19, item 4): bridge/links on this engine's default bridge
 * and daemon/icc-false-links on a docker-in-docker host with icc=false pass
 * every check with evidence; the wrong twin (same topology, every expectation
 * reversed) fails every check; nothing is left.
 */
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadFile } from "../../src/scenario/loader.js";
import { runScenarios } from "../../src/scenario/runner.js";
import { leftovers } from "../support/leftovers.js";

const reportsRoot = mkdtempSync(join(tmpdir(), "netcheck-links-"));
afterAll(() => rmSync(reportsRoot, { recursive: true, force: true }));

describe("legacy links on the default bridge", () => {
  it("links resolve through /etc/hosts; under icc=false only the linked port is open; the wrong twin fails every check", async () => {
    const scenarios = [
      ...(await loadFile("scenarios/bridge/links.ts")),
      ...(await loadFile("scenarios/daemon/icc-false-links.ts")),
      ...(await loadFile("test/fixtures/scenarios/wrong-links.ts")),
    ];
    const r = await runScenarios({ scenarios, reportsRoot, concurrency: 3 });
    const of = (id: string) => r.scenarios.find((s) => s.id === id)!;
    for (const id of ["bridge/links", "daemon/icc-false-links"]) {
      expect(of(id).checks.filter((c) => c.status !== "pass").map((c) => `${c.id}: ${c.status} ${c.reason}`)).toEqual([]);
      for (const c of of(id).checks) expect(c.evidence.length, c.id).toBeGreaterThan(0);
    }
    const reason = (id: string, name: string) => of(id).checks.find((c) => c.name === name)?.reason ?? "";
    expect(reason("bridge/links", "a-resolves-db-through-etc-hosts")).toMatch(/\/etc\/hosts maps "db" to [\d.]+ .*DNS has no such name \(NXDOMAIN/);
    // The unlinked pair is blocked, proven at b: none of the probe's packets arrived.
    expect(reason("daemon/icc-false-links", "unlinked-c-cannot-reach-b-http")).toMatch(/0 of \d+ probe packets arrived at b/);
    expect(reason("daemon/icc-false-links", "a-cannot-reach-b-tcp")).toMatch(/0 of \d+ probe packets arrived at b/);

    const wrong = of("daemon/wrong-links").checks;
    expect(wrong.map((c) => [c.name, c.status])).toEqual(wrong.map((c) => [c.name, "fail"]));
    expect(wrong.length).toBe(5);
    expect(reason("daemon/wrong-links", "linked-pair-isolated-on-linked-port")).toMatch(/must NOT connect, but it did/);
    expect(reason("daemon/wrong-links", "unlinked-has-alias")).toMatch(/no entry for "db"/);
    expect(reason("daemon/wrong-links", "alias-points-at-wrong-node")).toMatch(/expected [\d.]+/);
    expect(r.exitCode).toBe(1);
    expect(await leftovers(r.runId)).toEqual([]);
  }, 600_000);
});
