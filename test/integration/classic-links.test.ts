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
import { runBesideTwin } from "../support/beside-twin.js";

const reportsRoot = mkdtempSync(join(tmpdir(), "netcheck-links-"));
afterAll(() => rmSync(reportsRoot, { recursive: true, force: true }));

describe("legacy links on the default bridge", () => {
  it("links resolve through /etc/hosts; under icc=false only the linked port is open; the wrong twin fails every check", async () => {
    const { of, reason } = await runBesideTwin({ passing: ["scenarios/bridge/links.ts", "scenarios/daemon/icc-false-links.ts"], twins: ["test/fixtures/scenarios/wrong-links.ts"], reportsRoot, concurrency: 3 });
    expect(reason("bridge/links", "a-resolves-db-through-etc-hosts")).toMatch(/\/etc\/hosts maps "db" to [\d.]+ .*DNS has no such name \(NXDOMAIN/);
    // The unlinked pair is blocked, proven at b: none of the probe's packets arrived.
    expect(reason("daemon/icc-false-links", "unlinked-c-cannot-reach-b-http")).toMatch(/0 of \d+ probe packets arrived at b/);
    expect(reason("daemon/icc-false-links", "a-cannot-reach-b-tcp")).toMatch(/0 of \d+ probe packets arrived at b/);

    expect(of("daemon/wrong-links").checks.length).toBe(5);
    expect(reason("daemon/wrong-links", "linked-pair-isolated-on-linked-port")).toMatch(/must NOT connect, but it did/);
    expect(reason("daemon/wrong-links", "unlinked-has-alias")).toMatch(/no entry for "db"/);
    expect(reason("daemon/wrong-links", "alias-points-at-wrong-node")).toMatch(/expected [\d.]+/);
  }, 600_000);
});
