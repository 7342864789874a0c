import type { Engine } from "../engine/engine.js";
import type { Host } from "../host/host.js";
import type { Facts } from "./facts.js";

export type FindingStatus = "ok" | "warn" | "fail" | "skip";
export type DoctorArea = "engine" | "kernel" | "sysctl" | "firewall" | "network" | "dns" | "ports" | "overlay";

/** Where a finding's claim comes from: the command run (or file read) and what it said. */
export interface FindingEvidence {
  source: string;
  value: string;
}

/** A safe, reversible change `--fix` may apply after asking; `undo` restores the previous state. */
export interface FixAction {
  describe: string;
  commands: string[][];
  undo: string[][];
}

export interface Finding {
  /** Stable id: `<check id>/<subject>`, e.g. `sysctl/ip-forward`, `kernel/ipvlan`. */
  id: string;
  area: DoctorArea;
  status: FindingStatus;
  title: string;
  evidence: FindingEvidence[];
  /** The command to run or the setting to change, in words a user can paste. */
  fix?: string;
  fixAction?: FixAction;
}

export interface DoctorContext {
  host: Host;
  engine?: Engine;
  signal: AbortSignal;
  facts: Facts;
}

export interface DoctorCheck {
  id: string;
  area: DoctorArea;
  title: string;
  run(ctx: DoctorContext): Promise<Finding[]>;
}

export const AREA_ORDER: readonly DoctorArea[] = ["engine", "kernel", "sysctl", "firewall", "network", "dns", "ports", "overlay"];
