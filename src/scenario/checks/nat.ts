import { assertNat, judgeConntrackNat, packetsEvidence, tokenFlow, type ExpectedRewrite } from "../../assert/nat.js";
import { parseConntrack } from "../../probes/conntrack.js";
import { captureDuring, startExternalHttp, type CaptureFile, type CapturePoint, type CaptureSpec } from "../../capture/index.js";
import { addressOn, type StartedNode } from "../../lab/started.js";
import type { NodeDecl } from "../../lab/topology.js";
import type { FlowTuple } from "../../pcap/index.js";
import { httpGet } from "../../probes/reach.js";
import type { Evidence } from "../../report/model.js";
import type { CheckContext } from "../context.js";
import type { CheckDecl, CheckOutcome } from "../define.js";
import type { Endpoint } from "../targets.js";
import { newToken } from "../../util/ids.js";
import { outsideAddress6 } from "../../lab/outside-address.js";
import { explainFailedNat, type FailureExplanation } from "./explain-failure.js";

/**
 * NAT proven from packets: one HTTP probe carries a unique token in its path,
 * two captures (before and after the NAT point) find it, and assertNat
 * compares the tuples. `expect` is a parameter so a scenario can state the
 * opposite and watch it fail with the contradicting packets.
 */
interface FlowPlan {
  from: Endpoint;
  to: { address: string; port: number };
  before: CaptureSpec & { label: string; expect?: Partial<FlowTuple> };
  after: CaptureSpec & { label: string; expect?: Partial<FlowTuple> };
  notes?: Evidence[];
  /** On failure: say why (src/explain), gathered then. */
  explain?: () => Promise<FailureExplanation>;
}

async function proveFlow(ctx: CheckContext, expect: ExpectedRewrite, plan: FlowPlan): Promise<CheckOutcome> {
  const token = newToken();
  const { value: probe, files } = await captureDuring(ctx, [plan.before, plan.after], () => ctx.probe(plan.from, httpGet(plan.to.address, plan.to.port, { path: `/?${token}` })), { signal: ctx.signal });
  const [b, a] = files as [CaptureFile, CaptureFile];
  const finding = assertNat({
    expect,
    token,
    before: { label: plan.before.label, file: b.relPath, capture: b.capture, expect: plan.before.expect },
    after: { label: plan.after.label, file: a.relPath, capture: a.capture, expect: plan.after.expect },
  });
  const evidence = [...finding.evidence, ...(plan.notes ?? []), probe.evidence];
  const out: CheckOutcome = probe.value.reached ? { status: finding.status, reason: finding.reason, evidence } : { status: "fail", reason: `the probe itself failed (${probe.value.detail}); ${finding.reason}`, evidence };
  if (out.status !== "fail" || !plan.explain) return out;
  const why = await plan.explain();
  return { ...out, reason: `${out.reason}${why.suffix}`, evidence: [...out.evidence, ...why.evidence], ...(why.cause ? { cause: why.cause } : {}) };
}

/**
 * For a host-network node no capture point sits between a rewrite and the
 * socket (both ends of the underlay veth see the same packets), so the proof
 * is the kernel's own record: the conntrack entry of the tokened flow
 * captured on the wire at the external host.
 */
async function proveByConntrack(ctx: CheckContext, expect: ExpectedRewrite, plan: { from: Endpoint; to: { address: string; port: number }; wire: CaptureSpec & { label: string } }): Promise<CheckOutcome> {
  const token = newToken();
  const { value: probe, files } = await captureDuring(ctx, [plan.wire], () => ctx.probe(plan.from, httpGet(plan.to.address, plan.to.port, { path: `/?${token}` })), { signal: ctx.signal });
  const [w] = files as [CaptureFile];
  const table = await ctx.inspect({ kind: "lab-host" }, ["cat", "/proc/net/nf_conntrack"]);
  const flow = tokenFlow(w.capture, token);
  const side = { label: plan.wire.label, file: w.relPath, capture: w.capture };
  const evidence: Evidence[] = [packetsEvidence(side, flow), probe.evidence, table.evidence];
  if (!flow) return { status: "fail", reason: `the probe's token ${token} never showed up at ${plan.wire.label} (${w.capture.length} packets): ${probe.value.detail}`, evidence };
  const finding = judgeConntrackNat({ expect, wire: flow.tuple, wireLabel: plan.wire.label, entries: parseConntrack(table.result.stdout), token });
  return { status: finding.status, reason: finding.reason, evidence: [...finding.evidence, ...evidence] };
}

const nodeIp = (n: StartedNode, family: 4 | 6 = 4) => (family === 6 ? n.addresses.find((a) => a.ipv6)?.ipv6 : addressOn(n)?.ipv4);
/** A host-network node's namespace is the host's: listen on the underlay link, never the uplink. */
const nsPoint = (ctx: CheckContext, n: StartedNode): CapturePoint => ({ kind: "node", node: n, iface: n.networkMode === "host" ? ctx.run.external.link : "eth0" });
const keepIf = <T>(cond: boolean, v: T): T | undefined => (cond ? v : undefined);

/**
 * The external host connects to `server`: through its published `containerPort`
 * (DNAT expected), or, for a host-network node, straight to its port (no NAT).
 */
export function ingressNatCheck(server: NodeDecl, opts: NatCheckOptions & { containerPort?: number } = {}): CheckDecl {
  const expect = opts.expect ?? (server.options.network === "host" ? "none" : "dnat");
  const port = opts.containerPort ?? 80;
  const v6 = opts.family === 6;
  return {
    name: opts.name ?? `external-to-${server.name}-${v6 ? "v6-" : ""}${expect === "none" ? "no-nat" : expect}-in-captures`,
    category: "nat",
    expectation: `external → ${server.name}${server.options.network === "host" ? "" : ` (published ${port})`}${v6 ? " over IPv6" : ""}: captures at both ends show ${expect === "none" ? "no rewrite" : expect.toUpperCase()}`,
    async run(ctx) {
      const node = ctx.node(server);
      if (v6) return ingressNat6(ctx, node, expect, port);
      const ext = ctx.run.external;
      const hostMode = node.networkMode === "host";
      const hostPort = hostMode ? node.httpPort : node.published.get(port);
      const innerPort = hostMode ? node.httpPort : port;
      if (hostPort === undefined || innerPort === undefined) return { status: "fail", reason: `${server.name} ${hostMode ? "serves no HTTP port" : `does not publish port ${port}`}`, evidence: [] };
      if (hostMode) {
        return proveByConntrack(ctx, expect, {
          from: { kind: "external-ref" },
          to: { address: ext.hostSideAddress, port: hostPort },
          wire: { label: "external host eth0", name: `${server.name}-ingress-external`, point: { kind: "external" }, filter: `tcp port ${hostPort}` },
        });
      }
      const ip = nodeIp(node);
      const natted = expect === "dnat";
      return proveFlow(ctx, expect, {
        from: { kind: "external-ref" },
        to: { address: ext.hostSideAddress, port: hostPort },
        before: { label: "external host eth0", name: `${server.name}-ingress-external`, point: { kind: "external" }, filter: `tcp port ${hostPort}`, expect: { src: ext.address, dst: ext.hostSideAddress, dstPort: hostPort } },
        after: {
          label: `${server.name}'s namespace`,
          name: `${server.name}-ingress-server`,
          point: nsPoint(ctx, node),
          filter: `tcp port ${innerPort}`,
          expect: keepIf(natted || expect === "none", { src: ext.address, dst: ip, dstPort: innerPort }),
        },
        ...(natted ? { explain: () => explainFailedNat(ctx, node.labHost.shell, "dnat", hostPort) } : {}),
      });
    },
  };
}

/**
 * Over IPv6 the external host connects to the node's lab host's own v6 address
 * (a dind host's on its dual-stack underlay). Only the external side's tuple is
 * fixed in advance: with docker-proxy (no ip6tables) the server side is a second
 * connection to the container's IPv4 address, with DNAT it keeps the external
 * host's v6 source.
 */
async function ingressNat6(ctx: CheckContext, node: StartedNode, expect: ExpectedRewrite, port: number): Promise<CheckOutcome> {
  const ext = ctx.run.external;
  const hostPort = node.published.get(port);
  const host6 = outsideAddress6(ctx.run, node.labHost);
  const ip6 = nodeIp(node, 6);
  if (hostPort === undefined || !host6 || !ext.address6 || !ip6) {
    return { status: "fail", reason: `error: no IPv6 path to prove: ${node.name} ${hostPort === undefined ? `does not publish port ${port}` : !ip6 ? "has no IPv6 address" : `runs on ${node.labHost.name}, which has no IPv6 address toward the external host`}`, evidence: [] };
  }
  return proveFlow(ctx, expect, {
    from: { kind: "external-ref" },
    to: { address: host6, port: hostPort },
    before: { label: "external host eth0", name: `${node.name}-ingress6-external`, point: { kind: "external" }, filter: `tcp port ${hostPort}`, expect: { src: ext.address6, dst: host6, dstPort: hostPort } },
    after: {
      label: `${node.name}'s namespace`,
      name: `${node.name}-ingress6-server`,
      point: nsPoint(ctx, node),
      filter: `tcp port ${port}`,
      expect: keepIf(expect === "dnat" || expect === "none", { src: ext.address6, dst: ip6, dstPort: port }),
    },
  });
}

export interface NatCheckOptions {
  expect?: ExpectedRewrite;
  name?: string;
  /** 6: the flow runs over IPv6 (the external host's and the node's v6 addresses). */
  family?: 4 | 6;
}

/** `client` connects to an HTTP server in the external host: MASQUERADE (SNAT) expected from bridges, none from the host network. */
export function egressNatCheck(client: NodeDecl, opts: NatCheckOptions = {}): CheckDecl {
  const expect = opts.expect ?? (client.options.network === "host" ? "none" : "snat");
  const v6 = opts.family === 6;
  return {
    name: opts.name ?? `${client.name}-to-external-${v6 ? "v6-" : ""}${expect === "none" ? "no-nat" : expect}-in-captures`,
    category: "nat",
    expectation: `${client.name} → external${v6 ? " over IPv6" : ""}: captures at both ends show ${expect === "none" ? "the source unchanged" : `${expect.toUpperCase()} to the host's ${v6 ? "IPv6 " : ""}underlay address`}`,
    async run(ctx) {
      const node = ctx.node(client);
      const ext = ctx.run.external;
      const server = await startExternalHttp(ctx.run, ctx.lab.cleanup, { signal: ctx.signal });
      try {
        if (node.networkMode === "host" && !v6) {
          return await proveByConntrack(ctx, expect, {
            from: client,
            to: { address: server.address, port: server.port },
            wire: { label: "external host eth0", name: `${client.name}-egress-external`, point: { kind: "external" }, filter: `tcp port ${server.port}` },
          });
        }
        // Over IPv6 the masquerade address is the node's lab host's own v6 address (a dind host's on its underlay).
        const src = nodeIp(node, v6 ? 6 : 4);
        const dst = v6 ? ext.address6 : ext.address;
        const masquerade = v6 ? outsideAddress6(ctx.run, node.labHost) : ext.hostSideAddress;
        if (!dst || (v6 && !src)) return { status: "fail", reason: `error: ${dst ? client.name : "the external host"} has no IPv${v6 ? 6 : 4} address`, evidence: [] };
        const tag = v6 ? "egress6" : "egress";
        return await proveFlow(ctx, expect, {
          from: client,
          to: { address: dst, port: server.port },
          before: { label: `${client.name}'s namespace`, name: `${client.name}-${tag}-client`, point: nsPoint(ctx, node), filter: `tcp port ${server.port}`, expect: { src, dst, dstPort: server.port } },
          after: {
            label: "external host eth0",
            name: `${client.name}-${tag}-external`,
            point: { kind: "external" },
            filter: `tcp port ${server.port}`,
            expect: { dst, dstPort: server.port, ...(expect === "snat" && masquerade ? { src: masquerade } : expect === "none" ? { src } : {}) },
          },
        });
      } finally {
        await server.stop();
      }
    },
  };
}

/** `a` → `b`'s HTTP port on a shared network: both namespaces see the same tuple. */
export function containerToContainerNatCheck(a: NodeDecl, b: NodeDecl, opts: { expect?: ExpectedRewrite; name?: string } = {}): CheckDecl {
  const expect = opts.expect ?? "none";
  return {
    name: opts.name ?? `${a.name}-to-${b.name}-${expect === "none" ? "no-nat" : expect}-in-captures`,
    category: "nat",
    expectation: `${a.name} → ${b.name}:80: captures in both namespaces show ${expect === "none" ? "the same addresses (no NAT between containers)" : expect.toUpperCase()}`,
    async run(ctx) {
      const na = ctx.node(a);
      const nb = ctx.node(b);
      const target = ctx.resolve(b, { from: a });
      const port = nb.httpPort ?? 80;
      const same = { src: nodeIp(na), dst: target.address, dstPort: port };
      return proveFlow(ctx, expect, {
        from: a,
        to: { address: target.address, port },
        before: { label: `${a.name}'s namespace`, name: `${a.name}-to-${b.name}-client`, point: nsPoint(ctx, na), filter: `tcp port ${port}`, expect: same },
        after: { label: `${b.name}'s namespace`, name: `${a.name}-to-${b.name}-server`, point: nsPoint(ctx, nb), filter: `tcp port ${port}`, expect: keepIf(expect === "none", same) },
      });
    },
  };
}

/**
 * The host connects to 127.0.0.1:<published port>. Docker's DNAT rules skip
 * loopback destinations, so with the userland proxy on, docker-proxy accepts
 * and opens its own connection from the bridge gateway.
 */
export function userlandProxyCheck(server: NodeDecl, opts: { containerPort?: number; expect?: ExpectedRewrite; name?: string } = {}): CheckDecl {
  const port = opts.containerPort ?? 80;
  return {
    name: opts.name ?? `host-loopback-to-${server.name}-through-userland-proxy`,
    category: "nat",
    expectation: `host → 127.0.0.1:<published ${port}> reaches ${server.name} through docker-proxy: the container sees its bridge gateway as the source`,
    async run(ctx) {
      const node = ctx.node(server);
      const hostPort = node.published.get(port);
      const addr = addressOn(node);
      if (hostPort === undefined || !addr) return { status: "fail", reason: `${server.name} does not publish port ${port} on a bridge address`, evidence: [] };
      const ps = await ctx.inspect({ kind: "lab-host" }, ["ps", "-eo", "pid,args"]);
      const proxy = ps.result.stdout.split("\n").find((l) => /docker-proxy/.test(l) && l.includes(`-host-port ${hostPort} `) && l.includes(`-container-ip ${addr.ipv4} `));
      const note: Evidence = {
        kind: "note",
        text: proxy
          ? `docker-proxy is in use on this engine (userland-proxy on): ${proxy.trim()}`
          : `no docker-proxy process serves host port ${hostPort}: the engine runs with --userland-proxy=false, so loopback traffic is DNATed and masqueraded (route_localnet) instead`,
      };
      // Docker's default (userland-proxy: true). An engine run with --userland-proxy=false must say so
      // (`expect: "dnat+snat"`): the check never takes what it finds as its expectation.
      const expect = opts.expect ?? "proxy";
      return proveFlow(ctx, expect, {
        from: { kind: "lab-host" },
        to: { address: "127.0.0.1", port: hostPort },
        before: { label: "host lo", name: `${server.name}-loopback-host`, point: { kind: "host", labHost: node.labHost, iface: "lo" }, filter: `tcp port ${hostPort}`, expect: { dst: "127.0.0.1", dstPort: hostPort } },
        after: { label: `${server.name}'s namespace`, name: `${server.name}-loopback-server`, point: nsPoint(ctx, node), filter: `tcp port ${port}`, expect: { src: addr.gateway, dst: addr.ipv4, dstPort: port } },
        notes: [note, ps.evidence],
        ...(expect === "proxy" ? { explain: () => explainFailedNat(ctx, node.labHost.shell, "proxy", hostPort) } : {}),
      });
    },
  };
}
