import { assertHairpinNat, assertIccDropRule, assertMtu, assertNoEngineRules } from "../../assert/daemon.js";
import type { DockerHostDecl, LabHostRef, NodeDecl } from "../../lab/topology.js";
import { addressOn } from "../../lab/started.js";
import type { CheckDecl } from "../define.js";
import { judgeAddressing6 } from "../../assert/addressing6.js";
import { nthAddress6, parseCidr6 } from "../../util/ipv6.js";

/** Daemon-setting words (a scenario's own Docker host with its own daemon.json): what the engine did to the host. */
const hostRef = (h: DockerHostDecl): LabHostRef => ({ kind: "lab-host", name: h.name });

export function iccDropRuleCheck(host: DockerHostDecl): CheckDecl {
  return {
    name: `${host.name}-drops-docker0-to-docker0`,
    category: "isolation",
    expectation: `${host.name} (icc=false) drops forwarding between containers on the default bridge in its filter table`,
    async run(ctx) {
      const { result, evidence } = await ctx.inspect(hostRef(host), ["iptables-save", "-t", "filter"]);
      return { ...assertIccDropRule(result.stdout), evidence: [evidence] };
    },
  };
}

export function hairpinNatCheck(host: DockerHostDecl, node: NodeDecl, containerPort: number): CheckDecl {
  return {
    name: `${host.name}-serves-127-0-0-1-by-nat-not-docker-proxy`,
    category: "nat",
    expectation: `${host.name} (userland-proxy=false) serves ${node.name}'s published port on 127.0.0.1 with DNAT from OUTPUT (route_localnet, MASQUERADE), no docker-proxy process`,
    async run(ctx) {
      const n = ctx.node(node);
      const hostPort = n.published.get(containerPort);
      const ip = addressOn(n, "bridge")?.ipv4 ?? n.addresses[0]?.ipv4;
      if (hostPort === undefined || !ip) return { status: "fail", reason: `${node.name} publishes no port ${containerPort} or has no address`, evidence: [] };
      const on = hostRef(host);
      const [ps, nat, rl] = await Promise.all([ctx.inspect(on, ["ps", "-eo", "args"]), ctx.inspect(on, ["iptables-save", "-t", "nat"]), ctx.inspect(on, ["cat", "/proc/sys/net/ipv4/conf/docker0/route_localnet"])]);
      const v = assertHairpinNat({ processes: ps.result.stdout, natRules: nat.result.stdout, routeLocalnet: rl.result.stdout, hostPort, containerIp: ip, containerPort });
      return { ...v, evidence: [ps.evidence, nat.evidence, rl.evidence] };
    },
  };
}

export function mtuCheck(node: NodeDecl, expected: number, opts: { iface?: string } = {}): CheckDecl {
  const iface = opts.iface ?? "eth0";
  return {
    name: `${node.name}-${iface}-mtu-${expected}`,
    category: "topology",
    expectation: `${node.name}'s ${iface} has MTU ${expected}`,
    async run(ctx) {
      const { result, evidence } = await ctx.inspect(node, ["cat", `/sys/class/net/${iface}/mtu`]);
      return { ...assertMtu(result.stdout, expected, `${node.name} ${iface}`), evidence: [evidence] };
    },
  };
}

export function noEngineRulesCheck(host: DockerHostDecl): CheckDecl {
  return {
    name: `${host.name}-has-no-engine-firewall-rules`,
    category: "nat",
    expectation: `${host.name} (iptables=false): the engine wrote no DOCKER chain and no MASQUERADE`,
    async run(ctx) {
      const on = hostRef(host);
      const f = await ctx.inspect(on, ["iptables-save"]);
      return { ...assertNoEngineRules(f.result.stdout), evidence: [f.evidence] };
    },
  };
}

/**
 * ipv6 + fixed-cidr-v6 on the default bridge: the node's global v6 address is in the
 * daemon's fixed-cidr-v6 (read from the daemon.json the host was started with),
 * its default v6 route via docker0's address in it. `subnet`/`gateway` override.
 */
export function fixedCidrV6Check(node: NodeDecl, host: DockerHostDecl, opts: { subnet?: string; gateway?: string; name?: string } = {}): CheckDecl {
  return {
    name: opts.name ?? `${node.name}-v6-address-in-${host.name}-fixed-cidr-v6`,
    category: "topology",
    expectation: `${node.name} on ${host.name}'s default bridge has an IPv6 address in the daemon's fixed-cidr-v6, default v6 route via docker0`,
    async run(ctx) {
      const daemon = (ctx.lab.host(host.name) as { daemon?: Record<string, unknown> }).daemon ?? {};
      const fixed = typeof daemon["fixed-cidr-v6"] === "string" ? daemon["fixed-cidr-v6"] : undefined;
      const subnet = opts.subnet ?? fixed;
      if (!subnet) return { status: "fail", reason: `error: ${host.name}'s daemon.json has no fixed-cidr-v6 (${JSON.stringify(daemon)})`, evidence: [] };
      // Docker gives docker0 the fixed-cidr-v6's first address: the containers' gateway.
      const gateway = opts.gateway ?? nthAddress6(parseCidr6(subnet), 1);
      const [bridge, addr, route] = await Promise.all([
        ctx.inspect(hostRef(host), ["ip", "-o", "-6", "addr", "show", "dev", "docker0", "scope", "global"]),
        ctx.inspect(node, ["ip", "-o", "-6", "addr"]),
        ctx.inspect(node, ["ip", "-6", "route"]),
      ]);
      const v = judgeAddressing6({ node: node.name, subnet, gateway, ipAddrOutput: addr.result.stdout, ipRouteOutput: route.result.stdout });
      return { status: v.status, reason: `${v.reason} (daemon.json: fixed-cidr-v6 ${fixed ?? "unset"})`, evidence: [addr.evidence, route.evidence, bridge.evidence] };
    },
  };
}
