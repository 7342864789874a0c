/**
 * A start that fails mid-bring-up rolls back everything that did start —
 * containers (siblings still starting when the failure came included),
 * networks, guard routes and rules, subnet claims, the ledger — without
 * `netcheck clean`: the system itself is scanned right after the run returns.
 */
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { loadFile } from "../../src/scenario/loader.js";
import { runScenarios } from "../../src/scenario/runner.js";
import { findLeftovers } from "../support/leftovers.js";

const reportsRoot = mkdtempSync(join(tmpdir(), "netcheck-rollback-"));
afterAll(() => rmSync(reportsRoot, { recursive: true, force: true }));

describe("a start failure mid-bring-up", () => {
  it("fails the scenario naming the node, and leaves nothing behind without netcheck clean", async () => {
    const scenarios = await loadFile(join(import.meta.dirname, "../fixtures/scenarios/node-exits-at-once.ts"));
    const seen: string[] = [];
    const r = await runScenarios({ scenarios, reportsRoot, events: { onCheck: (_s, c) => seen.push(c.status) } });
    const s = r.scenarios[0]!;
    expect(s.status).toBe("fail");
    expect(s.reason).toMatch(/lab did not come up: .*node "dies": its command exited \(code 1\)/);
    expect(r.exitCode).toBe(1);
    // The labels say what was created: the whole run, gone.
    const left = await findLeftovers([r.runId], false);
    expect(left).toEqual([]);
    const containers = await execa("docker", ["ps", "-aq", "--filter", `label=io.netcheck.run=${r.runId}`]);
    expect(containers.stdout.trim()).toBe("");
  });
});
