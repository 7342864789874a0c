import { explainAround, type ExplainPlace } from "../../explain-gather/explain-around.js";
import { daemonSettings } from "../../explain-gather/path-facts.js";
import { snapshotCounters } from "../../explain-gather/snapshot.js";
import { explainNat, type NatFacts } from "../../explain/explain-nat.js";
import { reasonSuffix } from "../../explain/render.js";
import type { Explanation } from "../../explain/facts.js";
import type { Flow } from "../../explain/flow.js";
import type { Host } from "../../host/host.js";
import { PidNetnsHost } from "../../host/pid-netns-host.js";
import { addressOn } from "../../lab/started.js";
import { dnsLookup } from "../../probes/dns.js";
import type { ReachOutcome } from "../../probes/outcome.js";
import { httpGet, icmpReach, tcpReach } from "../../probes/reach.js";
import type { CheckCause, Evidence } from "../../report/model.js";
import { errorMessage } from "../../util/errors.js";
import { isIpv4 } from "../../util/ipv4.js";
import type { CheckContext, ResolvedTarget } from "../context.js";
import type { Endpoint, Target } from "../targets.js";
import { endpointLabel } from "../targets.js";
import { capturePlaces, probeWithTargetCapture } from "./target-capture.js";
import { explainAcrossUnderlay } from "./explain-underlay.js";

/** What a failed check adds to its result: a reason suffix, the explanation as a note, and the structured cause. */
export interface FailureExplanation {
  suffix: string;
  evidence: Evidence[];
  cause?: CheckCause;
}

const toCause = (e: Explanation): CheckCause => ({ kind: e.kind, summary: e.summary, ...(e.fix ? { fix: e.fix } : {}), evidence: e.evidence });
const explained = (e: Explanation): FailureExplanation => ({ suffix: reasonSuffix(e), evidence: [explanationNote(e)], cause: toCause(e) });
const notGathered = (err: unknown): FailureExplanation => ({ suffix: "", evidence: [{ kind: "note", text: `explain: could not gather (${errorMessage(err)})` }] });

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
  mustReach = true,
): Promise<FailureExplanation | undefined> {
  if (!isIpv4(t.address)) return undefined;
  try {
    const probe = via === "icmp" ? icmpReach(t.address) : via === "tcp" ? tcpReach(t.address, port!) : httpGet(t.address, port!);
    if (from.kind === "node" && to.kind === "node" && ctx.node(from).labHost !== ctx.node(to).labHost) {
      const across = await explainAcrossUnderlay(ctx, ctx.node(from), ctx.node(to), mustReach, async () => ({ outcome: (await ctx.probe(from, probe)).value.outcome }));
      const e = explained(across.explanation);
      return { ...e, suffix: `${across.where}${e.suffix}` };
    }
    const source = await sourcePlace(ctx, from);
    if (!source) return undefined;
    const target = await targetPlace(ctx, to);
    const places = await capturePlaces(ctx, from, to, t.address);
    const proto = via === "icmp" ? "icmp" : "tcp";
    const { explanation } = await explainAround({
      host: { host: source.labHost, where: "the lab host" },
      ...(source.place ? { source: source.place } : {}),
      ...(target ? { target } : {}),
      flow: { srcLabel: endpointLabel(from), dstLabel: t.label, src: source.address, dst: t.address, proto, ...(proto === "tcp" ? { dport: port! } : {}) },
      expect: mustReach ? "reach" : "block",
      probe: async () => {
        const run = await probeWithTargetCapture(ctx, probe.signature, places, `${name}-explain`, () => ctx.probe(from, probe));
        return { outcome: run.value.outcome, ...(run.arrival ? { arrival: run.arrival } : {}) };
      },
      signal: ctx.signal,
    });
    return explained(explanation);
  } catch (err) {
    return notGathered(err);
  }
}

/**
 * A failed lookup: the query to the source's resolver (UDP 53) is re-sent with
 * the counters read around it, like a reach probe. Only a lookup that got no
 * answer at all is a path question; a wrong answer is the resolver's.
 */
export async function explainFailedLookup(ctx: CheckContext, from: Endpoint, name: string, resolver: string | undefined): Promise<FailureExplanation | undefined> {
  if (!resolver || !isIpv4(resolver)) return undefined;
  try {
    const source = await sourcePlace(ctx, from);
    if (!source) return undefined;
    const flow: Omit<Flow, "inIface" | "outIface"> = { srcLabel: endpointLabel(from), dstLabel: `its resolver ${resolver}`, src: source.address, dst: resolver, proto: "udp", dport: 53 };
    const { explanation } = await explainAround({
      host: { host: source.labHost, where: "the lab host" },
      ...(source.place ? { source: source.place } : {}),
      flow,
      probe: async () => ({ outcome: lookupOutcome((await ctx.probe(from, dnsLookup(name))).value) }),
      signal: ctx.signal,
    });
    return explained(explanation);
  } catch (err) {
    return notGathered(err);
  }
}

function lookupOutcome(v: { answer: string; detail: string }): ReachOutcome {
  if (v.answer === "answer" || v.answer === "nxdomain" || v.answer === "no-answer" || v.answer === "servfail") return { class: "delivered", why: `the resolver answered: ${v.detail}` };
  if (v.answer === "timeout") return { class: "timeout", why: v.detail };
  if (v.answer === "unreachable") return { class: "unreachable", why: v.detail };
  return { class: "probe-error", why: v.detail };
}

/** A failed NAT expectation about a published port: the host's nat rules, its docker-proxy processes and the daemon's settings say why. */
export async function explainFailedNat(ctx: CheckContext, labHost: Host, expect: NatFacts["expect"], hostPort: number): Promise<FailureExplanation> {
  try {
    const [counters, ps, daemon] = await Promise.all([
      snapshotCounters(labHost, ctx.signal),
      labHost.exec(["ps", "-eo", "pid,args"], { signal: ctx.signal, timeoutMs: 5000 }),
      daemonSettings(labHost, ctx.signal),
    ]);
    const natRules = counters.rulesets.filter((r) => r.backend !== "nft").flatMap((r) => r.rules).filter((r) => r.table === "nat");
    const proxies = ps.stdout.split("\n").filter((l) => /docker-proxy/.test(l) && l.includes(`-host-port ${hostPort} `)).map((l) => l.trim());
    return explained(explainNat({ expect, hostPort, proto: "tcp", where: "the lab host", natRules, proxies, ...(daemon ? { daemon } : {}), gathered: counters.log }));
  } catch (err) {
    return notGathered(err);
  }
}

export function explanationNote(e: Explanation): Evidence {
  const head = e.kind === "cause" ? "cause" : e.kind === "likely" ? "likely cause" : e.kind;
  return { kind: "note", text: [`explain — ${head}: ${e.summary}`, ...(e.fix ? [`fix: ${e.fix}`] : []), ...e.evidence.map((l) => `  ${l}`)].join("\n") };
}

interface SourcePlace {
  address: string;
  place?: ExplainPlace;
  /** The machine whose kernel forwards the source's packets (the node's lab host; a dind host for its nodes). */
  labHost: Host;
}

async function sourcePlace(ctx: CheckContext, from: Endpoint): Promise<SourcePlace | undefined> {
  if (from.kind === "external-ref") return { address: ctx.run.external.address, place: { host: ctx.run.external.shell, where: "the external host" }, labHost: ctx.run.primary.shell };
  if (from.kind !== "node") return undefined;
  const node = ctx.node(from);
  const address = node.addresses[0]?.ipv4;
  if (!address || node.networkMode === "host" || node.networkMode === "none") return undefined;
  const pid = (await node.labHost.engine.inspectContainer(node.containerId)).State?.Pid;
  const labHost = node.labHost.shell;
  if (!pid) return { address, labHost };
  return { address, labHost, place: { host: new PidNetnsHost(labHost, pid, `${node.name}'s namespace`), where: `${node.name}'s namespace` } };
}

async function targetPlace(ctx: CheckContext, to: Target): Promise<ExplainPlace | undefined> {
  if (to.kind === "external-ref") return { host: ctx.run.external.shell, where: "the external host" };
  if (to.kind !== "node") return undefined;
  const node = ctx.node(to);
  if (node.networkMode === "host" || node.networkMode === "none" || !addressOn(node)) return undefined;
  const pid = (await node.labHost.engine.inspectContainer(node.containerId)).State?.Pid;
  return pid ? { host: new PidNetnsHost(node.labHost.shell, pid, `${node.name}'s namespace`), where: `${node.name}'s namespace` } : undefined;
}
