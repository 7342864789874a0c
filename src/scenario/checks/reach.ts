import { judgeReach, type NameLookupOutcome } from "../../assert/reach.js";
import { ensureExternalListener } from "../../capture/index.js";
import type { NodeDecl } from "../../lab/topology.js";
import { dnsLookup } from "../../probes/dns.js";
import { httpGet, icmpReach, tcpReach } from "../../probes/reach.js";
import type { Evidence } from "../../report/model.js";
import type { CheckContext, ResolvedTarget } from "../context.js";
import type { CheckDecl, CheckOutcome } from "../define.js";
import { endpointLabel, slugOf, targetLabel, type Endpoint, type Target } from "../targets.js";
import { explainFailedReach } from "./explain-failure.js";
import { capturePlaces, outcomeNote, probeWithTargetCapture } from "./target-capture.js";

export interface ReachOptions {
  /** icmp (default without a port), tcp, or http (default with a port, or when the target is a node serving HTTP). */
  via?: "icmp" | "tcp" | "http";
  port?: number;
  /**
   * Address the target by its name (resolved inside the source) instead of its IP: the name is then part of
   * the point. A string addresses it by that name instead (a legacy link's alias, an /etc/hosts entry).
   */
  byName?: boolean | string;
  /** The node that must answer (default: the target node itself). */
  answeredBy?: NodeDecl;
  /** 6: over IPv6 — the target's v6 address (ICMPv6 echo, TCP over v6); by name, ping -6 (AAAA). */
  family?: 4 | 6;
  name?: string;
}

/**
 * Gathers the evidence for a reach or isolation claim: the probe's outcome
 * class, and for negative checks a capture at the target (did the probe
 * arrive?). `judgeReach` (src/assert/reach.ts) decides.
 */
export function reachCheck(from: Endpoint, to: Target, mustReach: boolean, opts: ReachOptions): CheckDecl {
  const via = opts.via ?? (opts.port !== undefined ? "http" : "icmp");
  const v6 = opts.family === 6;
  const asName = typeof opts.byName === "string" ? opts.byName : undefined;
  const how = `${asName ? `as "${asName}", ` : opts.byName ? "by name, " : ""}${v6 ? "IPv6, " : ""}${via}${opts.port ? ` port ${opts.port}` : ""}`;
  const name = opts.name ?? `${endpointLabel(from).replace(/:/g, "-")}-${mustReach ? "reaches" : "cannot-reach"}-${slugOf(to)}${asName ? `-as-${asName.replace(/[^a-z0-9]+/gi, "-")}` : opts.byName ? "-by-name" : ""}-${via}${v6 ? "-v6" : ""}`;
  return {
    name,
    category: mustReach ? "reachability" : "isolation",
    expectation: `${endpointLabel(from)} → ${targetLabel(to)} (${how}) must ${mustReach ? "" : "NOT "}connect`,
    async run(ctx) {
      const resolved = ctx.resolve(to, { from, byName: opts.byName, family: opts.family });
      const t = opts.answeredBy ? { ...resolved, expectIdentity: opts.answeredBy.name } : resolved;
      const port = opts.port ?? t.port;
      if (via !== "icmp" && port === undefined) return { status: "fail", reason: `error: a ${via} probe needs a port and ${t.label} serves none`, evidence: [] };
      // busybox nc cannot be told to prefer AAAA: a TCP probe over v6 goes to the address, never a name.
      if (v6 && opts.byName && via !== "icmp") return { status: "fail", reason: `error: a ${via} probe by name cannot be forced onto IPv6 (busybox nc has no -6); use via: "icmp" or the address`, evidence: [] };
      const probe = via === "icmp" ? icmpReach(t.address, { family: opts.family }) : via === "tcp" ? tcpReach(t.address, port!) : httpGet(t.address, port!);
      const evidence: Evidence[] = [];
      if (via !== "icmp") evidence.push(...(await listenOnTarget(ctx, to, port!)));
      // A negative check needs to know whether the probe arrived: capture at the target while it runs.
      const places = mustReach ? {} : await capturePlaces(ctx, from, to, t.address);
      const run = await probeWithTargetCapture(ctx, probe.signature, places, name, () => ctx.probe(from, probe));
      evidence.unshift(...run.evidence);
      let nameLookup: NameLookupOutcome | undefined;
      if (opts.byName && run.value.outcome.class === "dns-failure") {
        const lookup = await ctx.probe(from, dnsLookup(t.address));
        evidence.push(lookup.evidence);
        nameLookup = { nxdomain: lookup.value.nxdomain || lookup.value.answer === "no-answer", server: lookup.value.server, detail: lookup.value.detail };
      }
      const v = judgeReach({
        mustReach,
        subject: subjectOf(from, t, via, port),
        outcome: run.value.outcome,
        identity: run.value.identity,
        expectIdentity: via === "http" ? t.expectIdentity : undefined,
        byName: Boolean(opts.byName),
        nameLookup,
        arrival: run.arrival,
      });
      evidence.push(outcomeNote(run.value, v.verdict));
      // Only a failed verdict pays for an explanation: the probe runs once more with counters read around it.
      const why = v.status === "fail" && v.verdict !== "error" ? await explainFailedReach(ctx, from, to, t, via, port, name, mustReach) : undefined;
      if (why) evidence.push(...why.evidence);
      return { status: v.status, reason: `${v.reason}${why?.suffix ?? ""}`, evidence, ...(why?.cause ? { cause: why.cause } : {}) } satisfies CheckOutcome;
    },
  };
}

function subjectOf(from: Endpoint, t: ResolvedTarget, via: string, port: number | undefined): string {
  return `${endpointLabel(from)} → ${t.label} at ${t.address}${port !== undefined && via !== "icmp" ? `:${port}` : ""} (${via})`;
}

/**
 * The probed side listens on the probed port, so a refusal means "open path,
 * nothing listening" is impossible: either the probe is delivered, or it is
 * blocked. Nodes serve HTTP on their own ports; other ports get a server of
 * their own (never on a host-network node: that would listen on the host).
 */
async function listenOnTarget(ctx: CheckContext, to: Target, port: number): Promise<Evidence[]> {
  if (to.kind === "external-ref") {
    await ensureExternalListener(ctx.run, port, ctx.signal);
    return [{ kind: "note", text: `the external host listens on TCP ${port} (busybox httpd serving node=external)` }];
  }
  if (to.kind === "node") {
    const node = ctx.node(to);
    if (node.httpPort === port || node.networkMode === "host" || node.networkMode === "none") return [];
    // httpd daemonizes; a second one on a port already served fails to bind and changes nothing.
    const r = await node.shell.exec(["busybox", "httpd", "-p", String(port), "-h", "/tmp/www"], { signal: ctx.signal, timeoutMs: 5000 });
    return [{ kind: "note", text: `${node.name} listens on TCP ${port} for this probe (busybox httpd, exit ${r.exitCode})` }];
  }
  return [];
}
