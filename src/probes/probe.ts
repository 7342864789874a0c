import type { ExecResult } from "../host/host.js";

/**
 * A probe builds one command to run on a node (or a host) and parses its output
 * with a pure function. Probes never import the engine: the scenario runner
 * executes `command` through a Host and hands the ExecResult to `parse`.
 */
export interface Probe<T> {
  /** Short name used in evidence: "ping", "tcp-connect", "iperf3". */
  name: string;
  /** The addresses the probe sends traffic to; the runner refuses any outside the lab. */
  targets: string[];
  command: string[];
  timeoutMs: number;
  parse(result: ExecResult): T;
}
