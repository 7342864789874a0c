import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { starterFiles, type StarterFile } from "./files.js";

export interface InitResult {
  written: StarterFile[];
  /** Files that already existed and were left as they are (no --force). */
  kept: StarterFile[];
  /** The folder has no package.json: netcheck is not installed there yet. */
  needsPackageJson: boolean;
}

/** Write the starter files into `dir`; existing files are kept unless `force`. */
export function initProject(dir: string, opts: { force?: boolean } = {}): InitResult {
  const written: StarterFile[] = [];
  const kept: StarterFile[] = [];
  for (const file of starterFiles()) {
    const target = join(dir, file.path);
    if (existsSync(target) && !opts.force) {
      kept.push(file);
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content);
    written.push(file);
  }
  return { written, kept, needsPackageJson: !existsSync(join(dir, "package.json")) };
}
