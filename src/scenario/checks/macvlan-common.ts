import type { Host } from "../../host/host.js";
import type { StartedSegment } from "../../lab/segment.js";
import type { NodeDecl, SegmentDecl } from "../../lab/topology.js";
import { parseIpAddr } from "../../probes/net-info.js";
import type { Probe } from "../../probes/probe.js";
import type { CommandEvidence } from "../../report/model.js";
import { cidrContains, parseCidr } from "../../util/ipv4.js";
import { toEvidence, type CheckContext } from "../context.js";
import type { CapturePlace } from "./target-capture.js";

/** The peer machine on a lab segment (its switch namespace). */
export interface SegmentPeerRef {
  kind: "segment-peer";
  segment: SegmentDecl;
}

export type SegmentEndpoint = NodeDecl | SegmentPeerRef;

export function peerOf(segment: SegmentDecl): SegmentPeerRef {
  return { kind: "segment-peer", segment };
}

export function segmentEndpointLabel(e: SegmentEndpoint): string {
  return e.kind === "node" ? e.name : `${e.segment.name}-peer`;
}

export function startedSegment(ctx: CheckContext, decl: SegmentDecl): StartedSegment {
  const s = ctx.lab.segments.get(decl.name);
  if (!s) throw new Error(`segment "${decl.name}" is not part of this scenario's lab`);
  return s;
}

export interface NodeLink {
  iface: string;
  ip: string;
  mac: string;
  evidence: CommandEvidence[];
}

/** The node's interface on `segment`'s subnet, as its own kernel reports it (not the engine's bookkeeping). */
export async function nodeLinkOn(ctx: CheckContext, node: NodeDecl, seg: StartedSegment): Promise<NodeLink> {
  const addr = await ctx.inspect(node, ["ip", "-o", "-4", "addr"]);
  const mine = parseIpAddr(addr.result.stdout).find((a) => cidrContains(parseCidr(seg.subnet), a.address));
  if (!mine) throw new Error(`node "${node.name}" has no address in ${seg.subnet} (segment "${seg.name}"): ${addr.result.stdout.trim()}`);
  const mac = await ctx.inspect(node, ["cat", `/sys/class/net/${mine.dev}/address`]);
  return { iface: mine.dev, ip: mine.address, mac: mac.result.stdout.trim(), evidence: [addr.evidence, mac.evidence] };
}

export async function addressOf(ctx: CheckContext, e: SegmentEndpoint, seg: StartedSegment): Promise<string> {
  return e.kind === "segment-peer" ? startedSegment(ctx, e.segment).peer.address : (await nodeLinkOn(ctx, e, seg)).ip;
}

/** ctx.probe for nodes; for a segment peer the same target safety check, run in its namespace. */
export async function probeFrom<T>(ctx: CheckContext, from: SegmentEndpoint | { kind: "lab-host" }, probe: Probe<T>): Promise<{ value: T; evidence: CommandEvidence }> {
  if (from.kind !== "segment-peer") return ctx.probe(from, probe);
  const shell: Host = startedSegment(ctx, from.segment).peer.shell;
  for (const t of probe.targets) ctx.run.assertTarget(t, `${probe.name} probe from ${segmentEndpointLabel(from)}`);
  const result = await shell.exec(probe.command, { signal: ctx.signal, timeoutMs: probe.timeoutMs });
  return { value: probe.parse(result), evidence: toEvidence(result) };
}

/** Where a probe toward a segment endpoint arrives: the node's namespace, or the peer's switch (br0). */
export function arrivalPoint(ctx: CheckContext, e: SegmentEndpoint): CapturePlace {
  if (e.kind === "segment-peer") {
    const own = startedSegment(ctx, e.segment);
    return { point: { kind: "netns", shell: own.peer.shell, labHost: own.labHost, iface: own.peer.bridge }, where: `${segmentEndpointLabel(e)} (${own.peer.bridge})` };
  }
  return { point: { kind: "node", node: ctx.node(e), iface: "any" }, where: `${e.name}'s namespace` };
}
