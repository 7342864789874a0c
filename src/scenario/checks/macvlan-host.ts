import { execOk } from "../../host/host.js";
import { addMacvlanShim } from "../../lab/segment.js";
import type { NodeDecl, SegmentDecl } from "../../lab/topology.js";
import { icmpReach, type ReachResult } from "../../probes/reach.js";
import type { Evidence } from "../../report/model.js";
import type { CheckDecl } from "../define.js";
import { toEvidence } from "../context.js";
import { captureOnSegment, packetsEvidence } from "./macvlan-capture.js";
import { arrivalPoint, nodeLinkOn, probeFrom, startedSegment } from "./macvlan-common.js";
import { judgeReach } from "../../assert/reach.js";
import { outcomeNote, probeWithTargetCapture } from "./target-capture.js";

const HOST = { kind: "lab-host" } as const;

/**
 * The well-known surprise: frames the host sends through a macvlan parent go
 * out on the wire and never come back up into the parent's own macvlan
 * children. Proven against a control: over the same link and subnet the host
 * does reach the segment's peer. Needs `lab.segment(name, { hostAddress: true })`.
 */
export function hostCannotReachChildren(segment: SegmentDecl, node: NodeDecl, opts: { name?: string } = {}): CheckDecl {
  return {
    name: opts.name ?? `host-cannot-reach-its-macvlan-child-${node.name}`,
    category: "isolation",
    expectation: `the host, with an address on ${segment.name}'s parent, reaches the segment's peer but NOT its own macvlan child ${node.name}`,
    async run(ctx) {
      const seg = startedSegment(ctx, segment);
      if (!seg.hostAddress) return { status: "fail", reason: `segment ${segment.name} was declared without hostAddress: the host has no address on ${seg.link} to try from`, evidence: [] };
      const l = await nodeLinkOn(ctx, node, seg);
      const control = await probeFrom(ctx, HOST, icmpReach(seg.peer.address));
      const probe = icmpReach(l.ip);
      const child = await probeWithTargetCapture(ctx, probe.signature, { target: arrivalPoint(ctx, node) }, `host-to-${node.name}`, () => probeFrom(ctx, HOST, probe));
      const v = judgeReach({ mustReach: false, subject: `host ${seg.hostAddress} → its macvlan child ${node.name} at ${l.ip} (icmp)`, outcome: child.value.outcome, arrival: child.arrival });
      const evidence = [...l.evidence, control.evidence, ...child.evidence, outcomeNote(child.value, v.verdict)];
      if (!control.value.reached) return { status: "fail", reason: `inconclusive: the host (${seg.hostAddress} on ${seg.link}) cannot reach the peer ${seg.peer.address} either: ${control.value.detail}`, evidence };
      if (v.status !== "pass") return { status: "fail", reason: v.reason, evidence };
      return { status: "pass", reason: `host ${seg.hostAddress} → peer ${seg.peer.address}: ${control.value.detail}; → child ${node.name} ${l.ip}: ${v.reason} (parent ${seg.link})`, evidence };
    },
  };
}

/**
 * The standard fix: a macvlan "shim" on the host (bridge mode, same parent)
 * with routes to the children. The check adds it, proves each child answers,
 * removes it and proves it is gone (it is also in the scenario's cleanup).
 */
export function shimRestoresHostReach(segment: SegmentDecl, nodes: NodeDecl[], opts: { name?: string } = {}): CheckDecl {
  return {
    name: opts.name ?? `macvlan-shim-lets-the-host-reach-children-on-${segment.name}`,
    category: "reachability",
    expectation: `with a host macvlan shim on ${segment.name}'s parent and routes to ${nodes.map((n) => n.name).join(", ")}, the host reaches them`,
    async run(ctx) {
      const seg = startedSegment(ctx, segment);
      const evidence: Evidence[] = [];
      const ips: string[] = [];
      for (const n of nodes) {
        const l = await nodeLinkOn(ctx, n, seg);
        evidence.push(...l.evidence);
        ips.push(l.ip);
      }
      const shim = await addMacvlanShim(ctx.run, seg, ips.map((ip) => `${ip}/32`), ctx.lab.cleanup, ctx.signal);
      const problems: string[] = [];
      const seen: string[] = [];
      try {
        const view = await ctx.inspect(HOST, ["ip", "-d", "link", "show", "dev", shim.link]);
        evidence.push(view.evidence);
        for (const [i, ip] of ips.entries()) {
          const r = await probeFrom(ctx, HOST, icmpReach(ip));
          const route = await ctx.inspect(HOST, ["ip", "route", "get", ip]);
          evidence.push(r.evidence, route.evidence);
          if (!r.value.reached) problems.push(`through shim ${shim.link} the host still cannot reach ${nodes[i]!.name} (${ip}): ${r.value.detail}`);
          else seen.push(`${nodes[i]!.name} ${ip}`);
        }
      } finally {
        await shim.remove(ctx.signal);
      }
      const gone = await ctx.inspect(HOST, ["ip", "link", "show", "dev", shim.link]);
      evidence.push(gone.evidence);
      if (gone.result.exitCode === 0) problems.push(`shim ${shim.link} is still there after removal`);
      if (problems.length) return { status: "fail", reason: problems.join("; "), evidence };
      return { status: "pass", reason: `shim ${shim.link} (${shim.address}, macvlan bridge on ${seg.link}) → reached ${seen.join(", ")}; shim removed`, evidence };
    },
  };
}

/**
 * vepa sends even sibling-to-sibling frames out of the parent; they come back
 * only if the switch port reflects them (802.1Qbg "hairpin"/reflective relay).
 * A Linux bridge port does not by default, so: a ↛ b; the peer is still
 * reachable; with hairpin on at the lab switch port, a → b works and the
 * capture shows the frame crossing the switch. Hairpin is switched off again.
 */
export function vepaNeedsHairpin(segment: SegmentDecl, a: NodeDecl, b: NodeDecl, opts: { name?: string } = {}): CheckDecl {
  return {
    name: opts.name ?? `vepa-siblings-need-a-hairpin-switch-on-${segment.name}`,
    category: "isolation",
    expectation: `vepa on ${segment.name}: ${a.name} ↛ ${b.name} while the switch port has no hairpin; with hairpin, ${a.name} → ${b.name} crosses the switch`,
    async run(ctx) {
      const seg = startedSegment(ctx, segment);
      const la = await nodeLinkOn(ctx, a, seg);
      const lb = await nodeLinkOn(ctx, b, seg);
      const evidence: Evidence[] = [...la.evidence, ...lb.evidence];
      const hairpin = (on: boolean) => execOk(seg.peer.shell, ["ip", "link", "set", "dev", seg.peer.port, "type", "bridge_slave", "hairpin", on ? "on" : "off"], { signal: ctx.signal });
      const beforeProbe = icmpReach(lb.ip);
      const before = await probeWithTargetCapture(ctx, beforeProbe.signature, { target: arrivalPoint(ctx, b) }, `vepa-${a.name}-to-${b.name}-no-hairpin`, () => probeFrom(ctx, a, beforeProbe));
      const blocked = judgeReach({ mustReach: false, subject: `${a.name} → ${b.name} at ${lb.ip} without hairpin (icmp)`, outcome: before.value.outcome, arrival: before.arrival });
      const peer = await probeFrom(ctx, a, icmpReach(seg.peer.address));
      evidence.push(...before.evidence, outcomeNote(before.value, blocked.verdict), peer.evidence);
      const cap = await captureOnSegment(ctx, seg, `vepa-hairpin-${segment.name}`, `icmp and host ${la.ip} and host ${lb.ip}`);
      let after: Awaited<ReturnType<typeof probeFrom<ReachResult>>>;
      try {
        evidence.push(toEvidence(await hairpin(true)));
        // Three pings, not one: a's ARP entry for b may still be INCOMPLETE from the first try and turn FAILED
        // (dropping what it queued) a moment after hairpin goes on; a later ping re-resolves.
        after = await probeFrom(ctx, a, icmpReach(lb.ip, { count: 3 }));
        evidence.push(after.evidence);
      } catch (err) {
        await cap.stop().catch(() => undefined);
        throw err;
      } finally {
        await hairpin(false).catch(() => undefined);
      }
      const capture = await cap.stop();
      const crossing = capture.packets().filter((p) => p.icmp?.type === 8 && p.ip?.src === la.ip && p.ip?.dst === lb.ip && p.srcMac === la.mac && p.dstMac === lb.mac);
      evidence.push(packetsEvidence(capture, cap.file, `${segment.name} switch (${seg.namespace} br0), hairpin on`));
      const problems: string[] = [];
      if (before.value.reached) problems.push(`${a.name} reached ${b.name} without hairpin: the siblings talked inside the host, which vepa must not do`);
      else if (blocked.status !== "pass") problems.push(`without hairpin: ${blocked.reason}`);
      if (!peer.value.reached) problems.push(`${a.name} could not reach the peer ${seg.peer.address} either (${peer.value.detail}): the segment itself is broken`);
      if (!after.value.reached) problems.push(`with hairpin on, ${a.name} still could not reach ${b.name}: ${after.value.detail}`);
      if (after.value.reached && crossing.length === 0) problems.push(`${a.name} → ${b.name} worked with hairpin, but the switch capture shows no ${la.mac} > ${lb.mac} echo request`);
      if (problems.length) return { status: "fail", reason: problems.join("; "), evidence };
      return {
        status: "pass",
        reason: `no hairpin: ${a.name} → ${b.name} ${before.value.detail}, → peer ${peer.value.detail}; hairpin on: ${after.value.detail}, ${crossing.length} request(s) ${la.mac} > ${lb.mac} crossed the switch`,
        evidence,
      };
    },
  };
}
