import type { NodeDecl, SegmentDecl } from "../../lab/topology.js";
import { icmpReach } from "../../probes/reach.js";
import type { Evidence } from "../../report/model.js";
import type { CheckDecl } from "../define.js";
import { captureOnSegment, packetsEvidence } from "./macvlan-capture.js";
import { addressOf, arrivalPoint, nodeLinkOn, peerOf, probeFrom, segmentEndpointLabel, startedSegment, type NodeLink, type SegmentEndpoint } from "./macvlan-common.js";
import { judgeReach } from "../../assert/reach.js";
import { outcomeNote, probeWithTargetCapture } from "./target-capture.js";

export { peerOf, type SegmentEndpoint, type SegmentPeerRef } from "./macvlan-common.js";
export { macvlanInterface, distinctMacs } from "./macvlan-kernel.js";
export { hostCannotReachChildren, shimRestoresHostReach, vepaNeedsHairpin } from "./macvlan-host.js";

/**
 * Check factories for macvlan on a lab segment. Each returns a CheckDecl; the
 * addresses they aim at exist only once the lab is up, so every target is
 * looked up at run time.
 */

/** `from` must (or must not) reach `to` by ICMP on `segment`; either end may be a node or the segment's peer. */
export function segmentReach(segment: SegmentDecl, from: SegmentEndpoint, to: SegmentEndpoint, mustReach: boolean, opts: { name?: string } = {}): CheckDecl {
  const [a, b] = [segmentEndpointLabel(from), segmentEndpointLabel(to)];
  return {
    name: opts.name ?? `${a}-${mustReach ? "reaches" : "cannot-reach"}-${b}-on-${segment.name}`,
    category: mustReach ? "reachability" : "isolation",
    expectation: `${a} → ${b} on segment ${segment.name} (icmp) must ${mustReach ? "" : "NOT "}connect`,
    async run(ctx) {
      const seg = startedSegment(ctx, segment);
      const ip = await addressOf(ctx, to, seg);
      const probe = icmpReach(ip);
      // A negative needs to know whether the probe arrived: capture where it would.
      const places = mustReach ? {} : { target: arrivalPoint(ctx, to) };
      const r = await probeWithTargetCapture(ctx, probe.signature, places, `${a}-to-${b}`, () => probeFrom(ctx, from, probe));
      const v = judgeReach({ mustReach, subject: `${a} → ${b} at ${ip} on segment ${segment.name} (icmp)`, outcome: r.value.outcome, arrival: r.arrival });
      return { status: v.status, reason: v.reason, evidence: [...r.evidence, outcomeNote(r.value, v.verdict)] };
    },
  };
}

/**
 * Each node talks to the segment's peer; a capture on the peer's switch must
 * show every node's frames with the node's own MAC and its own IP (no NAT, no
 * proxying by the host), and the peer's replies addressed straight back to
 * that MAC.
 */
export function seenWithOwnMac(segment: SegmentDecl, nodes: NodeDecl[], opts: { name?: string } = {}): CheckDecl {
  const names = nodes.map((n) => n.name).join(", ");
  return {
    name: opts.name ?? `peer-sees-own-macs-on-${segment.name}`,
    category: "topology",
    expectation: `the peer on ${segment.name} sees ${names} with their own MACs and IPs (captured), no NAT`,
    async run(ctx) {
      const seg = startedSegment(ctx, segment);
      const evidence: Evidence[] = [];
      const links = new Map<string, NodeLink>();
      for (const n of nodes) {
        const l = await nodeLinkOn(ctx, n, seg);
        links.set(n.name, l);
        evidence.push(...l.evidence);
      }
      const cap = await captureOnSegment(ctx, seg, `peer-sees-${segment.name}`, "icmp or arp");
      const problems: string[] = [];
      try {
        for (const n of nodes) {
          const out = await probeFrom(ctx, n, icmpReach(seg.peer.address));
          const back = await probeFrom(ctx, peerOf(segment), icmpReach(links.get(n.name)!.ip));
          evidence.push(out.evidence, back.evidence);
          if (!out.value.reached) problems.push(`${n.name} could not ping the peer ${seg.peer.address}: ${out.value.detail}`);
          if (!back.value.reached) problems.push(`the peer could not ping ${n.name}: ${back.value.detail}`);
        }
      } catch (err) {
        await cap.stop().catch(() => undefined);
        throw err;
      }
      const capture = await cap.stop();
      const echoes = capture.packets().filter((p) => p.icmp && p.ip);
      const lines: string[] = [];
      for (const n of nodes) {
        const l = links.get(n.name)!;
        const requests = echoes.filter((p) => p.icmp!.type === 8 && p.ip!.src === l.ip && p.ip!.dst === seg.peer.address);
        const replies = echoes.filter((p) => p.icmp!.type === 0 && p.ip!.src === seg.peer.address && p.ip!.dst === l.ip);
        if (requests.length === 0) problems.push(`no echo request from ${n.name}'s own address ${l.ip} reached the peer`);
        const wrongSrc = requests.filter((p) => p.srcMac !== l.mac);
        if (wrongSrc.length) problems.push(`${n.name}'s requests arrived from MAC ${wrongSrc[0]!.srcMac}, not its own ${l.mac}`);
        if (replies.length === 0) problems.push(`the peer sent no echo reply to ${l.ip}`);
        else if (replies.some((p) => p.dstMac !== l.mac)) problems.push(`the peer's replies to ${n.name} went to MAC ${replies.find((p) => p.dstMac !== l.mac)!.dstMac}, not ${l.mac}`);
        lines.push(`${n.name}: ${l.ip} ${l.mac} (${requests.length} requests, ${replies.length} replies)`);
      }
      // No NAT: every echo request the peer got came from one of the nodes' own addresses.
      const own = new Set([...links.values()].map((l) => l.ip));
      const foreign = echoes.filter((p) => p.icmp!.type === 8 && p.ip!.dst === seg.peer.address && !own.has(p.ip!.src));
      if (foreign.length) problems.push(`echo requests from ${[...new Set(foreign.map((p) => p.ip!.src))].join(", ")} reached the peer: rewritten sources?`);
      evidence.push(packetsEvidence(capture, cap.file, `${segment.name} switch (${seg.namespace} br0)`));
      evidence.push({ kind: "note", text: `parent ${seg.link}; ${lines.join("; ")}` });
      if (problems.length) return { status: "fail", reason: problems.join("; "), evidence };
      return { status: "pass", reason: `captured at the peer: ${lines.join("; ")}`, evidence };
    },
  };
}
