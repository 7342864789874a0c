import type { TopologyBuilder } from "../lab/topology.js";

/**
 * A scenario that needs the lab's IPv6 (an `ipv6: true` network, a Docker host
 * whose daemon has `ipv6: true`) on a lab without it (a kernel without IPv6,
 * disable_ipv6=1 — probed when the run's lab came up) is skipped with that
 * reason, never brought up to fail. Pure.
 */
export function ipv6SkipReason(topology: Pick<TopologyBuilder, "networks" | "dockerHosts">, labIpv6: { range: string } | { range?: undefined; unavailable: string }): string | undefined {
  if (labIpv6.range !== undefined) return undefined;
  const needs = [
    ...topology.networks.filter((n) => n.options.ipv6).map((n) => `network "${n.name}" (ipv6: true)`),
    ...topology.dockerHosts.filter((h) => h.options.daemon?.ipv6 === true).map((h) => `Docker host "${h.name}" (daemon ipv6: true)`),
  ];
  return needs.length ? `needs IPv6 for ${needs.join(", ")}, but the lab has none: ${labIpv6.unavailable}` : undefined;
}
