/**
 * The packed tarball is the product. Installed into a fresh project with a plain
 * package.json, the README's "Writing a scenario" example (copied word for word)
 * and a JavaScript scenario, both importing from "netcheck", pass on the real
 * engine; the installed runtime tree holds no build or test tools.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { explain, readJson, ROOT, takeRunIds } from "./cli.js";
import { assertNothingLeftBehind } from "./leftovers.js";
import { installedNetcheck, packNetcheck, userProject } from "./packed.js";

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
  });

  it("a broken scenario is a load error naming the file and the line (exit 2, before any lab)", async () => {
    writeFileSync(join(project, "broken.ts"), 'import { defineScenario } from "netcheck";\nexport default defineScenario({ id: "x/y", mode: "bridge",\n');
    const r = await installedNetcheck(project, ["run", "./broken.ts"]);
    expect(r.exitCode, explain(r)).toBe(2);
    expect(r.stderr).toMatch(/cannot compile scenario file \.\/broken\.ts: broken\.ts:3:\d+: Expected/);
    expect(r.stdout).not.toMatch(/lab up/);
  });
});
