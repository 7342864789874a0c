import { countProbePackets, type TargetArrival } from "../../assert/reach.js";
import { startCapture, type CapturePoint, type StartedCapture } from "../../capture/index.js";
import type { ProbeSignature } from "../../probes/reach.js";
import type { Evidence } from "../../report/model.js";
import { errorMessage } from "../../util/errors.js";
import { isIpv4 } from "../../util/ipv4.js";
import type { CheckContext } from "../context.js";
import type { Endpoint, Target } from "../targets.js";

/**
 * A capture at the probed side of a negative check, so that "no answer" can be
 * told apart from "arrived, the reply was lost". Where the target has no
 * capture point this returns undefined, and a timeout stays inconclusive.
 */
export interface TargetCapture {
  where: string;
  finish(): Promise<{ arrival?: TargetArrival; evidence: Evidence[] }>;
}

export async function startTargetCapture(ctx: CheckContext, from: Endpoint, to: Target, address: string, sig: ProbeSignature, name: string): Promise<TargetCapture | undefined> {
  const point = await capturePointFor(ctx, from, to, address);
  if (!point) return undefined;
  const filter = sig.proto === "tcp" ? `tcp port ${sig.srcPort}` : `icmp and ip[2:2] = ${(sig.payloadSize ?? 0) + 28}`;
  let cap: StartedCapture;
  try {
    cap = await startCapture(ctx, point.point, { name, filter, maxSeconds: 60, description: `${point.where}: the probe's own packets`, signal: ctx.signal });
  } catch (err) {
    return { where: point.where, finish: async () => ({ evidence: [{ kind: "note", text: `no capture at ${point.where}: ${errorMessage(err)}` }] }) };
  }
  return {
    where: point.where,
    async finish() {
      const file = await cap.stop();
      const packets = file.capture.packets();
      const counts = countProbePackets(packets, sig);
      const lines = packets.slice(0, 20).map((p) => `${p.ip?.src ?? "?"} > ${p.ip?.dst ?? "?"} ${p.tcp ? `tcp ${p.tcp.srcPort} > ${p.tcp.dstPort} [${p.tcp.flagsText}]` : p.icmp ? `icmp type ${p.icmp.type} len ${p.payload.length}` : ""}`);
      return {
        arrival: { where: point.where, ...counts, file: file.relPath },
        evidence: [{ kind: "packets", capture: `${file.where} (${filter})`, file: file.relPath, lines, total: packets.length }],
      };
    },
  };
}

async function capturePointFor(ctx: CheckContext, from: Endpoint, to: Target, address: string): Promise<{ point: CapturePoint; where: string } | undefined> {
  const ext = ctx.run.external;
  const nodeByAddress = () => [...ctx.lab.nodes.values()].find((n) => n.addresses.some((a) => a.ipv4 === address));
  switch (to.kind) {
    case "external-ref":
      return { point: { kind: "external" }, where: "the external host (eth0)" };
    case "node":
    case "published": {
      const node = ctx.node(to.kind === "node" ? to : to.node);
      if (node.networkMode === "host") return hostPoint(ctx, from, `${node.name} (host network)`);
      if (node.networkMode === "none") return undefined;
      return { point: { kind: "node", node, iface: "any" }, where: `${node.name}'s namespace` };
    }
    case "lab-host":
    case "gateway":
      return hostPoint(ctx, from, to.kind === "gateway" ? `${to.of.name}'s gateway (the host)` : "the host");
    case "address": {
      if (address === ext.address) return { point: { kind: "external" }, where: "the external host (eth0)" };
      const node = isIpv4(address) ? nodeByAddress() : undefined;
      if (node && node.networkMode !== "host") return { point: { kind: "node", node, iface: "any" }, where: `${node.name}'s namespace` };
      return undefined;
    }
    default:
      return undefined;
  }
}

/** The lab host's interface the probe arrives on: the route back to the source's address. */
async function hostPoint(ctx: CheckContext, from: Endpoint, where: string): Promise<{ point: CapturePoint; where: string } | undefined> {
  const labHost = ctx.run.primary;
  if (labHost.kind !== "local") return undefined;
  let src: string | undefined;
  if (from.kind === "external-ref") return { point: { kind: "host", labHost, iface: ctx.run.external.link }, where: `${where}, on ${ctx.run.external.link}` };
  if (from.kind === "node") {
    const n = ctx.node(from);
    if (n.networkMode === "host") return { point: { kind: "host", labHost, iface: "lo" }, where: `${where}, on lo` };
    src = n.addresses[0]?.ipv4;
  }
  if (!src) return undefined;
  const route = await labHost.shell.exec(["ip", "-o", "-4", "route", "get", src], { signal: ctx.signal, timeoutMs: 5000 });
  const dev = /\bdev (\S+)/.exec(route.stdout)?.[1];
  if (!dev || dev === labHost.uplink?.name) return undefined;
  return { point: { kind: "host", labHost, iface: dev }, where: `${where}, on ${dev}` };
}
