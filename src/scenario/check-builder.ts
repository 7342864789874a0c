import type { NetworkDecl, NodeDecl, TopologyBuilder } from "../lab/topology.js";
import { CHECK_CATEGORIES as CATEGORIES, type CheckCategory } from "../report/model.js";
import { DeclarationError } from "../util/errors.js";
import { checkPort, knownKeys } from "../lab/declaration-checks.js";
import type { CheckContext } from "./context.js";
import type { CheckDecl, CheckOutcome } from "./define.js";
import { engineRangeProblem, type EngineRange } from "./engine-range.js";
import { reachCheck, type ReachOptions } from "./checks/reach.js";
import { dnsCheck } from "./checks/dns.js";
import { negative } from "./check-order.js";
import { sharesNamespaceCheck } from "./checks/namespace.js";
import { interfacesCheck, routesCheck, addressingCheck, addressing6Check, v6AddressesCheck, type InterfaceExpectation, type RouteExpectation, type AddressingExpectation } from "./checks/kernel-view.js";
import { endpointLabel, type Endpoint, type Target } from "./targets.js";
import { containerToContainerNatCheck, egressNatCheck, ingressNatCheck, userlandProxyCheck, type NatCheckOptions } from "./checks/nat.js";
import { embeddedDnsCaptureCheck } from "./checks/capture-dns.js";
import type { ExpectedRewrite } from "../assert/nat.js";
import type { DockerHostDecl, SegmentDecl } from "../lab/topology.js";
import { gossipOnUnderlayCheck, kvNetworkCheck, swarmReadyCheck, vxlanOnUnderlayCheck } from "./checks/overlay.js";
import { pathMtuCheck, type PathMtuOptions } from "./checks/path-mtu.js";
import { routingMeshCheck, type RoutingMeshOptions } from "./checks/routing-mesh.js";
import { encryptedOverlayCheck, type EncryptedOverlayOptions } from "./checks/encrypted-overlay.js";
import { hostsFileNameCheck } from "./checks/links.js";
import { fixedCidrV6Check, hairpinNatCheck, iccDropRuleCheck, mtuCheck, noEngineRulesCheck } from "./checks/daemon.js";
import { latencyCheck, modeComparisonChecks, throughputCheck, type ComparisonChecksOptions, type LatencyOptions, type ThroughputOptions } from "./checks/perf.js";
import {
  distinctMacs,
  hostCannotReachChildren,
  macvlanInterface,
  peerOf,
  seenWithOwnMac,
  segmentReach,
  shimRestoresHostReach,
  vepaNeedsHairpin,
  type SegmentEndpoint,
  type SegmentPeerRef,
} from "./checks/macvlan.js";

/**
 * The vocabulary of scenario files. Each method returns a CheckDecl; nothing
 * runs until the lab is up. Negative checks (`isolated`, `doesNotResolve`) are
 * first-class: what must NOT connect is asserted as carefully as what must.
 */
export class CheckBuilder {
  constructor(readonly topology: TopologyBuilder) {}

  host(name?: string): Endpoint {
    return { kind: "lab-host", name };
  }

  external(): Endpoint {
    return { kind: "external-ref" };
  }

  gateway(of: NodeDecl, network?: NetworkDecl): Target {
    return { kind: "gateway", of, network };
  }

  address(address: string, label?: string): Target {
    return { kind: "address", address, label };
  }

  loopback(serviceOf: NodeDecl): Target {
    return { kind: "loopback", serviceOf };
  }

  published(node: NodeDecl, containerPort: number): Target {
    if (!(node.options.publish ?? []).some((p) => p.container === containerPort)) {
      throw new DeclarationError(`c.published(${node.name}, ${containerPort})`, `node "${node.name}" does not publish container port ${containerPort}`, `Add publish: [{ host: "auto", container: ${containerPort} }] to lab.node("${node.name}", ...).`);
    }
    return { kind: "published", node, containerPort };
  }

  /**
   * An expectation that changed between Docker releases: `check` holds on
   * engines from `since` (inclusive) and before `until` (exclusive), read from
   * the scenario's engines at run time; elsewhere it is skipped with the
   * reason. `change` names the Docker change (release, pull request).
   */
  engine(range: EngineRange, check: CheckDecl): CheckDecl {
    knownKeys("c.engine() range", range, ["since", "until", "change"], "engine range");
    const problem = engineRangeProblem(range);
    if (problem) throw new DeclarationError(`c.engine(…, "${check.name}")`, problem, 'Write c.engine({ since: "25.0", change: "moby/moby#46603 (v25.0.0): …" }, c.reach(...)).');
    return { ...check, engine: range };
  }

  /** `from` must connect to `to` (icmp by default; tcp/http with a port or `via`). */
  reach(from: Endpoint, to: Target, opts: ReachOptions = {}): CheckDecl {
    if (opts.port !== undefined) checkPort(`c.reach(${endpointLabel(from)}, …).port`, opts.port);
    return reachCheck(from, to, true, opts);
  }

  /**
   * The largest don't-fragment packet from `from` to `to` is the path MTU (default: `from`'s interface MTU):
   * that size crosses, one byte more does not. A large-packet black hole is a failure naming the MTU.
   */
  pathMtu(from: NodeDecl, to: Target, opts: PathMtuOptions = {}): CheckDecl {
    return pathMtuCheck(from, to, opts);
  }

  /** `from` must NOT connect to `to`. */
  isolated(from: Endpoint, to: Target, opts: ReachOptions = {}): CheckDecl {
    if (opts.port !== undefined) checkPort(`c.isolated(${endpointLabel(from)}, …).port`, opts.port);
    return negative(reachCheck(from, to, false, opts));
  }

  /** `name` resolves from `from`, to `expect`'s address when given, through the resolver `via` when given. */
  /** `family: 6`: the AAAA record (and `expect`'s IPv6 address). */
  resolves(from: Endpoint, name: string, opts: { expect?: Target; via?: string; name?: string; family?: 4 | 6 } = {}): CheckDecl {
    return dnsCheck(from, name, true, opts);
  }

  doesNotResolve(from: Endpoint, name: string, opts: { name?: string } = {}): CheckDecl {
    return negative(dnsCheck(from, name, false, opts));
  }

  /** Both nodes are in one network namespace: same netns inode, same interfaces, addresses and MACs. */
  sharesNamespace(a: NodeDecl, b: NodeDecl, opts: { name?: string } = {}): CheckDecl {
    return sharesNamespaceCheck(a, b, opts);
  }

  interfaces(on: Endpoint, expect: InterfaceExpectation, opts: { name?: string } = {}): CheckDecl {
    return interfacesCheck(on, expect, opts);
  }

  routes(on: Endpoint, expect: RouteExpectation, opts: { name?: string } = {}): CheckDecl {
    return routesCheck(on, expect, opts);
  }

  /** The node's address on `network` is inside the declared subnet and its default route uses the declared gateway. */
  addressing(node: NodeDecl, network: NetworkDecl, expect: AddressingExpectation = {}, opts: { name?: string } = {}): CheckDecl {
    return addressingCheck(node, network, expect, opts);
  }

  /** `"none"`: no IPv6 address at all; `"loopback"`: only ::1 on lo (Docker ≥ 26.0 without a v6 network); `"host"`: exactly the lab host's IPv6 addresses (host networking). */
  ipv6Addresses(on: NodeDecl, expect: "none" | "loopback" | "host", opts: { name?: string } = {}): CheckDecl {
    return v6AddressesCheck(on, expect, opts);
  }

  /** The declared IPv6 subnet and gateway (of a network with ipv6: true) are the node's; `expect` overrides them. */
  addressing6(node: NodeDecl, network: NetworkDecl, expect: { subnet?: string; gateway?: string; name?: string } = {}): CheckDecl {
    return addressing6Check(node, network, expect);
  }

  /**
   * Packet-capture proof of the rewrite on a published port: the external host
   * connects to the lab host's underlay address:hostPort; captures outside and
   * inside the container show the same tokened flow before and after (DNAT by default).
   */
  ingressNat(server: NodeDecl, opts: NatCheckOptions & { containerPort?: number } = {}): CheckDecl {
    return ingressNatCheck(server, opts);
  }

  /** Capture proof of egress rewriting: inside src = container IP, at the external host src = the host's underlay address (SNAT by default). */
  egressNat(client: NodeDecl, opts: NatCheckOptions = {}): CheckDecl {
    return egressNatCheck(client, opts);
  }

  /** Container to container: both ends see the real addresses (no rewrite by default). */
  noNatBetween(a: NodeDecl, b: NodeDecl, opts: { expect?: ExpectedRewrite; name?: string } = {}): CheckDecl {
    return containerToContainerNatCheck(a, b, opts);
  }

  /** 127.0.0.1:hostPort from the host reaches the container through docker-proxy (a second connection) when the userland proxy is on. */
  userlandProxy(server: NodeDecl, opts: { containerPort?: number; expect?: ExpectedRewrite; name?: string } = {}): CheckDecl {
    return userlandProxyCheck(server, opts);
  }

  /** A capture inside `client` shows its query to 127.0.0.11 and the answer with `peer`'s address. */
  embeddedDnsInCapture(client: NodeDecl, peer: NodeDecl, opts: { name?: string } = {}): CheckDecl {
    return embeddedDnsCaptureCheck(client, peer, opts);
  }

  /** The peer machine on a lab-built L2 segment (macvlan/ipvlan parents). */
  peer(segment: SegmentDecl): SegmentPeerRef {
    return peerOf(segment);
  }

  /** Reachability across a segment, between its nodes and its peer, without NAT. */
  segmentReach(segment: SegmentDecl, from: SegmentEndpoint, to: SegmentEndpoint, mustReach = true, opts: { name?: string } = {}): CheckDecl {
    const d = segmentReach(segment, from, to, mustReach, opts);
    return mustReach ? d : negative(d);
  }

  /** A capture at the segment's peer shows each node with its own MAC and IP (no NAT, no proxy ARP). */
  seenWithOwnMac(segment: SegmentDecl, nodes: NodeDecl[], opts: { name?: string } = {}): CheckDecl {
    return seenWithOwnMac(segment, nodes, opts);
  }

  /** The node's interface is a macvlan child in `mode` of the segment's parent link (kernel's own view). */
  macvlanInterface(node: NodeDecl, segment: SegmentDecl, mode: "bridge" | "private" | "vepa" | "passthru", opts: { name?: string } = {}): CheckDecl {
    return macvlanInterface(node, segment, mode, opts);
  }

  /** Every node's MAC is distinct and none is the parent's. */
  distinctMacs(segment: SegmentDecl, nodes: NodeDecl[], opts: { name?: string } = {}): CheckDecl {
    return distinctMacs(segment, nodes, opts);
  }

  /** The well-known surprise: the host cannot reach its own macvlan children through the parent. */
  hostCannotReachChildren(segment: SegmentDecl, node: NodeDecl, opts: { name?: string } = {}): CheckDecl {
    return hostCannotReachChildren(segment, node, opts);
  }

  /** The standard fix (a macvlan shim on the host in bridge mode, with a route) restores it; the shim is removed after. */
  shimRestoresHostReach(segment: SegmentDecl, nodes: NodeDecl[], opts: { name?: string } = {}): CheckDecl {
    return shimRestoresHostReach(segment, nodes, opts);
  }

  /** vepa: siblings reach each other only through a hairpinning switch port. */
  vepaNeedsHairpin(segment: SegmentDecl, a: NodeDecl, b: NodeDecl, opts: { name?: string } = {}): CheckDecl {
    return vepaNeedsHairpin(segment, a, b, opts);
  }

  /** iperf3 from `from` to a server on `to` (TCP, or UDP at a bitrate), with thresholds; runs only with --perf. */
  throughput(from: Endpoint, to: Endpoint, opts: ThroughputOptions = {}): CheckDecl {
    return throughputCheck(from, to, opts);
  }

  /** ping RTT percentiles and loss, plus TCP connect times, from `from` to `to`; runs only with --perf. */
  latency(from: Endpoint, to: Endpoint, opts: LatencyOptions = {}): CheckDecl {
    return latencyCheck(from, to, opts);
  }

  /** The fixed six-check set every mode uses in the comparison: c2c, c2h and c2e × throughput and latency. */
  modeComparison(from: NodeDecl, peer: NodeDecl, opts: ComparisonChecksOptions = {}): CheckDecl[] {
    return modeComparisonChecks(from, peer, opts);
  }

  /** Multi-host overlay words: the swarm, and VXLAN proven from an underlay capture. */
  readonly overlay = {
    /** Every declared host is a Ready, Active swarm node; the first is the leader. */
    swarmReady: (hosts: DockerHostDecl[]): CheckDecl => swarmReadyCheck(hosts),
    /** a → b on `network` is carried in VXLAN (UDP 4789, the VNI of `vniOf`, default `network`) between the hosts' underlay addresses. */
    vxlanOnUnderlay: (a: NodeDecl, b: NodeDecl, network: NetworkDecl, opts: { vniOf?: NetworkDecl } = {}): CheckDecl => vxlanOnUnderlayCheck(a, b, network, opts),
    /** The engines' control traffic (TCP/UDP 7946 by default) crosses the underlay between the two hosts, both ways. */
    gossipOnUnderlay: (h1: DockerHostDecl, h2: DockerHostDecl, opts: { port?: number; name?: string } = {}): CheckDecl => gossipOnUnderlayCheck(h1, h2, opts),
    /** Classic overlay: the network is known to every host sharing the key-value store, scope "global", no swarm. */
    kvNetwork: (network: NetworkDecl, hosts: DockerHostDecl[], opts: { expectScope?: string; name?: string } = {}): CheckDecl => kvNetworkCheck(network, hosts, opts),
    /** The overlay's MTU crosses between hosts with DF set; a black hole names the underlay rule (underlay MTU ≥ overlay MTU + 50). */
    pathMtu: (a: NodeDecl, b: NodeDecl, opts: Omit<PathMtuOptions, "hint"> = {}): CheckDecl =>
      pathMtuCheck(a, b, { ...opts, hint: "VXLAN adds 50 bytes: every underlay link between the hosts needs an MTU of at least the overlay MTU + 50" }),
    /** A published service port answers on every node and spreads over the replicas (VIP), proven by which replica answered; needs IPVS. */
    routingMesh: (hosts: DockerHostDecl[], opts: RoutingMeshOptions = {}): CheckDecl => routingMeshCheck(hosts, opts),
    /** An --opt encrypted overlay between two hosts shows only ESP on the underlay (0 plaintext VXLAN); needs ESP/AES-GCM. */
    encrypted: (h1: DockerHostDecl, h2: DockerHostDecl, opts: EncryptedOverlayOptions = {}): CheckDecl => encryptedOverlayCheck(h1, h2, opts),
  };

  /** Legacy links on the default bridge (`lab.node(name, { links: [...] })`). */
  readonly links = {
    /** `name` resolves to `expect`'s address through `from`'s /etc/hosts, and no DNS server knows it (no embedded DNS on docker0). */
    hostsEntry: (from: NodeDecl, name: string, expect: NodeDecl, opts: { name?: string } = {}): CheckDecl => hostsFileNameCheck(from, name, expect, opts),
  };

  /** Daemon-setting words, on a scenario's own Docker host (lab.dockerHost with a daemon.json). */
  readonly daemon = {
    /** icc=false: the host's filter table drops docker0 → docker0. */
    iccDropRule: (host: DockerHostDecl): CheckDecl => iccDropRuleCheck(host),
    /** userland-proxy=false: 127.0.0.1:<published> is DNAT from OUTPUT (route_localnet, MASQUERADE), no docker-proxy. */
    hairpinNat: (host: DockerHostDecl, node: NodeDecl, containerPort: number): CheckDecl => hairpinNatCheck(host, node, containerPort),
    /** The node's interface MTU as the kernel reports it. */
    mtu: (node: NodeDecl, expected: number, opts: { iface?: string } = {}): CheckDecl => mtuCheck(node, expected, opts),
    /** iptables=false: no DOCKER chain, no MASQUERADE on the host. */
    noEngineRules: (host: DockerHostDecl): CheckDecl => noEngineRulesCheck(host),
    /** ipv6 + fixed-cidr-v6: the node's v6 address is in the daemon's fixed-cidr-v6, default v6 route via docker0 (`subnet`/`gateway` override). */
    fixedCidrV6: (node: NodeDecl, host: DockerHostDecl, opts: { subnet?: string; gateway?: string; name?: string } = {}): CheckDecl => fixedCidrV6Check(node, host, opts),
  };

  /**
   * A check of your own: return pass/fail/skip with evidence; throwing counts as a failure with the error.
   * `requires`: requirement ids of this check alone (unmet → this check is skipped with the probed reason).
   */
  check(name: string, category: CheckCategory, expectation: string, run: (ctx: CheckContext) => Promise<CheckOutcome>, opts: { requires?: string[] } = {}): CheckDecl {
    if (!/^[a-z0-9][a-z0-9._-]*$/.test(name)) throw new DeclarationError(`c.check("${name}")`, "is not a check name", 'Use lowercase letters, digits, ".", "_" and "-" (it becomes part of the check id mode/scenario/name).');
    if (!(CATEGORIES as readonly string[]).includes(category)) throw new DeclarationError(`c.check("${name}").category`, `"${category}" is not a category`, `Use one of: ${CATEGORIES.join(", ")}.`);
    knownKeys(`c.check("${name}") options`, opts, ["requires"], "check");
    return { name, category, expectation, run, ...(opts.requires ? { requires: opts.requires } : {}) };
  }

  label(e: Endpoint): string {
    return endpointLabel(e);
  }
}
