import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve, sep } from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";
import { ScenarioLoadError } from "./errors.js";
import { importUserFile, isDeclarationError } from "./import-user-file.js";
import { UsageError } from "../util/errors.js";
import { projectRoot } from "../util/version.js";
import { isScenario, type Scenario } from "./define.js";

/** Modes with built-in scenarios, in the order `--all` runs them. */
export const MODES = ["bridge", "host", "none", "container", "user-defined", "macvlan", "ipvlan", "overlay"] as const;

/** Running from source (vitest, tsx) we load scenarios/*.ts; from the build, dist/scenarios/*.js. */
const fromSource = fileURLToPath(import.meta.url).endsWith(".ts");

function builtinDir(): string {
  return fromSource ? join(projectRoot(), "scenarios") : join(projectRoot(), "dist", "scenarios");
}

export async function loadBuiltin(mode?: string): Promise<Scenario<object>[]> {
  const root = builtinDir();
  if (!existsSync(root)) throw new UsageError(`built-in scenarios not found at ${root}`, { hint: "Run `npm run build` in the netcheck folder." });
  const modes = mode ? [mode] : readdirSync(root).filter((d) => statSync(join(root, d)).isDirectory());
  const out: Scenario<object>[] = [];
  for (const m of modes) {
    const dir = join(root, m);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).sort()) {
      if (!/\.(ts|js)$/.test(f) || f.endsWith(".d.ts") || f.includes(".test.")) continue;
      out.push(...(await loadFile(join(dir, f))));
    }
  }
  const order = (s: Scenario<object>) => {
    const i = (MODES as readonly string[]).indexOf(s.mode);
    return i === -1 ? MODES.length : i;
  };
  return out.sort((a, b) => order(a) - order(b) || a.id.localeCompare(b.id));
}

/** A scenario file's default export (or every exported scenario); .ts and .js, in any package (see importUserFile). */
export async function loadFile(file: string): Promise<Scenario<object>[]> {
  const path = resolve(file);
  if (!existsSync(path)) throw new UsageError(`scenario file ${file} does not exist`, { hint: "Give a mode (`netcheck list`) or a path to a .ts/.js scenario file." });
  // From source (vitest, tsx) the runner's own loader handles TypeScript; from the build, user files go through esbuild.
  const mod = fromSource ? await importFromSource(path, file) : builtin(path) ? ((await import(pathToFileURL(path).href)) as Record<string, unknown>) : await importUserFile(path, file);
  const found = Object.values(mod).filter(isScenario) as Scenario<object>[];
  const unique = [...new Set(found)];
  if (unique.length === 0) throw new UsageError(`${file} exports no scenario`, { hint: 'Default-export `defineScenario({ id, mode, summary, lab, checks })` from "netcheck".' });
  return unique.map((s) => ({ ...s, file: path }));
}

const SCENARIO_FILE = /\.(ts|mts|js|mjs)$/;

/** A scenario file, or every scenario file under a folder (node_modules, dot-folders, .d.ts and tests left out). */
export async function loadPath(arg: string): Promise<Scenario<object>[]> {
  const path = resolve(arg);
  if (!existsSync(path) || !statSync(path).isDirectory()) return loadFile(arg);
  const files = scenarioFiles(path);
  if (files.length === 0) throw new UsageError(`no scenario files in ${arg}`, { hint: "Put .ts or .js files that default-export defineScenario({...}) there, or run `netcheck init` to write a starter." });
  const out: Scenario<object>[] = [];
  for (const f of files) out.push(...(await loadFile(f)));
  return out;
}

function scenarioFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...scenarioFiles(full));
    else if (SCENARIO_FILE.test(entry.name) && !/\.d\.[mc]?ts$/.test(entry.name) && !/\.(test|spec)\./.test(entry.name) && !/\.config\./.test(entry.name)) out.push(full);
  }
  return out;
}

/** Positional arguments of `netcheck run`: mode names or scenario files. */
export async function resolveScenarios(args: string[], all: boolean): Promise<Scenario<object>[]> {
  if (all) return loadBuiltin();
  if (args.length === 0) throw new UsageError("nothing to run", { hint: "Name modes (`netcheck run bridge host`), a scenario file, or --all. `netcheck list` shows them." });
  const out: Scenario<object>[] = [];
  for (const arg of args) {
    const mode = arg.startsWith("container:") ? "container" : arg;
    if ((/[/\\.]/.test(arg) || existsSync(arg)) && !(MODES as readonly string[]).includes(mode)) {
      out.push(...(await loadPath(arg)));
      continue;
    }
    const found = await loadBuiltin(mode);
    if (found.length === 0) {
      const known = [...new Set((await loadBuiltin()).map((s) => s.mode))];
      throw new UsageError(`unknown mode "${arg}"`, { hint: `Known modes: ${known.join(", ")}. Or give a path to a scenario file.` });
    }
    out.push(...found);
  }
  return [...new Map(out.map((s) => [s.id, s])).values()];
}

/** netcheck's own compiled scenarios (dist/scenarios) are plain ES modules of this package. */
function builtin(path: string): boolean {
  return path.startsWith(builtinDir() + sep) && path.endsWith(".js");
}

async function importFromSource(path: string, shown: string): Promise<Record<string, unknown>> {
  try {
    return (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (err) {
    if (isDeclarationError(err)) throw err.within({ file: shown });
    if ((err as { code?: string }).code?.startsWith("NETCHECK_")) throw err;
    throw new ScenarioLoadError(`cannot load scenario file ${shown}: ${(err as Error).message}`, { cause: err, hint: "Check the file compiles and default-exports defineScenario({...})." });
  }
}
