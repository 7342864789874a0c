import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cachedCompile } from "./compiled-cache.js";

describe("cachedCompile", () => {
  let dir: string;
  let before: string | undefined;
  let compiles: number;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "netcheck-cache-"));
    before = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = join(dir, "cache");
    compiles = 0;
  });
  afterEach(() => {
    if (before === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = before;
  });
  const entry = () => join(dir, "s.ts");
  const lib = () => join(dir, "lib.ts");
  const compile = (compiler = "c1") =>
    cachedCompile(entry(), compiler, async () => {
      compiles++;
      return { code: `compiled #${compiles}`, inputs: [entry(), lib()] };
    });

  it("compiles once, then serves the same code while every input is unchanged", async () => {
    writeFileSync(entry(), "a");
    writeFileSync(lib(), "b");
    expect(await compile()).toBe("compiled #1");
    expect(await compile()).toBe("compiled #1");
    expect(compiles).toBe(1);
  });

  it("compiles again when an imported file, a config file beside it, or the compiler changes", async () => {
    writeFileSync(entry(), "a");
    writeFileSync(lib(), "b");
    await compile();
    writeFileSync(lib(), "b2");
    expect(await compile()).toBe("compiled #2");
    writeFileSync(join(dir, "tsconfig.json"), "{}");
    expect(await compile()).toBe("compiled #3");
    expect(await compile("c2")).toBe("compiled #4");
    expect(await compile("c2")).toBe("compiled #4");
  });

  it("a compile that fails is not cached", async () => {
    writeFileSync(entry(), "a");
    await expect(cachedCompile(entry(), "c1", () => Promise.reject(new Error("syntax")))).rejects.toThrow("syntax");
    expect(await compile()).toBe("compiled #1");
  });
});
