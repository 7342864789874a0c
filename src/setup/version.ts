import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

/**
 * netcheck's version from its package.json, found by walking up from this
 * file: the same code runs from src/ (vitest, tsx) and from dist/src/.
 */
export function netcheckVersion(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "netcheck" && pkg.version) return (cached = pkg.version);
    } catch {
      // no package.json here
    }
    const up = dirname(dir);
    if (up === dir) throw new Error("cannot find netcheck's package.json above " + fileURLToPath(import.meta.url));
    dir = up;
  }
}
