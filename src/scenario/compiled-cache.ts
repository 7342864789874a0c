import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

/**
 * A user's scenario file as esbuild last compiled it, kept between runs: on a
 * hit netcheck neither loads esbuild nor starts its service process, which was
 * a fifth of a small run's process time (issue 12). An entry holds the hash of
 * every file the bundle read and of every tsconfig.json, jsconfig.json and
 * package.json in those files' folders and above (they change how a file
 * compiles and resolves); it is used only while all of them still hash the
 * same. Kept in the user's cache folder (not /tmp, where another user could
 * plant code); any trouble with it just means compiling again.
 */
export interface Compiled {
  code: string;
  /** Absolute paths of the files the bundle was made from. */
  inputs: string[];
}

interface Entry {
  code: string;
  hashes: Record<string, string>;
}

const CONFIG_FILES = ["tsconfig.json", "jsconfig.json", "package.json"];

export function compiledCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "netcheck", "compiled");
}

/** The code compiled from `path` by `compiler` (a fingerprint of the compiler and its options), from the cache or from `compile`. */
export async function cachedCompile(path: string, compiler: string, compile: () => Promise<Compiled>): Promise<string> {
  const file = join(compiledCacheDir(), `${sha256(`${path}\0${compiler}`).slice(0, 40)}.json`);
  const hit = read(file);
  if (hit && Object.entries(hit.hashes).every(([p, h]) => hashOf(p) === h)) return hit.code;
  const out = await compile();
  const watched = new Set(out.inputs);
  for (const input of out.inputs) for (let dir = dirname(input); ; dir = dirname(dir)) {
    for (const name of CONFIG_FILES) watched.add(join(dir, name));
    if (dirname(dir) === dir) break;
  }
  const hashes = Object.fromEntries([...watched].map((p) => [p, hashOf(p)]));
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify({ code: out.code, hashes } satisfies Entry), { mode: 0o600 });
    renameSync(temp, file);
  } catch {
    // No cache folder (read-only home): the next run compiles again.
  }
  return out.code;
}

function read(file: string): Entry | undefined {
  try {
    const e = JSON.parse(readFileSync(file, "utf8")) as Entry;
    return typeof e.code === "string" && e.hashes && typeof e.hashes === "object" ? e : undefined;
  } catch {
    return undefined;
  }
}

/** The content hash of a file, or "absent" (a config file that appears later must invalidate too). */
function hashOf(path: string): string {
  try {
    return sha256(readFileSync(path));
  } catch {
    return "absent";
  }
}

const sha256 = (x: string | Buffer) => createHash("sha256").update(x).digest("hex");
