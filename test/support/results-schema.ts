/**
 * The published results.json schema (schema/results.schema.json, shipped in the
 * package as "netcheck/results.schema.json"), compiled once; tests validate
 * real runs' results against it.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv, type ValidateFunction } from "ajv";

export const RESULTS_SCHEMA_PATH = join(resolve(fileURLToPath(import.meta.url), "../../.."), "schema", "results.schema.json");

/** The schema's complaints about `value` (empty when it is valid), one line each. */
const compiled = new Map<string, ValidateFunction>();

export function schemaErrors(value: unknown, schemaPath = RESULTS_SCHEMA_PATH): string[] {
  let validate = compiled.get(schemaPath);
  if (!validate) {
    validate = new Ajv({ allErrors: true, strict: true, strictRequired: false }).compile(JSON.parse(readFileSync(schemaPath, "utf8")) as object);
    compiled.set(schemaPath, validate);
  }
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""} ${JSON.stringify(e.params)}`);
}
