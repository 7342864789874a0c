import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { initProject } from "./init-project.js";

describe("initProject", () => {
  it("writes the three starter files, keeps existing ones, overwrites them with force", () => {
    const dir = mkdtempSync(join(tmpdir(), "netcheck-init-"));
    writeFileSync(join(dir, "tsconfig.json"), "{}\n");
    const first = initProject(dir);
    expect(first.written.map((f) => f.path)).toEqual(["scenarios/starter.ts", ".github/workflows/netcheck.yml"]);
    expect(first.kept.map((f) => f.path)).toEqual(["tsconfig.json"]);
    expect(first.needsPackageJson).toBe(true);
    expect(readFileSync(join(dir, "tsconfig.json"), "utf8")).toBe("{}\n");
    const forced = initProject(dir, { force: true });
    expect(forced.kept).toEqual([]);
    expect(JSON.parse(readFileSync(join(dir, "tsconfig.json"), "utf8")).include).toEqual(["scenarios/**/*.ts"]);
  });

  it("the workflow is valid YAML that runs the scenarios folder through sudo", () => {
    const dir = mkdtempSync(join(tmpdir(), "netcheck-init-"));
    initProject(dir);
    const wf = parse(readFileSync(join(dir, ".github/workflows/netcheck.yml"), "utf8"), { strict: true, uniqueKeys: true }) as { jobs: Record<string, { steps: { run?: string }[] }> };
    const runs = Object.values(wf.jobs).flatMap((j) => j.steps.map((s) => s.run).filter(Boolean));
    expect(runs).toContain('sudo -E env "PATH=$PATH" npx netcheck run ./scenarios --junit reports/junit.xml --json reports/results.json');
  });
});
