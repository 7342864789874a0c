import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { STATE_DIR } from "./ledger.js";

/**
 * Machine-wide subnet claims: one file per subnet, created exclusively, so two
 * runs on one machine never pick the same range even before either has created
 * anything the other could see.
 */
const DIR = join(STATE_DIR, "subnets");

export function claimSubnet(subnet: string, runId: string): boolean {
  mkdirSync(DIR, { recursive: true });
  try {
    writeFileSync(join(DIR, subnet.replace("/", "_")), runId, { flag: "wx" });
    return true;
  } catch {
    return false;
  }
}

export function releaseSubnet(subnet: string, runId: string): void {
  const file = join(DIR, subnet.replace("/", "_"));
  try {
    if (readFileSync(file, "utf8") === runId) rmSync(file, { force: true });
  } catch {
    /* already gone */
  }
}

export function claimedSubnets(): { subnet: string; runId: string }[] {
  try {
    return readdirSync(DIR).map((f) => ({ subnet: f.replace("_", "/"), runId: readFileSync(join(DIR, f), "utf8") }));
  } catch {
    return [];
  }
}

export function claimFile(subnet: string): string {
  return join(DIR, subnet.replace("/", "_"));
}
