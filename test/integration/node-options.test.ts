/**
 * The node options a scenario declares are honoured on the real engine (each
 * seen from inside the container or the host), with a twin that must fail; a
 * host change made through ctx.own is undone at teardown, and after a kept run
 * (the process gone, as after kill -9) `clean` finds it in the ledger.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { localLabHost } from "../../src/lab/lab-host.js";
import { sweep } from "../../src/lab/sweep.js";
import { loadFile } from "../../src/scenario/loader.js";
import { runScenarios } from "../../src/scenario/runner.js";
import { leftovers } from "../support/leftovers.js";
import { schemaErrors } from "../support/results-schema.js";

const reportsRoot = mkdtempSync(join(tmpdir(), "netcheck-options-"));
afterAll(() => rmSync(reportsRoot, { recursive: true, force: true }));
const route = async () => (await execa("ip", ["route", "show", "198.51.100.77/32"])).stdout;

describe("node options and ctx.own on the real engine", () => {
  it("every declared option is seen in effect; the wrong twin fails; the owned route is removed at teardown", async () => {
    const scenarios = await loadFile("test/fixtures/scenarios/node-options.ts");
    const r = await runScenarios({ scenarios, reportsRoot });
    const checks = r.scenarios[0]!.checks;
    const summary = checks.map((c) => `${c.name}: ${c.status} ${c.reason ?? ""}`);
    expect(checks.filter((c) => c.status === "pass").map((c) => c.name).sort(), summary.join("\n")).toEqual(
      ["host-reaches-web-on-127.0.0.1", "web-binds-only-loopback", "web-host-gateway-entry", "web-resolv-options", "web-sysctl", "web-lacks-net-raw", "open-reaches-echo-own-command", "own-route-on-host"].sort(),
    );
    expect(checks.find((c) => c.name === "open-binds-only-loopback")).toMatchObject({ status: "fail" });
    expect(checks.find((c) => c.name === "open-binds-only-loopback")?.reason).toMatch(/0 loopback and [1-9]\d* wildcard listeners/);
    expect(await route()).toBe("");
    expect(await leftovers(r.runId)).toEqual([]);
    // A real run's results, as results.json holds them, satisfy the published schema.
    expect(schemaErrors(JSON.parse(JSON.stringify(r)))).toEqual([]);
  });

  it("a kept run leaves the owned route in the ledger, and clean removes it", async () => {
    const scenarios = await loadFile("test/fixtures/scenarios/node-options.ts");
    const r = await runScenarios({ scenarios, reportsRoot, keep: "always", only: ["own-route-on-host"] });
    expect(r.scenarios[0]!.checks.find((c) => c.name === "own-route-on-host")?.status).toBe("pass");
    expect(await route()).toMatch(/blackhole 198\.51\.100\.77/);
    const host = await localLabHost();
    const report = await sweep(host, { runId: r.runId });
    expect(JSON.stringify(report)).toMatch(/route 198\.51\.100\.77/);
    expect(await route()).toBe("");
    expect(await leftovers(r.runId)).toEqual([]);
  });
});
