import { httpGet, icmpReach, tcpReach, type ReachResult } from "../../probes/reach.js";
import type { Probe } from "../../probes/probe.js";
import type { NodeDecl } from "../../lab/topology.js";
import type { CheckDecl } from "../define.js";
import { endpointLabel, slugOf, targetLabel, type Endpoint, type Target } from "../targets.js";

export interface ReachOptions {
  /** icmp (default without a port), tcp, or http (default with a port, or when the target is a node serving HTTP). */
  via?: "icmp" | "tcp" | "http";
  port?: number;
  /** Address the target by its name (DNS inside the source) instead of its IP. */
  byName?: boolean;
  /** The node that must answer (default: the target node itself). */
  answeredBy?: NodeDecl;
  name?: string;
}

export function reachCheck(from: Endpoint, to: Target, mustReach: boolean, opts: ReachOptions): CheckDecl {
  const via = opts.via ?? (opts.port !== undefined ? "http" : "icmp");
  const how = `${opts.byName ? "by name, " : ""}${via}${opts.port ? ` port ${opts.port}` : ""}`;
  const name = opts.name ?? `${endpointLabel(from).replace(/:/g, "-")}-${mustReach ? "reaches" : "cannot-reach"}-${slugOf(to)}${opts.byName ? "-by-name" : ""}-${via}`;
  return {
    name,
    category: mustReach ? "reachability" : "isolation",
    expectation: `${endpointLabel(from)} → ${targetLabel(to)} (${how}) must ${mustReach ? "" : "NOT "}connect`,
    async run(ctx) {
      const resolved = ctx.resolve(to, { from, byName: opts.byName });
      const t = opts.answeredBy ? { ...resolved, expectIdentity: opts.answeredBy.name } : resolved;
      const port = opts.port ?? t.port;
      let probe: Probe<ReachResult>;
      if (via === "icmp") probe = icmpReach(t.address);
      else if (port === undefined) return { status: "fail", reason: `${via} probe needs a port and ${t.label} serves none`, evidence: [] };
      else probe = via === "tcp" ? tcpReach(t.address, port) : httpGet(t.address, port);
      const { value, evidence } = await ctx.probe(from, probe);
      const wrongPeer = via === "http" && value.reached && t.expectIdentity && value.identity !== t.expectIdentity;
      if (mustReach) {
        if (!value.reached) return { status: "fail", reason: `${endpointLabel(from)} could not reach ${t.label} at ${t.address}${port && via !== "icmp" ? `:${port}` : ""}: ${value.detail}`, evidence: [evidence] };
        if (wrongPeer) return { status: "fail", reason: `reached ${t.address}:${port}, but node ${value.identity ?? "(unknown)"} answered instead of ${t.expectIdentity}`, evidence: [evidence] };
        return { status: "pass", reason: value.detail, evidence: [evidence] };
      }
      if (value.reached) return { status: "fail", reason: `${endpointLabel(from)} reached ${t.label} at ${t.address}${port && via !== "icmp" ? `:${port}` : ""} but must not: ${value.detail}`, evidence: [evidence] };
      return { status: "pass", reason: `blocked as expected: ${value.detail}`, evidence: [evidence] };
    },
  };
}
