import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ScenarioLoadError } from "./errors.js";
import { importUserFile } from "./import-user-file.js";
import { loadPath } from "./loader.js";

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "netcheck-load-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

async function loadError(path: string): Promise<ScenarioLoadError> {
  try {
    await importUserFile(path, path);
  } catch (err) {
    expect(err).toBeInstanceOf(ScenarioLoadError);
    return err as ScenarioLoadError;
  }
  throw new Error("it loaded");
}

describe("importUserFile", () => {
  it("loads TypeScript with relative .ts imports as an ES module in a plain package, and leaves no compiled copy", async () => {
    const dir = project({
      "package.json": '{ "name": "plain" }',
      "s.ts": 'import { twice } from "./lib/helper";\nconst n: number = twice(21);\nexport default { n, url: import.meta.url };\n',
      "lib/helper.ts": "export const twice = (x: number): number => x * 2;\n",
    });
    const mod = await importUserFile(join(dir, "s.ts"), "s.ts");
    expect(mod.default).toMatchObject({ n: 42 });
    expect(readdirSync(dir).sort()).toEqual(["lib", "package.json", "s.ts"]);
  });

  it("a syntax error names the file, line and column", async () => {
    const dir = project({ "bad.ts": "export default {\n  a: 1,\n  b: ;\n};\n" });
    const err = await loadError(join(dir, "bad.ts"));
    expect(err.message).toMatch(/cannot compile scenario file .*bad\.ts: .*bad\.ts:3:6: Unexpected ";"/);
  });

  // ("netcheck" itself resolves here through vitest's alias; the hint for it names `npm install --save-dev netcheck`.)
  it("a package not installed beside the file says so, not a loader internal", async () => {
    const dir = project({ "s.ts": 'import { x } from "no-such-package-anywhere";\nexport default x;\n' });
    const err = await loadError(join(dir, "s.ts"));
    expect(err.message).toMatch(/Cannot find package 'no-such-package-anywhere'/);
    expect(err.message).not.toMatch(/\.netcheck-\d+/);
    expect(err.hint).toMatch(/Install "no-such-package-anywhere" in the scenario's project/);
  });

  it("a file that throws while evaluated is a load error with the cause", async () => {
    const dir = project({ "s.js": 'throw new Error("boom");\n' });
    const err = await loadError(join(dir, "s.js"));
    expect(err.message).toMatch(/cannot load scenario file .*s\.js: boom/);
  });
});

describe("loadPath on a folder", () => {
  it("finds scenario files below it, leaving out node_modules, dot-folders, declarations, tests and configs", async () => {
    const scenario = (id: string) => `export default { kind: "netcheck-scenario", id: "${id}", mode: "x", summary: "s", lab: () => ({}), checks: () => [] };\n`;
    const dir = project({
      "a.ts": scenario("x/a"),
      "sub/b.js": scenario("x/b"),
      "node_modules/pkg/c.js": scenario("x/c"),
      ".hidden/d.ts": scenario("x/d"),
      "e.d.ts": "export {};\n",
      "f.test.ts": scenario("x/f"),
      "vitest.config.ts": "export default {};\n",
    });
    const found = await loadPath(dir);
    expect(found.map((s) => s.id)).toEqual(["x/a", "x/b"]);
  });
});
