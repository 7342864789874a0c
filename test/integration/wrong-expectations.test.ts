import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadFile } from "../../src/scenario/loader.js";
import { defineScenario } from "../../src/scenario/define.js";
import { runScenarios } from "../../src/scenario/runner.js";
import { leftovers } from "../support/leftovers.js";

const reportsRoot = mkdtempSync(join(tmpdir(), "netcheck-wrong-"));
afterAll(() => rmSync(reportsRoot, { recursive: true, force: true }));

/**
 * The table of wrong expectations (test/fixtures/scenarios/wrong-expectations.ts):
 * one per check kind, each the opposite of what Docker does. A check kind
 * that passes here could pass for the wrong reason.
 */
describe("every check kind fails when its expectation is the opposite of the truth", () => {
  it("no check in the wrong-expectation table passes, and each says why", async () => {
    const scenarios = await loadFile("test/fixtures/scenarios/wrong-expectations.ts");
    const r = await runScenarios({ scenarios, reportsRoot, concurrency: 2 });
    const checks = r.scenarios.flatMap((s) => s.checks.map((c) => ({ ...c, scenario: s.id })));
    expect(checks.length).toBeGreaterThanOrEqual(35);
    const passed = checks.filter((c) => c.status !== "fail").map((c) => `${c.id}: ${c.status} ${c.reason ?? ""}`);
    expect(passed).toEqual([]);
    for (const c of checks) {
      expect(c.reason, c.id).toBeTruthy();
      expect(c.evidence.length, c.id).toBeGreaterThan(0);
    }
    const reason = (name: string) => checks.find((c) => c.name === name)?.reason ?? "";
    // The five false passes, each for the right reason now.
    expect(reason("false-pass-1-external-tcp-9")).toMatch(/must NOT connect, but it did/);
    expect(reason("false-pass-2-same-network-tcp-81")).toMatch(/must NOT connect, but it did/);
    // The third (tcp port 70000) no longer gets that far: an authoring error when the scenario is defined (exit 2).
    expect(() =>
      defineScenario({ id: "wrong/bad-port", mode: "user-defined", summary: "port out of range", lab: (l) => ({ a: l.node("a"), b: l.node("b") }), checks: ({ a, b }, c) => [c.isolated(a, b, { via: "tcp", port: 70000 })] }),
    ).toThrow(/port 70000 is not a port number/);
    expect(reason("false-pass-4-unresolvable-target")).toMatch(/^error: .*did not resolve/);
    expect(reason("false-pass-5-host-to-container-tcp-9")).toMatch(/must NOT connect, but it did/);
    // A different network is a silent drop in FORWARD: the positive check says so with its class.
    expect(reason("reach-other-network")).toMatch(/timeout/);
    expect(r.exitCode).toBe(1);
    expect(await leftovers(r.runId)).toEqual([]);
  });
});
