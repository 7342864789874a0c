/**
 * A failed check in a run carries the explain engine's cause (issue 15): a
 * DROP for one flow inside the target container's namespace (the lab's own;
 * never the host's netfilter) makes a → b fail, and the result names the
 * rule, where it sits, its counter and the fix; the same flow without the
 * fault passes and carries no cause. (DOCKER-USER and the host-side faults
 * are covered on a disposable lab machine: explain-faults.test.ts and
 * npm run bench:explain.)
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadFile } from "../../src/scenario/loader.js";
import { runScenarios } from "../../src/scenario/runner.js";
import { findLeftovers } from "../support/leftovers.js";
import { schemaErrors } from "../support/results-schema.js";

const reportsRoot = mkdtempSync(join(tmpdir(), "netcheck-explain-run-"));
afterAll(() => rmSync(reportsRoot, { recursive: true, force: true }));

describe("explain in a run", () => {
  it("a DROP in the target's namespace is named as the failed check's cause, with its evidence and fix; the healthy twin carries none", async () => {
    const scenarios = await loadFile("test/fixtures/scenarios/explain-in-run.ts");
    const r = await runScenarios({ scenarios, reportsRoot });
    const checks = r.scenarios[0]!.checks;
    const say = checks.map((c) => `${c.name}: ${c.status} ${c.reason ?? ""}\n${JSON.stringify(c.cause ?? null, null, 1)}`).join("\n");

    const healthy = checks.find((c) => c.name === "a-reaches-b-healthy")!;
    expect(healthy.status, say).toBe("pass");
    expect(healthy.cause, say).toBeUndefined();

    const faulted = checks.find((c) => c.name === "a-reaches-b-through-a-drop-in-b")!;
    expect(faulted.status, say).toBe("fail");
    expect(faulted.cause?.kind, say).toBe("cause");
    expect(faulted.cause?.summary, say).toMatch(/^dropped by INPUT rule 1 in table filter in b's namespace \(`-s [\d.]+\/32 -p icmp -j DROP`\), \d+ packets? during the probe$/);
    expect(faulted.cause?.fix, say).toMatch(/iptables -t filter -D INPUT 1, inside b's namespace/);
    expect(faulted.cause?.evidence.join("\n"), say).toMatch(/INPUT rule 1 in table filter \[iptables-(nft|legacy)\] counter moved by [1-9]/);
    // The terminal/HTML reason says it too.
    expect(faulted.reason, say).toContain("— cause: dropped by INPUT rule 1 in table filter in b's namespace");

    expect(schemaErrors(JSON.parse(JSON.stringify(r)))).toEqual([]);
    // Other engineers' runs come and go on this engine: an unclaimed guard route counts only when it is over one of this run's subnets.
    const mine = [...(r.scenarios[0]!.topology?.networks ?? []).map((n) => n.subnet), r.scenarios[0]!.topology?.externalHost?.subnet].filter((x): x is string => !!x);
    const left = await findLeftovers([r.runId]);
    expect(left.filter((l) => l.runId === r.runId || mine.some((s) => l.what.includes(` ${s} `))).map((l) => l.what)).toEqual([]);
  }, 240_000);
});
