/**
 * .github/workflows/conformance.yml is valid for GitHub Actions (the fields the
 * runner requires) and runs the same commands as .ci/run, in the same order,
 * so a green workflow means a green .ci/run and the reverse.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const ROOT = resolve(fileURLToPath(import.meta.url), "../../..");
const workflowFile = join(ROOT, ".github", "workflows", "conformance.yml");

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  if?: string;
}
interface Workflow {
  name?: string;
  on?: unknown;
  jobs?: Record<string, { name?: string; "runs-on"?: unknown; steps?: Step[]; "timeout-minutes"?: number }>;
}

const workflow = parse(readFileSync(workflowFile, "utf8"), { strict: true, uniqueKeys: true }) as Workflow;
const steps = Object.values(workflow.jobs ?? {}).flatMap((j) => j.steps ?? []);
/** A run line without the sudo wrapper the runner needs (.ci/run already runs as root). */
const unwrap = (cmd: string) => cmd.trim().replace(/^sudo (-E )?(env "PATH=\$PATH" )?/, "");

/** The commands of .ci/run: every line that is not a comment, a shebang, `set` or `cd`. */
export function ciRunCommands(text: string): string[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#") && !/^(set|cd)\b/.test(l));
}

describe("conformance workflow", () => {
  it("has what Actions requires: on, jobs.<id>.runs-on, steps each with a name and exactly one of uses/run", () => {
    expect(workflow.name).toBeTruthy();
    expect(workflow.on).toBeTruthy();
    const on = workflow.on as Record<string, unknown>;
    expect(Object.keys(on)).toEqual(expect.arrayContaining(["push", "pull_request"]));
    const jobs = Object.entries(workflow.jobs ?? {});
    expect(jobs.length).toBeGreaterThan(0);
    for (const [id, job] of jobs) {
      expect(id).toMatch(/^[A-Za-z_][A-Za-z0-9_-]*$/);
      expect(job["runs-on"]).toBe("ubuntu-latest");
      expect(job["timeout-minutes"]).toBeLessThanOrEqual(90);
      expect(job.steps?.length).toBeGreaterThan(0);
      for (const step of job.steps ?? []) {
        expect(step.name, JSON.stringify(step)).toBeTruthy();
        expect(Number(Boolean(step.uses)) + Number(Boolean(step.run)), step.name).toBe(1);
        if (step.uses) expect(step.uses).toMatch(/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[\w.-]+$/);
      }
    }
  });

  it("runs netcheck run --all with --junit, publishes the JUnit file and uploads the report folder", () => {
    const run = steps.find((s) => s.run && /netcheck run --all\b/.test(s.run));
    expect(run?.run).toMatch(/--junit (\S+)/);
    const junitPath = /--junit (\S+)/.exec(run!.run!)![1]!;
    expect(junitPath.startsWith("reports/")).toBe(true);
    const publish = steps.find((s) => s.uses?.startsWith("mikepenz/action-junit-report@") || s.uses?.startsWith("dorny/test-reporter@"));
    expect(publish?.with?.report_paths ?? publish?.with?.path).toBe(junitPath);
    const upload = steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"));
    expect(upload?.with?.path).toMatch(/^reports\/?$/);
    // Results are published even when the conformance run failed.
    for (const s of [publish!, upload!]) expect(s.if).toMatch(/always\(\)|!cancelled\(\)/);
    expect(steps.indexOf(publish!)).toBeGreaterThan(steps.indexOf(run!));
  });

  it("runs the same commands as .ci/run, in the same order, before anything else of netcheck's", () => {
    const ciRun = join(ROOT, ".ci", "run");
    expect(existsSync(ciRun), ".ci/run is the reference the workflow mirrors").toBe(true);
    const expected = ciRunCommands(readFileSync(ciRun, "utf8"));
    expect(expected).toContain("npm ci");
    const runs = steps.filter((s) => s.run).flatMap((s) => s.run!.split("\n").map(unwrap).filter(Boolean));
    const positions = expected.map((cmd) => runs.indexOf(cmd));
    for (const [i, cmd] of expected.entries()) expect(positions[i], `workflow runs "${cmd}" like .ci/run`).toBeGreaterThanOrEqual(0);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    // Nothing netcheck-specific runs before .ci/run's commands are done.
    const firstNetcheck = runs.findIndex((r) => /netcheck /.test(r));
    expect(firstNetcheck).toBeGreaterThan(Math.max(...positions));
  });

  it("ciRunCommands reads a script's commands and ignores the rest", () => {
    expect(ciRunCommands("#!/usr/bin/env bash\n# x\nset -euo pipefail\ncd \"$(dirname \"$0\")/..\"\nnpm ci\n\nnpm test\n")).toEqual(["npm ci", "npm test"]);
  });
});
