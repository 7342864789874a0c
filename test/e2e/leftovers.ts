/**
 * The e2e form of "nothing left behind" (the scan itself is test/support/leftovers.ts):
 * whatever is found is swept with `netcheck clean --run <id> --force` before
 * the assertion fails, so one failing test does not poison the next.
 */
import { execa } from "execa";
import { BIN } from "./cli.js";
import { findLeftovers, strictLeftovers } from "../support/leftovers.js";

export { findLeftovers, strictLeftovers, type Leftover } from "../support/leftovers.js";

/** Throws (after cleaning up) when anything of these runs is still there. */
export async function assertNothingLeftBehind(runIds: string[]): Promise<void> {
  const left = await findLeftovers(runIds);
  if (left.length === 0) return;
  const ids = new Set(left.map((l) => l.runId).filter((x): x is string => Boolean(x)));
  for (const id of ids) await execa("node", [BIN, "clean", "--run", id, "--force"], { reject: false });
  if (strictLeftovers) await execa("node", [BIN, "clean", "--force"], { reject: false });
  throw new Error(`left behind by runs ${[...ids].join(", ") || "(unknown)"}:\n  ${left.map((l) => l.what).join("\n  ")}`);
}
