import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { startBackground } from "../../host/background.js";
import type { StartedSegment } from "../../lab/segment.js";
import { Capture, formatSummaryLine, type Packet } from "../../pcap/index.js";
import type { PacketsEvidence } from "../../report/model.js";
import type { CheckContext } from "../context.js";

/**
 * A tcpdump on a segment's switch (br0 in the peer namespace), written into
 * the run's report folder. A promiscuous bridge device sees every frame the
 * switch forwards, not just the peer's own. Interim helper until src/capture
 * offers capture handles for namespaces; `timeout` bounds it if netcheck dies.
 */
export interface SegmentCapture {
  /** Path relative to the report folder. */
  file: string;
  stop(): Promise<Capture>;
}

export async function captureOnSegment(ctx: CheckContext, seg: StartedSegment, name: string, filter: string): Promise<SegmentCapture> {
  const rel = join("captures", `${ctx.lab.slug}-${name}.pcap`);
  const abs = join(ctx.reportDir, rel);
  await mkdir(dirname(abs), { recursive: true });
  // -Z root: Debian's tcpdump otherwise drops to a user that cannot write into the root-owned report folder.
  const argv = ["timeout", "60", "tcpdump", "-Z", "root", "-i", seg.peer.bridge, "-n", "--immediate-mode", "-U", "-w", abs, filter];
  const proc = await startBackground(seg.peer.shell, argv, { logFile: abs.replace(/\.pcap$/, ".log"), abort: ctx.signal });
  for (let waited = 0; !/listening on/.test(await proc.log()); waited += 50) {
    if (waited > 5000 || !(await proc.running())) {
      await proc.stop();
      throw new Error(`tcpdump on ${seg.peer.bridge} in ${seg.namespace} did not start: ${(await proc.log()).trim()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    file: rel,
    async stop() {
      // -U writes each packet as it comes; a short pause lets the last reply land before INT.
      await new Promise((r) => setTimeout(r, 200));
      await proc.stop({ signal: "INT" });
      return Capture.fromFile(abs);
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
