import type { LabHost } from "../lab/lab-host.js";
import { formatSummaryLine, type Capture, type Packet } from "../pcap/index.js";
import type { PacketsEvidence } from "../report/model.js";
import type { CaptureEnv } from "./capture.js";
import { captureDuring } from "./flow-capture.js";

export interface HostCapture<T> {
  value: T;
  capture: Capture;
  /** Relative to the report folder. */
  file: string;
  evidence(packets: Packet[], label: string): PacketsEvidence;
}

/**
 * tcpdump on a lab host's link (local, VM or dind: a remote file is copied
 * out over the host's command channel) while `action` runs, through the one
 * capture layer: confirmed start, bounded by `timeout`, registered in the
 * scenario's cleanup, written under the run's report folder.
 */
export async function captureOnHost<T>(
  env: CaptureEnv,
  labHost: LabHost,
  opts: { iface: string; filter: string; name: string; signal?: AbortSignal },
  action: () => Promise<T>,
): Promise<HostCapture<T>> {
  const { value, files } = await captureDuring(env, [{ point: { kind: "host", labHost, iface: opts.iface }, name: opts.name, filter: opts.filter, maxSeconds: 120 }], async () => {
    const v = await action();
    // -U writes each packet as it comes; a short pause lets the last reply land before SIGINT.
    await new Promise((r) => setTimeout(r, 300));
    return v;
  }, { signal: opts.signal });
  const f = files[0]!;
  return {
    value,
    capture: f.capture,
    file: f.relPath,
    evidence: (packets, label) => ({ kind: "packets", capture: label, file: f.relPath, lines: packets.slice(0, 12).map((p) => formatSummaryLine(p)), total: packets.length }),
  };
}
