import { explainAround, type ExplainPlace } from "../../explain-gather/explain-around.js";
import { reasonSuffix } from "../../explain/render.js";
import { PidNetnsHost } from "../../host/pid-netns-host.js";
import { addressOn } from "../../lab/started.js";
import { httpGet, icmpReach, tcpReach } from "../../probes/reach.js";
import type { Evidence } from "../../report/model.js";
import { errorMessage } from "../../util/errors.js";
import { isIpv4 } from "../../util/ipv4.js";
import type { CheckContext, ResolvedTarget } from "../context.js";
import type { Endpoint, Target } from "../targets.js";
import { endpointLabel } from "../targets.js";
import { capturePlaces, probeWithTargetCapture } from "./target-capture.js";
import { explainAcrossUnderlay, explanationNote } from "./explain-underlay.js";

/**
 * After a reach/isolation check has failed (its verdict already final), run
 * the probe once more with every netfilter counter read around it, and say
 * which rule, route or setting stopped — or let through — the packets.
 * Passing checks never get here, so they pay nothing for it.
 */
export async function explainFailedReach(
  ctx: CheckContext,
  from: Endpoint,
  to: Target,
  t: ResolvedTarget,
  via: "icmp" | "tcp" | "http",
  port: number | undefined,
  name: string,
): Promise<{ suffix: string; evidence: Evidence[] } | undefined> {
  if (!isIpv4(t.address)) return undefined;
  try {
    const probe = via === "icmp" ? icmpReach(t.address) : via === "tcp" ? tcpReach(t.address, port!) : httpGet(t.address, port!);
    if (from.kind === "node" && to.kind === "node" && ctx.node(from).labHost !== ctx.node(to).labHost) {
      return await explainAcrossUnderlay(ctx, ctx.node(from), ctx.node(to), async () => ({ outcome: (await ctx.probe(from, probe)).value.outcome }));
    }
    const source = await sourcePlace(ctx, from);
    if (!source) return undefined;
    const target = await targetPlace(ctx, to);
    const places = await capturePlaces(ctx, from, to, t.address);
    const proto = via === "icmp" ? "icmp" : "tcp";
    const { explanation } = await explainAround({
      host: { host: ctx.run.primary.shell, where: "the lab host" },
      ...(source.place ? { source: source.place } : {}),
      ...(target ? { target } : {}),
      flow: { srcLabel: endpointLabel(from), dstLabel: t.label, src: source.address, dst: t.address, proto, ...(proto === "tcp" ? { dport: port! } : {}) },
      probe: async () => {
        const run = await probeWithTargetCapture(ctx, probe.signature, places, `${name}-explain`, () => ctx.probe(from, probe));
        return { outcome: run.value.outcome, ...(run.arrival ? { arrival: run.arrival } : {}) };
      },
      signal: ctx.signal,
    });
    return { suffix: reasonSuffix(explanation), evidence: [explanationNote(explanation)] };
  } catch (err) {
    return { suffix: "", evidence: [{ kind: "note", text: `explain: could not gather (${errorMessage(err)})` }] };
  }
}

async function sourcePlace(ctx: CheckContext, from: Endpoint): Promise<{ address: string; place?: ExplainPlace } | undefined> {
  if (from.kind === "external-ref") return { address: ctx.run.external.address, place: { host: ctx.run.external.shell, where: "the external host" } };
  if (from.kind !== "node") return undefined;
  const node = ctx.node(from);
  const address = node.addresses[0]?.ipv4;
  if (!address || node.networkMode === "host" || node.networkMode === "none") return undefined;
  const pid = (await node.labHost.engine.inspectContainer(node.containerId)).State?.Pid;
  if (!pid) return { address };
  return { address, place: { host: new PidNetnsHost(node.labHost.shell, pid, `${node.name}'s namespace`), where: `${node.name}'s namespace` } };
}

async function targetPlace(ctx: CheckContext, to: Target): Promise<ExplainPlace | undefined> {
  if (to.kind === "external-ref") return { host: ctx.run.external.shell, where: "the external host" };
  if (to.kind !== "node") return undefined;
  const node = ctx.node(to);
  if (node.networkMode === "host" || node.networkMode === "none" || !addressOn(node)) return undefined;
  const pid = (await node.labHost.engine.inspectContainer(node.containerId)).State?.Pid;
  return pid ? { host: new PidNetnsHost(node.labHost.shell, pid, `${node.name}'s namespace`), where: `${node.name}'s namespace` } : undefined;
}
