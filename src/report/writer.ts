import { mkdir, rename, rm, symlink, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { randomBytes } from "node:crypto";
import { throwIfAborted } from "../util/abort.js";
import { renderHtml } from "./html/render-html.js";
import { renderJunit } from "./junit.js";
import type { RunResult } from "./model.js";

export interface WriteReportOptions {
  /** Parent of the run folders; default "reports". */
  baseDir?: string;
  /** Write index.html (default true). */
  html?: boolean;
  /** Also write the JUnit XML here (e.g. --junit out.xml); junit.xml in the run folder is always written. */
  junitPath?: string;
  /** Also write results.json here. */
  jsonPath?: string;
  signal?: AbortSignal;
}

export interface WrittenReport {
  /** The run folder, `<baseDir>/<runId>`. */
  dir: string;
  /** Every file written, including the extra copies. */
  files: string[];
  /** The run with `reportDir` set, as written to results.json. */
  run: RunResult;
}

/**
 * The one report module that touches the disk. Writes results.json, junit.xml and
 * index.html into `<baseDir>/<runId>/` (the runner has already put pcaps and
 * logs there) and points `<baseDir>/latest` at it.
 */
export async function writeRunReport(input: RunResult, opts: WriteReportOptions = {}): Promise<WrittenReport> {
  const baseDir = opts.baseDir ?? "reports";
  const dir = join(baseDir, input.runId);
  const run: RunResult = { ...input, reportDir: dir };
  await mkdir(dir, { recursive: true });
  const json = `${JSON.stringify(run, null, 2)}\n`;
  const junit = renderJunit(run);
  const outputs: [string, string][] = [
    [join(dir, "results.json"), json],
    [join(dir, "junit.xml"), junit],
  ];
  if (opts.html !== false) outputs.push([join(dir, "index.html"), renderHtml(run)]);
  if (opts.junitPath) outputs.push([opts.junitPath, junit]);
  if (opts.jsonPath) outputs.push([opts.jsonPath, json]);
  for (const [file, text] of outputs) {
    throwIfAborted(opts.signal);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, text, { encoding: "utf8", signal: opts.signal });
  }
  await pointLatest(baseDir, dir);
  return { dir, files: outputs.map(([f]) => f), run };
}

/** rename(2) over the old link is atomic: a reader sees the old run or the new one, never no link. */
async function pointLatest(baseDir: string, dir: string): Promise<void> {
  const link = join(baseDir, "latest");
  const tmp = join(baseDir, `.latest-${randomBytes(4).toString("hex")}`);
  await symlink(relative(baseDir, dir), tmp);
  try {
    await rename(tmp, link);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
