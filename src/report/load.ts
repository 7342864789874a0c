import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { NetcheckError } from "../util/errors.js";
import { RESULTS_SCHEMA_VERSION, type RunResult } from "./model.js";

/** The file given to `netcheck report` is not a results file this version can read. */
export class ResultsFileError extends NetcheckError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super("NETCHECK_RESULTS_FILE", message, options);
  }
}

/**
 * Checks that parsed JSON is a netcheck RunResult of a schema version we read.
 * Only the shape renderers depend on is checked: later versions add optional fields.
 */
export function parseRunResult(text: string, source: string): RunResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ResultsFileError(`${source} is not a netcheck results file: it is not valid JSON.`, {
      hint: "Pass the results.json from a report folder, e.g. reports/latest/results.json.",
      cause: err,
    });
  }
  const r = data as Partial<RunResult> | null;
  if (typeof r !== "object" || r === null || (r.tool as { name?: string } | undefined)?.name !== "netcheck" || !("schemaVersion" in r)) {
    throw new ResultsFileError(`${source} is not a netcheck results file: it has no "schemaVersion" and "tool.name": "netcheck".`, {
      hint: "Pass the results.json from a report folder, e.g. reports/latest/results.json.",
    });
  }
  if (r.schemaVersion !== RESULTS_SCHEMA_VERSION) {
    throw new ResultsFileError(`${source} has results schema version ${String(r.schemaVersion)}; this netcheck reads version ${RESULTS_SCHEMA_VERSION}.`, {
      hint: "Re-render it with the netcheck version that wrote it (see its tool.version).",
    });
  }
  if (!Array.isArray(r.scenarios) || typeof r.runId !== "string" || typeof r.totals !== "object" || !Array.isArray(r.errors)) {
    throw new ResultsFileError(`${source} is a damaged netcheck results file: "runId", "scenarios", "totals" or "errors" is missing.`);
  }
  return r as RunResult;
}

/** Reads a results file; a report folder (or `reports/latest`) means its results.json. */
export async function readRunResult(path: string, opts: { signal?: AbortSignal } = {}): Promise<RunResult> {
  let file = path;
  try {
    if ((await stat(path)).isDirectory()) file = join(path, "results.json");
    return parseRunResult(await readFile(file, { encoding: "utf8", signal: opts.signal }), file);
  } catch (err) {
    if (err instanceof ResultsFileError) throw err;
    throw new ResultsFileError(`Cannot read results file ${file}: ${(err as Error).message}`, {
      hint: "Check the path; runs write reports/<runId>/results.json and reports/latest points at the last one.",
      cause: err,
    });
  }
}
