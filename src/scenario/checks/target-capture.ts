import { countProbePackets, probeSynsAtSource, type TargetArrival } from "../../assert/reach.js";
import { startCapture, type CapturePoint, type CaptureFile, type StartedCapture } from "../../capture/index.js";
import type { Packet } from "../../pcap/index.js";
import type { ProbeSignature, ReachResult } from "../../probes/reach.js";
import type { Evidence } from "../../report/model.js";
import { errorMessage } from "../../util/errors.js";
import { isIpv4 } from "../../util/ipv4.js";
import type { CheckContext } from "../context.js";
import type { Endpoint, Target } from "../targets.js";

/**
 * Captures around a negative check, so that "no answer" can be told apart
 * from "arrived, the reply was lost". ICMP probes carry a payload size of
 * their own; a TCP probe's SYNs are recognised by their initial sequence
 * numbers, read from a capture at the source (busybox nc cannot bind a source
 * port, and NAT may rewrite it anyway, but never the ISN). Where the target
 * has no capture point, a timeout stays inconclusive.
 */
export interface CapturePlace {
  point: CapturePoint;
  where: string;
}

export interface ProbeCaptures {
  target?: CapturePlace;
  source?: CapturePlace;
}

interface Running {
  place: CapturePlace;
  filter: string;
  cap?: StartedCapture;
  error?: string;
}

/** Run `probe` with captures at the target (and, for TCP, at the source); return what arrived where. */
export async function probeWithTargetCapture(
  ctx: CheckContext,
  sig: ProbeSignature,
  places: ProbeCaptures,
  name: string,
  run: () => Promise<{ value: ReachResult; evidence: Evidence }>,
): Promise<{ value: ReachResult; evidence: Evidence[]; arrival?: TargetArrival }> {
  const v6 = sig.family === 6;
  // tcpdump's tcp[...] and icmp6 index IPv4 / a bare IPv6 header only; over v6 `protochain` walks the
  // extension headers and the decoder (src/pcap) picks the probe's packets out.
  const icmp = v6 ? "ip6 protochain 58" : `icmp and ip[2:2] = ${(sig.payloadSize ?? 0) + 28}`;
  const syn = v6 ? "ip6 protochain 6" : "tcp and (tcp[tcpflags] & (tcp-syn|tcp-rst) != 0)";
  const wanted: [string, CapturePlace | undefined, string][] = [
    ["at-target", places.target, sig.proto === "icmp" ? icmp : syn],
    ["at-source", sig.proto === "tcp" && places.target ? places.source : undefined, v6 ? "ip6 protochain 6" : `tcp dst port ${sig.dstPort} and tcp[tcpflags] & tcp-syn != 0`],
  ];
  const running = await Promise.all(
    wanted.filter((w): w is [string, CapturePlace, string] => w[1] !== undefined).map(async ([suffix, place, filter]): Promise<Running> => {
      try {
        return { place, filter, cap: await startCapture(ctx, place.point, { name: `${name}-${suffix}`, filter, maxSeconds: 60, description: `${place.where}: the probe's own packets`, signal: ctx.signal }) };
      } catch (err) {
        return { place, filter, error: errorMessage(err) };
      }
    }),
  );
  let files: (CaptureFile | undefined)[] = [];
  const probed = await (async () => {
    try {
      return await run();
    } finally {
      files = await Promise.all(running.map((r) => r.cap?.stop().catch(() => undefined)));
    }
  })();
  const evidence: Evidence[] = [probed.evidence];
  const decoded = running.map((r, i) => ({ ...r, file: files[i], packets: files[i]?.capture.packets() ?? [] }));
  for (const d of decoded) evidence.push(d.file ? packetsEvidence(d.file, d.filter, d.packets) : { kind: "note", text: `no capture at ${d.place.where}: ${d.error ?? "it did not finish"}` });
  const [target, source] = [decoded.find((d) => d.place === places.target), decoded.find((d) => d.place === places.source)];
  if (!target?.file) return { value: probed.value, evidence };
  let counted = sig;
  if (sig.proto === "tcp") {
    if (!source?.file) return { value: probed.value, evidence: [...evidence, { kind: "note", text: "no capture at the source: the probe's SYNs cannot be told from others at the target" }] };
    counted = { ...sig, isns: probeSynsAtSource(source.packets, sig) };
  }
  const counts = countProbePackets(target.packets, counted);
  const sent = sig.proto === "tcp" ? counted.isns!.length : undefined;
  return { value: probed.value, evidence, arrival: { where: target.place.where, ...counts, ...(sent !== undefined ? { sent } : {}), file: target.file.relPath } };
}

function packetsEvidence(file: CaptureFile, filter: string, packets: Packet[]): Evidence {
  const lines = packets
    .slice(0, 20)
    .map((p) => `${p.ip?.src ?? "?"} > ${p.ip?.dst ?? "?"} ${p.tcp ? `tcp ${p.tcp.srcPort} > ${p.tcp.dstPort} [${p.tcp.flagsText}] seq ${p.tcp.seq} ack ${p.tcp.ack}` : p.icmp ? `icmp type ${p.icmp.type} len ${p.payload.length}` : ""}`);
  return { kind: "packets", capture: `${file.where} (${filter})`, file: file.relPath, lines, total: packets.length };
}

export function outcomeNote(r: ReachResult, verdict: string): Evidence {
  return { kind: "note", text: `outcome: ${r.outcome.class}${r.outcome.at ? ` (at the ${r.outcome.at})` : ""} — ${r.outcome.why}; verdict: ${verdict}` };
}

/** Where a probe toward `to` arrives, and where it leaves `from`. */
export async function capturePlaces(ctx: CheckContext, from: Endpoint, to: Target, address: string): Promise<ProbeCaptures> {
  return { target: await targetPlace(ctx, from, to, address), source: await sourcePlace(ctx, from, address) };
}

async function targetPlace(ctx: CheckContext, from: Endpoint, to: Target, address: string): Promise<CapturePlace | undefined> {
  const ext = ctx.run.external;
  switch (to.kind) {
    case "external-ref":
      return { point: { kind: "external" }, where: "the external host (eth0)" };
    case "node":
    case "published": {
      const node = ctx.node(to.kind === "node" ? to : to.node);
      if (node.networkMode === "host") return hostPlace(ctx, from, address, `${node.name} (host network)`);
      if (node.networkMode === "none") return undefined;
      return { point: { kind: "node", node, iface: "any" }, where: `${node.name}'s namespace` };
    }
    case "lab-host":
    case "gateway":
      return hostPlace(ctx, from, address, to.kind === "gateway" ? `${to.of.name}'s gateway (the host)` : "the host");
    case "address": {
      if (address === ext.address || address === ext.address6) return { point: { kind: "external" }, where: "the external host (eth0)" };
      const node = isIpv4(address) || address.includes(":") ? [...ctx.lab.nodes.values()].find((n) => n.addresses.some((a) => a.ipv4 === address || a.ipv6 === address)) : undefined;
      if (node && node.networkMode !== "host") return { point: { kind: "node", node, iface: "any" }, where: `${node.name}'s namespace` };
      return undefined;
    }
    default:
      return undefined;
  }
}

async function sourcePlace(ctx: CheckContext, from: Endpoint, address: string): Promise<CapturePlace | undefined> {
  if (from.kind === "external-ref") return { point: { kind: "external" }, where: "the external host (eth0)" };
  if (from.kind === "node") {
    const n = ctx.node(from);
    if (n.networkMode !== "host") return { point: { kind: "node", node: n, iface: "any" }, where: `${n.name}'s namespace` };
  }
  // The lab host (or a host-network node): the interface its route to the target leaves through.
  const labHost = ctx.run.primary;
  if (labHost.kind !== "local" || !(isIpv4(address) || address.includes(":"))) return undefined;
  const dev = await routeDev(ctx, address);
  return dev ? { point: { kind: "host", labHost, iface: dev }, where: `the host, on ${dev}` } : undefined;
}

/** The lab host's interface the probe arrives on: the route back to the source's address. */
async function hostPlace(ctx: CheckContext, from: Endpoint, address: string, where: string): Promise<CapturePlace | undefined> {
  const labHost = ctx.run.primary;
  if (labHost.kind !== "local") return undefined;
  if (from.kind === "external-ref") return { point: { kind: "host", labHost, iface: ctx.run.external.link }, where: `${where}, on ${ctx.run.external.link}` };
  if (from.kind !== "node") return undefined;
  const n = ctx.node(from);
  if (n.networkMode === "host") return { point: { kind: "host", labHost, iface: "lo" }, where: `${where}, on lo` };
  const src = address.includes(":") ? n.addresses.find((a) => a.ipv6)?.ipv6 : n.addresses[0]?.ipv4;
  const dev = src ? await routeDev(ctx, src) : undefined;
  return dev ? { point: { kind: "host", labHost, iface: dev }, where: `${where}, on ${dev}` } : undefined;
}

async function routeDev(ctx: CheckContext, address: string): Promise<string | undefined> {
  const labHost = ctx.run.primary;
  const route = await labHost.shell.exec(["ip", "-o", address.includes(":") ? "-6" : "-4", "route", "get", address], { signal: ctx.signal, timeoutMs: 5000 });
  const dev = /\bdev (\S+)/.exec(route.stdout)?.[1];
  return dev && dev !== labHost.uplink?.name ? dev : undefined;
}
