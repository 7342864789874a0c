import { randomBytes } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { DeclarationError } from "../util/errors.js";
import { cachedCompile, type Compiled } from "./compiled-cache.js";
import { ScenarioLoadError } from "./errors.js";

interface EsbuildMessage {
  text: string;
  location?: { file: string; line: number; column: number; lineText: string } | null;
}

/**
 * Load a user's scenario file (.ts, .mts, .js, .mjs) as an ES module, whatever
 * their package.json says. esbuild bundles the file with its relative imports
 * into one ES module written beside it (so "netcheck" and their own packages
 * resolve from their folder, as vite does with vite.config.ts) and we import
 * that. A loader that follows the package's "type" (tsx) compiles a .ts file in
 * a plain package to CommonJS, then has to require() netcheck's ESM-only
 * dependencies, which fails with a misleading `No "exports" main defined`.
 */
export async function importUserFile(path: string, shown: string): Promise<Record<string, unknown>> {
  const code = await compile(path, shown);
  const temp = join(dirname(path), `.${basename(path)}.netcheck-${process.pid}-${randomBytes(3).toString("hex")}.mjs`);
  try {
    writeFileSync(temp, code);
  } catch (err) {
    throw new ScenarioLoadError(`cannot load scenario file ${shown}: cannot write its compiled copy beside it (${(err as Error).message})`, {
      cause: err,
      hint: "netcheck compiles a scenario next to the file, so its imports resolve from its folder: make the folder writable.",
    });
  }
  try {
    return (await import(pathToFileURL(temp).href)) as Record<string, unknown>;
  } catch (err) {
    throw runtimeError(err, shown, temp, path);
  } finally {
    rmSync(temp, { force: true });
  }
}

const BUILD_OPTIONS = { bundle: true, packages: "external", format: "esm", platform: "node", target: "node20", sourcemap: "inline" } as const;

/** The compiled module's text; esbuild runs only when a file it read (or a tsconfig/package.json) changed since the last run. */
function compile(path: string, shown: string): Promise<string> {
  const require = createRequire(import.meta.url);
  const esbuildVersion = (JSON.parse(readFileSync(require.resolve("esbuild/package.json"), "utf8")) as { version: string }).version;
  return cachedCompile(path, `esbuild ${esbuildVersion} ${JSON.stringify(BUILD_OPTIONS)}`, () => build(path, shown));
}

async function build(path: string, shown: string): Promise<Compiled> {
  const esbuild = await import("esbuild");
  const absWorkingDir = dirname(path);
  try {
    const out = await esbuild.build({ ...BUILD_OPTIONS, entryPoints: [path], absWorkingDir, metafile: true, write: false, logLevel: "silent" });
    const file = out.outputFiles[0];
    if (!file) throw new Error("esbuild produced no output");
    return { code: file.text, inputs: Object.keys(out.metafile.inputs).map((p) => resolve(absWorkingDir, p)) };
  } catch (err) {
    const errors = (err as { errors?: EsbuildMessage[] }).errors;
    const first = errors?.[0];
    const where = first?.location ? `${relative(process.cwd(), first.location.file) || shown}:${first.location.line}:${first.location.column + 1}` : shown;
    const detail = first ? `${where}: ${first.text}${first.location?.lineText ? `\n    ${first.location.lineText.trim()}` : ""}` : (err as Error).message;
    throw new ScenarioLoadError(`cannot compile scenario file ${shown}: ${detail}`, {
      cause: first ? undefined : err,
      hint: "Fix the syntax error above; `npx tsc --noEmit` (with the tsconfig.json from `netcheck init`) shows type errors too.",
    });
  }
}

function runtimeError(err: unknown, shown: string, temp: string, path: string): Error {
  if (isDeclarationError(err)) return err.within({ file: shown });
  if (err instanceof ScenarioLoadError || (err as { code?: string }).code?.startsWith("NETCHECK_")) return err as Error;
  const message = (err as Error).message?.split(temp).join(path) ?? String(err);
  // The compiled copy is gone: every message (the cause's too) names the user's file.
  if (err instanceof Error) err.message = message;
  const code = (err as { code?: string }).code;
  const missing = code === "ERR_MODULE_NOT_FOUND" ? /Cannot find (?:package|module) '([^']+)'/.exec(message)?.[1] : undefined;
  const hint =
    missing === "netcheck"
      ? "Install netcheck in the scenario's project (`npm install --save-dev netcheck`, or the packed .tgz), so `import ... from \"netcheck\"` resolves from the file's folder."
      : missing
        ? `Install "${missing}" in the scenario's project, or fix the import path.`
        : "The file threw while it was being evaluated: see the cause; a scenario file should only declare (defineScenario({...})).";
  return new ScenarioLoadError(`cannot load scenario file ${shown}: ${message}`, { cause: err, hint });
}

/** By code, not instanceof: a scenario may have been given its own copy of netcheck. */
export function isDeclarationError(err: unknown): err is DeclarationError {
  return (err as { code?: string })?.code === "NETCHECK_SCENARIO_INVALID" && typeof (err as DeclarationError).within === "function";
}
