import { startCapture } from "../../capture/index.js";
import type { StartedSegment } from "../../lab/segment.js";
import { Capture, formatSummaryLine, type Packet } from "../../pcap/index.js";
import type { PacketsEvidence } from "../../report/model.js";
import type { CheckContext } from "../context.js";

/**
 * A capture on a segment's switch (br0 in the peer namespace), through the
 * shared capture layer: confirmed start, bounded by `timeout`, stopped by the
 * scenario's cleanup, written under the run's report folder. A promiscuous
 * bridge device sees every frame the switch forwards, not just the peer's own.
 */
export interface SegmentCapture {
  /** Path relative to the report folder. */
  file: string;
  stop(): Promise<Capture>;
}

export async function captureOnSegment(ctx: CheckContext, seg: StartedSegment, name: string, filter: string): Promise<SegmentCapture> {
  const cap = await startCapture(ctx, { kind: "netns", shell: seg.peer.shell, labHost: seg.labHost, iface: seg.peer.bridge }, { name, filter, maxSeconds: 60, signal: ctx.signal });
  return {
    file: cap.relPath,
    async stop() {
      // -U writes each packet as it comes; a short pause lets the last reply land before INT.
      await new Promise((r) => setTimeout(r, 200));
      return (await cap.stop()).capture;
    },
  };
}

/** Decoded packets as evidence lines, MACs first: the point of a macvlan capture is who sent each frame. */
export function packetsEvidence(capture: Capture, file: string, label: string, packets: Packet[] = capture.packets()): PacketsEvidence {
  return {
    kind: "packets",
    capture: label,
    file,
    lines: packets.slice(0, 40).map((p) => `${p.srcMac ?? "?"} > ${p.dstMac ?? "?"} ${formatSummaryLine(p)}`),
    total: capture.length,
  };
}
