import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { commandLineProblem, fixCommandProblems, netcheckCommandsIn } from "./fix-commands.js";
import { commands } from "./registry.js";

const root = new URL("../..", import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith(".ts") && !p.endsWith(".test.ts") ? [p] : [];
  });
}

describe("netcheck commands named in doctor's fix texts parse with the real CLI parser", () => {
  // Commands load on first use (registry.ts): load them all here, not inside a test's 5 s.
  beforeAll(() => Promise.all(commands.map((c) => c.load())), 120_000);

  it("refuses the flag that does not exist and accepts the one that does", async () => {
    expect(await commandLineProblem("netcheck run ipvlan --vm")).toMatch(/--vm/);
    expect(await commandLineProblem("netcheck run ipvlan --lab vm")).toBeUndefined();
    expect(await commandLineProblem("netcheck run nosuchmode")).toMatch(/unknown mode/);
    expect(await commandLineProblem("netcheck vm upp")).toMatch(/expected up/);
    expect(await commandLineProblem("netcheck clean --run abcde")).toBeUndefined();
    expect(await commandLineProblem("netcheck doctor --json --probe")).toBeUndefined();
    expect(await commandLineProblem("npx netcheck setup --no-install")).toBeUndefined();
  });

  it("finds quoted commands and flags unquoted ones", () => {
    expect(netcheckCommandsIn("use the VM lab (`netcheck run ipvlan --lab vm`) or a kernel")).toEqual([{ text: "netcheck run ipvlan --lab vm", quoted: true }]);
    expect(netcheckCommandsIn("use the VM lab (netcheck run ipvlan --vm) or a kernel")).toEqual([{ text: "netcheck run", quoted: false }]);
    expect(netcheckCommandsIn("netcheck lab bridges are not counted")).toEqual([]);
  });

  it("fails a finding whose fix names a command that does not parse (the wrong-expectation twin)", async () => {
    const problems = await fixCommandProblems([{ id: "kernel/ipvlan", title: "x", fix: "use the VM lab (`netcheck run ipvlan --vm`)" }]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/kernel\/ipvlan.*--vm/);
  });

  it("every backticked netcheck command in doctor's sources parses", async () => {
    const files = [...sources(join(root, "src/doctor")), join(root, "src/cli/doctor-probe.ts")];
    const found: string[] = [];
    const problems: string[] = [];
    for (const file of files) {
      // Commands quoted inside strings: "…`netcheck …`…" and template literals' \`netcheck …\`.
      const src = readFileSync(file, "utf8");
      const inStrings = [...src.matchAll(/"(?:[^"\\\n]|\\.)*"/g)].map((m) => m[0]);
      const inTemplates = [...src.matchAll(/\\`([^`\\]*)\\`/g)].map((m) => `\`${m[1]}\``);
      for (const c of [...inStrings, ...inTemplates].flatMap(netcheckCommandsIn).filter((x) => x.quoted)) {
        found.push(c.text);
        // A value filled in at run time (a run id) stands in as a sample; reports from real runs are checked in the integration tests.
        const why = await commandLineProblem(c.text.replace(/\$\{[^}]*\}/g, "abcde"));
        if (why) problems.push(`${file}: ${why}`);
      }
    }
    expect(found.length).toBeGreaterThan(5);
    expect(problems).toEqual([]);
  });
});
