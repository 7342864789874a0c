/**
 * The packed tarball is the product. Installed into a fresh project with a plain
 * package.json, the README's "Writing a scenario" example (copied word for word)
 * and a JavaScript scenario, both importing from "netcheck", pass on the real
 * engine; the installed runtime tree holds no build or test tools; and
 * `netcheck init`'s output type-checks and runs green unchanged.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { explain, readJson, remember, ROOT, takeRunIds } from "./cli.js";
import { assertNothingLeftBehind } from "./leftovers.js";
import { installedNetcheck, packNetcheck, userProject } from "./packed.js";
import { schemaErrors } from "../support/results-schema.js";

/** The README's scenario example: the first ```ts block under "## Writing a scenario". */
export function readmeScenario(): { file: string; code: string } {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Writing a scenario"));
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  const file = code && /^\/\/ ([\w.-]+\.ts)/.exec(code)?.[1];
  if (!code || !file) throw new Error("README.md has no ```ts example starting with `// <file>.ts` under \"## Writing a scenario\"");
  return { file, code };
}

const JS_SCENARIO = `// A JavaScript scenario in a plain (CommonJS-typed) package.
import { defineScenario } from "netcheck";

export default defineScenario({
  id: "bridge/js-pair",
  mode: "bridge",
  summary: "Two containers on the default bridge reach each other by IP, not by name",
  lab: (lab) => ({ a: lab.node("a"), b: lab.node("b") }),
  checks: ({ a, b }, c) => [c.reach(a, b, { via: "http", port: 80 }), c.doesNotResolve(a, "b")],
});
`;

let project = "";

beforeAll(async () => {
  project = await userProject(await packNetcheck());
}, 300_000);
afterEach(() => assertNothingLeftBehind(takeRunIds()));

describe("the packed package in a plain project", () => {
  it("installs with no \"type\" field, and everything it installs is what the CLI needs at run time", async () => {
    const pkg = JSON.parse(readFileSync(join(project, "package.json"), "utf8")) as Record<string, unknown>;
    expect(pkg.type).toBeUndefined();
    const tree = await execa("npm", ["ls", "--all", "--parseable"], { cwd: project, reject: false });
    const names = new Set(tree.stdout.split("\n").map((p) => p.split("node_modules/").pop()));
    for (const tool of ["zx", "pcap-parser", "tsx", "typescript", "vitest", "testcontainers", "playwright-core", "dependency-cruiser"]) expect(names.has(tool), tool).toBe(false);
    expect(names.has("netcheck")).toBe(true);
  });

  it("runs the README's TypeScript example word for word and a JavaScript scenario: both pass", async () => {
    const { file, code } = readmeScenario();
    writeFileSync(join(project, file), code);
    writeFileSync(join(project, "pair.js"), JS_SCENARIO);
    const r = await installedNetcheck(project, ["run", `./${file}`, "./pair.js", "--json", "r.json", "--reports", "reports"]);
    expect(r.exitCode, explain(r)).toBe(0);
    const run = readJson(join(project, "r.json"));
    expect(run.scenarios.map((s) => [s.id, s.status])).toEqual([
      ["user-defined/frontend-backend", "pass"],
      ["bridge/js-pair", "pass"],
    ]);
    expect(run.totals.pass).toBeGreaterThanOrEqual(6);
    // The schema ships in the package and resolves by its export name; the real results satisfy it.
    const resolved = await execa("node", ["-p", 'require.resolve("netcheck/results.schema.json")'], { cwd: project });
    expect(resolved.stdout).toBe(join(project, "node_modules", "netcheck", "schema", "results.schema.json"));
    expect(schemaErrors(run, resolved.stdout)).toEqual([]);
  });

  it("a broken scenario is a load error naming the file and the line (exit 2, before any lab)", async () => {
    writeFileSync(join(project, "broken.ts"), 'import { defineScenario } from "netcheck";\nexport default defineScenario({ id: "x/y", mode: "bridge",\n');
    const r = await installedNetcheck(project, ["run", "./broken.ts"]);
    expect(r.exitCode, explain(r)).toBe(2);
    expect(r.stderr).toMatch(/cannot compile scenario file \.\/broken\.ts: broken\.ts:3:\d+: Expected/);
    expect(r.stdout).not.toMatch(/lab up/);
    // A scenario outside any project that has netcheck installed: the hint says to install it there.
    const elsewhere = mkdtempSync(join(tmpdir(), "netcheck-elsewhere-"));
    writeFileSync(join(elsewhere, "s.ts"), readmeScenario().code);
    const lost = await installedNetcheck(project, ["run", join(elsewhere, "s.ts")]);
    expect(lost.exitCode, explain(lost)).toBe(2);
    expect(lost.stderr).toMatch(/Cannot find package 'netcheck'/);
    expect(lost.stderr).toMatch(/→ Install netcheck in the scenario's project/);
    expect(lost.stderr).not.toMatch(/unicorn-magic|\.netcheck-\d+/);
  });
});

describe("netcheck init", () => {
  it("writes a starter that type-checks, and a wrong one does not", async () => {
    const r = await installedNetcheck(project, ["init"]);
    expect(r.exitCode, explain(r)).toBe(0);
    expect(r.stdout).toMatch(/wrote scenarios\/starter\.ts[\s\S]*wrote tsconfig\.json[\s\S]*wrote \.github\/workflows\/netcheck\.yml/);
    const tsc = (cwd: string) => execa("node", [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], { cwd, reject: false });
    const ok = await tsc(project);
    expect(ok.exitCode, ok.stdout).toBe(0);
    // The type check is real: a misspelt check and a missing argument are compile errors.
    const starter = readFileSync(join(project, "scenarios", "starter.ts"), "utf8");
    writeFileSync(join(project, "scenarios", "wrong.ts"), starter.replace("c.reach(web, db,", "c.reachh(web, db,").replace('id: "user-defined/starter"', 'id: "user-defined/wrong", mode2: 1'));
    const bad = await tsc(project);
    rmSync(join(project, "scenarios", "wrong.ts"));
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stdout).toMatch(/wrong\.ts.*reachh/);
    expect(bad.stdout).toMatch(/wrong\.ts.*mode2/);
    // A second init keeps what is there.
    const again = await installedNetcheck(project, ["init"]);
    expect(again.stdout).toMatch(/kept {2}scenarios\/starter\.ts/);
  });

  it("the workflow's netcheck steps, run as written, pass on this engine", async () => {
    const workflow = parse(readFileSync(join(project, ".github", "workflows", "netcheck.yml"), "utf8")) as { jobs: Record<string, { steps: { run?: string }[] }> };
    const commands = Object.values(workflow.jobs)
      .flatMap((j) => j.steps.map((s) => s.run?.trim()))
      .filter((c): c is string => Boolean(c) && c !== "npm ci")
      // The runner is not root; this machine's tests are.
      .map((c) => c.replace(/^sudo -E env "PATH=\$PATH" /, ""));
    expect(commands).toEqual(["npx netcheck setup", expect.stringMatching(/^npx netcheck run \.\/scenarios /), "npx netcheck clean"]);
    for (const command of commands) {
      const r = remember(await execa("bash", ["-c", command], { cwd: project, reject: false, env: { NO_COLOR: "1" } }).then((x) => ({ exitCode: x.exitCode ?? -1, stdout: String(x.stdout), stderr: String(x.stderr) })));
      expect(r.exitCode, `${command}\n${explain(r)}`).toBe(0);
    }
    const run = readJson(join(project, "reports", "results.json"));
    expect(run.scenarios.map((s) => [s.id, s.status])).toEqual([["user-defined/starter", "pass"]]);
  });
});
