import type { NetworkDecl, NodeDecl } from "../../lab/topology.js";
import { judgeAddressing6 } from "../../assert/addressing6.js";
import { judgeV6Addresses, parseV6Addresses } from "../../assert/v6-addresses.js";
import { parseIpAddr, parseIpLink, parseIpRoute } from "../../probes/net-info.js";
import { cidrContains, parseCidr } from "../../util/ipv4.js";
import type { CheckDecl } from "../define.js";
import { endpointLabel, targetLabel, type Endpoint, type Target } from "../targets.js";

export interface InterfaceExpectation {
  /** Exactly these interfaces, no others. */
  only?: string[];
  includes?: string[];
  excludes?: string[];
  /** The same interface names as the lab host's root namespace. */
  sameAsHost?: boolean;
}

export function interfacesCheck(on: Endpoint, expect: InterfaceExpectation, opts: { name?: string }): CheckDecl {
  const label = endpointLabel(on);
  const parts = [
    expect.only && `only [${expect.only.join(", ")}]`,
    expect.includes && `includes [${expect.includes.join(", ")}]`,
    expect.excludes && `not [${expect.excludes.join(", ")}]`,
    expect.sameAsHost && "the host's own interfaces",
  ].filter(Boolean);
  return {
    name: opts.name ?? `${label.replace(/:/g, "-")}-interfaces`,
    category: "topology",
    expectation: `${label} has ${parts.join(", ")}`,
    async run(ctx) {
      const own = await ctx.inspect(on, ["ip", "-o", "link"]);
      const names = parseIpLink(own.result.stdout).map((l) => l.name);
      const evidence = [own.evidence];
      const problems: string[] = [];
      if (own.result.exitCode !== 0) problems.push(`ip link failed (exit ${own.result.exitCode})`);
      if (expect.only && [...names].sort().join() !== [...expect.only].sort().join()) problems.push(`has [${names.join(", ")}], expected only [${expect.only.join(", ")}]`);
      for (const i of expect.includes ?? []) if (!names.includes(i)) problems.push(`${i} is missing`);
      for (const i of expect.excludes ?? []) if (names.includes(i)) problems.push(`${i} is present`);
      if (expect.sameAsHost) {
        const host = await ctx.inspect({ kind: "lab-host" }, ["ip", "-o", "link"]);
        evidence.push(host.evidence);
        const hostNames = parseIpLink(host.result.stdout).map((l) => l.name).sort();
        if (hostNames.join() !== [...names].sort().join()) problems.push(`sees [${names.join(", ")}], the host has [${hostNames.join(", ")}]`);
      }
      if (problems.length) return { status: "fail", reason: `${label}: ${problems.join("; ")}`, evidence };
      return { status: "pass", reason: `${label} has ${names.length} interfaces: ${names.join(", ")}`, evidence };
    },
  };
}

export interface RouteExpectation {
  /** No routes at all. */
  none?: boolean;
  /** No default route (an --internal network). */
  noDefault?: boolean;
  defaultVia?: Target;
}

export function routesCheck(on: Endpoint, expect: RouteExpectation, opts: { name?: string }): CheckDecl {
  const label = endpointLabel(on);
  const what = expect.none ? "no routes" : expect.noDefault ? "no default route" : expect.defaultVia ? `a default route via ${targetLabel(expect.defaultVia)}` : "routes";
  return {
    name: opts.name ?? `${label.replace(/:/g, "-")}-${expect.none ? "has-no-routes" : expect.noDefault ? "has-no-default-route" : "default-route"}`,
    category: "topology",
    expectation: `${label} has ${what}`,
    async run(ctx) {
      const r = await ctx.inspect(on, ["ip", "-4", "route"]);
      const routes = parseIpRoute(r.result.stdout);
      const evidence = [r.evidence];
      const def = routes.find((x) => x.dest === "default");
      if (r.result.exitCode !== 0) return { status: "fail", reason: `ip route failed: ${r.result.stderr.trim()}`, evidence };
      if (expect.none && routes.length > 0) return { status: "fail", reason: `${label} has ${routes.length} routes: ${routes.map((x) => x.dest).join(", ")}`, evidence };
      if (expect.noDefault && def) return { status: "fail", reason: `${label} has a default route via ${def.via ?? def.dev}`, evidence };
      if (expect.defaultVia) {
        const want = ctx.resolve(expect.defaultVia).address;
        if (def?.via !== want) return { status: "fail", reason: `${label}'s default route is ${def ? `via ${def.via ?? def.dev}` : "missing"}, expected via ${want}`, evidence };
      }
      return { status: "pass", reason: routes.length ? `routes: ${routes.map((x) => `${x.dest}${x.via ? ` via ${x.via}` : ""}`).join("; ")}` : "no routes", evidence };
    },
  };
}

export interface AddressingExpectation {
  /** Defaults to the network's declared subnet. */
  subnet?: string;
  gateway?: string;
}

export function addressingCheck(node: NodeDecl, network: NetworkDecl, expect: AddressingExpectation, opts: { name?: string }): CheckDecl {
  return {
    name: opts.name ?? `${node.name}-addressing-on-${network.name}`,
    category: "topology",
    expectation: `${node.name}'s address on ${network.name} is in the declared subnet, with the declared gateway`,
    async run(ctx) {
      const net = ctx.lab.networks.get(network.name);
      const subnet = expect.subnet ?? net?.subnet;
      const gateway = expect.gateway ?? net?.gateway;
      const [addr, route] = await Promise.all([ctx.inspect(node, ["ip", "-o", "-4", "addr"]), ctx.inspect(node, ["ip", "-4", "route"])]);
      const evidence = [addr.evidence, route.evidence];
      const addrs = parseIpAddr(addr.result.stdout).filter((a) => a.dev !== "lo");
      const problems: string[] = [];
      const inSubnet = subnet ? addrs.find((a) => cidrContains(parseCidr(subnet), a.address)) : addrs[0];
      if (!inSubnet) problems.push(`no address in ${subnet} (has ${addrs.map((a) => `${a.address}/${a.prefixLen}`).join(", ") || "none"})`);
      else if (subnet && inSubnet.prefixLen !== parseCidr(subnet).prefix) problems.push(`prefix /${inSubnet.prefixLen}, declared ${subnet}`);
      const def = parseIpRoute(route.result.stdout).find((r) => r.dest === "default");
      if (gateway && !network.options.internal && def?.via !== gateway) problems.push(`default route ${def ? `via ${def.via}` : "missing"}, declared gateway ${gateway}`);
      const engineView = net ? `engine: subnet ${net.subnet}, gateway ${net.gateway}` : "";
      if (problems.length) return { status: "fail", reason: `${node.name}: ${problems.join("; ")}${engineView ? ` (${engineView})` : ""}`, evidence };
      return { status: "pass", reason: `${inSubnet!.address}/${inSubnet!.prefixLen} in ${subnet}${gateway ? `, default via ${gateway}` : ""}`, evidence };
    },
  };
}

/** The network's IPv6 subnet and gateway (ipv6: true) are what the node uses; `judgeAddressing6` decides. */
export function addressing6Check(node: NodeDecl, network: NetworkDecl, opts: { name?: string; subnet?: string; gateway?: string }): CheckDecl {
  return {
    name: opts.name ?? `${node.name}-addressing-on-${network.name}-v6`,
    category: "topology",
    expectation: `${node.name}'s IPv6 address on ${network.name} is in the declared v6 subnet, with the declared v6 gateway`,
    async run(ctx) {
      const net = ctx.lab.networks.get(network.name);
      const subnet = opts.subnet ?? net?.subnet6;
      const gateway = opts.gateway ?? net?.gateway6;
      if (!subnet || !gateway) return { status: "fail", reason: `error: network ${network.name} has no IPv6 subnet (declare it with ipv6: true)`, evidence: [] };
      const [addr, route] = await Promise.all([ctx.inspect(node, ["ip", "-o", "-6", "addr"]), ctx.inspect(node, ["ip", "-6", "route"])]);
      const v = judgeAddressing6({ node: node.name, subnet, gateway, ipAddrOutput: addr.result.stdout, ipRouteOutput: route.result.stdout, internal: network.options.internal });
      return { status: v.status, reason: `${v.reason} (engine: v6 subnet ${net?.subnet6}, gateway ${net?.gateway6})`, evidence: [addr.evidence, route.evidence] };
    },
  };
}

/**
 * The IPv6 addresses `on` has: none at all (`"none"`), only ::1 on lo
 * (`"loopback"`), or exactly the lab host's (`"host"`, for host networking);
 * `judgeV6Addresses` decides.
 */
export function v6AddressesCheck(on: NodeDecl, expect: "none" | "loopback" | "host", opts: { name?: string }): CheckDecl {
  const suffix = { none: "none", loopback: "loopback-only", host: "are-the-hosts" }[expect];
  const expectation = { none: `${on.name} has no IPv6 address at all`, loopback: `${on.name}'s only IPv6 address is ::1 on lo`, host: `${on.name} sees exactly the host's IPv6 addresses` }[expect];
  return {
    name: opts.name ?? `${on.name}-ipv6-addresses-${suffix}`,
    category: "topology",
    expectation,
    async run(ctx) {
      const [seen, sysctl] = await Promise.all([ctx.inspect(on, ["ip", "-o", "-6", "addr"]), ctx.inspect(on, ["cat", "/proc/sys/net/ipv6/conf/all/disable_ipv6"])]);
      const evidence = [seen.evidence, sysctl.evidence];
      if (expect !== "host") {
        const v = judgeV6Addresses(on.name, seen.result.stdout, expect === "none" ? { kind: "none" } : { kind: "only", addresses: ["::1/128 (lo)"] });
        return { status: v.status, reason: `${v.reason}; net.ipv6.conf.all.disable_ipv6 = ${sysctl.result.stdout.trim() || "?"}`, evidence };
      }
      // Other labs add and remove links (with addresses) on the host all the time: compare only a container
      // view taken between two identical host views.
      const hostRef = { kind: "lab-host" as const, name: ctx.node(on).labHost.name };
      for (let attempt = 1; ; attempt++) {
        const before = await ctx.inspect(hostRef, ["ip", "-o", "-6", "addr"]);
        const inner = await ctx.inspect(on, ["ip", "-o", "-6", "addr"]);
        const after = await ctx.inspect(hostRef, ["ip", "-o", "-6", "addr"]);
        const stable = parseV6Addresses(before.result.stdout).join() === parseV6Addresses(after.result.stdout).join();
        if (!stable && attempt < 5) continue;
        const v = judgeV6Addresses(on.name, inner.result.stdout, { kind: "same-as", reference: before.result.stdout, where: "the host" });
        const note = stable ? [] : [{ kind: "note" as const, text: "the host's addresses changed during every one of 5 attempts (other labs' links)" }];
        return { status: v.status, reason: v.reason, evidence: [before.evidence, inner.evidence, after.evidence, sysctl.evidence, ...note] };
      }
    },
  };
}
