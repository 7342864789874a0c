import type { Packet } from "../pcap/index.js";

/** The classic overlay's control plane (serf gossip between the engines): TCP and UDP 7946. */
export const GOSSIP_PORT = 7946;

export interface GossipVerdict {
  status: "pass" | "fail";
  reason: string;
  gossip: Packet[];
}

/**
 * The overlay's control plane is seen on the underlay: packets on port 7946
 * (the port the old guides list for TCP and UDP) between exactly the two
 * hosts' underlay addresses, each way. Outside VXLAN: gossip is between the
 * engines themselves. Pure.
 */
export function assertGossip(packets: readonly Packet[], hosts: { a: string; b: string }, port = GOSSIP_PORT): GossipVerdict {
  const onPort = (p: Packet) => !p.vxlan && ((p.udp && (p.udp.srcPort === port || p.udp.dstPort === port)) || (p.tcp && (p.tcp.srcPort === port || p.tcp.dstPort === port)));
  const between = (p: Packet, s: string, d: string) => p.ip?.src === s && p.ip?.dst === d;
  const gossip = packets.filter((p) => onPort(p) && (between(p, hosts.a, hosts.b) || between(p, hosts.b, hosts.a)));
  if (gossip.length === 0) return { status: "fail", reason: `no packet on port ${port} between ${hosts.a} and ${hosts.b} (${packets.length} packets captured)`, gossip };
  const ab = gossip.filter((p) => between(p, hosts.a, hosts.b)).length;
  const ba = gossip.length - ab;
  if (ab === 0 || ba === 0) return { status: "fail", reason: `port ${port} traffic only one way (${hosts.a} → ${hosts.b}: ${ab}, back: ${ba}): no exchange between the engines`, gossip };
  const protos = [...new Set(gossip.map((p) => (p.udp ? "UDP" : "TCP")))].sort().join(" and ");
  return { status: "pass", reason: `${gossip.length} packets on ${protos} ${port} between ${hosts.a} and ${hosts.b} (${ab} one way, ${ba} back): the engines' gossip`, gossip };
}

export interface KvNetworkView {
  host: string;
  /** `docker network inspect` on that host: Id and Scope, or an error. */
  id?: string;
  scope?: string;
  error?: string;
  /** `docker info`'s Swarm.LocalNodeState. */
  swarm: string;
}

/**
 * A classic overlay lives in the key-value store: created on one host, every
 * host sharing the store knows it (same id) with scope "global", and no host
 * is in a swarm. `expectScope` is "global" for the real claim. Pure.
 */
export function assertKvNetwork(views: readonly KvNetworkView[], expectScope: string): { status: "pass" | "fail"; reason: string } {
  const missing = views.find((v) => !v.id);
  if (missing) return { status: "fail", reason: `${missing.host} does not know the network (${missing.error ?? "no id"})` };
  const ids = new Set(views.map((v) => v.id));
  if (ids.size > 1) return { status: "fail", reason: `the hosts see different networks: ${views.map((v) => `${v.host} ${v.id!.slice(0, 12)}`).join(", ")}` };
  const wrong = views.find((v) => v.scope !== expectScope);
  if (wrong) return { status: "fail", reason: `${wrong.host} reports scope "${wrong.scope}", expected "${expectScope}"` };
  const swarm = views.find((v) => v.swarm !== "inactive");
  if (swarm) return { status: "fail", reason: `${swarm.host} is in a swarm (LocalNodeState ${swarm.swarm}): not the key-value store's doing` };
  return { status: "pass", reason: `${views.map((v) => v.host).join(" and ")} both know network ${[...ids][0]!.slice(0, 12)} with scope "${expectScope}", and neither is in a swarm: the key-value store carries it` };
}
