import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generateRun } from "../../test/fixtures/results/generate-run.js";
import { realisticRun } from "../../test/fixtures/results/load-fixture.js";
import { RESULTS_SCHEMA_PATH, schemaErrors } from "../../test/support/results-schema.js";
import { RESULTS_SCHEMA_VERSION, type RunResult } from "./model.js";

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { files: string[]; exports: Record<string, unknown> };

describe("the published results.json schema", () => {
  it("is versioned with the model and shipped in the package", () => {
    const schema = JSON.parse(readFileSync(RESULTS_SCHEMA_PATH, "utf8")) as { properties: { schemaVersion: { const: number } } };
    expect(schema.properties.schemaVersion.const).toBe(RESULTS_SCHEMA_VERSION);
    expect(pkg.files).toContain("schema");
    expect(pkg.exports["./results.schema.json"]).toBe("./schema/results.schema.json");
  });

  it("accepts the recorded run and generated runs", () => {
    expect(schemaErrors(realisticRun())).toEqual([]);
    expect(schemaErrors(generateRun(6, 9))).toEqual([]);
  }, 60_000); // ~1 s alone; 7.8 s at load average 30 (schema compile + generated runs) failed the default 5 s

  // The wrong twins: each breaks one promise of the model and must be rejected.
  it.each<[string, (r: RunResult) => void, RegExp]>([
    ["another schemaVersion", (r) => Object.assign(r, { schemaVersion: 2 }), /\/schemaVersion must be equal to constant/],
    ["a check status outside the four", (r) => Object.assign(r.scenarios[0]!.checks[0]!, { status: "ok" }), /\/scenarios\/0\/checks\/0\/status must be equal to one of the allowed values/],
    ["a missing runId", (r) => delete (r as Partial<RunResult>).runId, /must have required property 'runId'/],
    ["command evidence without its exit code", (r) => delete (r.scenarios[0]!.checks[0]!.evidence.find((e) => e.kind === "command") as { exitCode?: number }).exitCode, /evidence\/\d+ must have required property 'exitCode'/],
    ["an exit code netcheck never chooses", (r) => Object.assign(r, { exitCode: 3 }), /\/exitCode must be equal to one of the allowed values/],
  ])("rejects %s", (_what, mutate, message) => {
    const run = realisticRun();
    mutate(run);
    expect(schemaErrors(run).join("\n")).toMatch(message);
  });
});
