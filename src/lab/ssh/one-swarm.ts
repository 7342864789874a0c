/** What `docker info` says of a host's swarm (the fields that tell one swarm from two). */
export interface SwarmInfo {
  LocalNodeState?: string;
  NodeAddr?: string;
  ControlAvailable?: boolean;
  /** Managers only: a worker's info has no cluster. */
  Cluster?: { ID?: string };
  RemoteManagers?: { Addr?: string; NodeID?: string }[];
}

/**
 * Are these hosts one swarm already? Every one active, at least one a manager,
 * the managers of one cluster, and every worker managed by one of those
 * managers (its RemoteManagers name a manager's address). Pure.
 */
export function isOneSwarm(hosts: readonly SwarmInfo[]): boolean {
  if (hosts.length === 0 || hosts.some((h) => h.LocalNodeState !== "active")) return false;
  const managers = hosts.filter((h) => h.ControlAvailable);
  if (managers.length === 0 || new Set(managers.map((m) => m.Cluster?.ID)).size !== 1 || managers[0]!.Cluster?.ID === undefined) return false;
  const addrs = new Set(managers.map((m) => m.NodeAddr));
  return hosts.every((h) => h.ControlAvailable || (h.RemoteManagers ?? []).some((m) => addrs.has(m.Addr?.replace(/:\d+$/, ""))));
}
