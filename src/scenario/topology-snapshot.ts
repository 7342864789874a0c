import type { RunLab } from "../lab/run-lab.js";
import type { ScenarioLab } from "../lab/scenario-lab.js";
import type { TopologySnapshot } from "../report/model.js";

/** What the report draws: the lab as the engine and kernel actually built it. */
export function snapshotTopology(run: RunLab, lab: ScenarioLab): TopologySnapshot {
  const ext = run.external;
  return {
    hosts: [
      ...run.hosts.map((h) => ({ name: h.name, kind: h.kind, address: ext && h === ext.labHost ? ext.hostSideAddress : undefined })),
      // The scenario's own Docker hosts (dind): each with the engine version it runs.
      ...[...lab.hosts.values()].filter((h) => !run.hosts.includes(h)).map((h) => ({ name: h.name, kind: h.kind, ...("underlayAddress" in h ? { address: String(h.underlayAddress) } : {}), ...("engineVersion" in h ? { engine: String(h.engineVersion) } : {}) })),
      ...(ext ? [{ name: "external", kind: "external" as const, address: ext.address }] : []),
      // A segment's peer and a router are machines of their own on the lab's wires.
      ...[...lab.segments.values()].map((seg) => ({ name: `${seg.name} peer`, kind: "external" as const, address: seg.peer.address })),
      ...[...lab.routers.values()].map((r) => ({ name: `router ${r.name}`, kind: "external" as const, address: [...r.legs.values()].map((l) => l.address).join(", ") })),
    ],
    networks: [
      ...[...lab.segments.values()].map((seg) => ({
        name: `segment ${seg.name}`,
        host: seg.labHost.name,
        driver: "segment (veth + switch namespace)",
        subnet: seg.subnet,
        gateway: seg.gateway,
        parent: seg.link,
      })),
      ...[...lab.networks.values()].map((n) => ({
      name: n.decl.name,
      host: n.labHost.name,
      driver: n.driver,
      subnet: n.subnet,
      gateway: n.gateway,
      parent: parentLink(lab, n.decl.options.parent) ?? n.decl.options.options?.parent,
      internal: n.decl.options.internal ?? false,
      options: n.decl.options.options,
    })),
    ],
    nodes: [...lab.nodes.values()].map((n) => ({
      name: n.name,
      host: n.labHost.name,
      networkMode: n.networkMode.startsWith("container:") ? `container:${(n.decl.options.network as { name: string }).name}` : n.networkMode,
      container: n.containerName,
      interfaces: n.addresses.map((a) => ({ name: a.declared, network: a.declared, ipv4: `${a.ipv4}/${a.prefixLen}`, mac: a.mac })),
    })),
    externalHost: ext ? { namespace: ext.namespace, address: ext.address, hostSideAddress: ext.hostSideAddress, link: ext.link, subnet: ext.subnet } : undefined,
  };
}

/** A network whose parent is a lab segment names the segment's real link. */
function parentLink(lab: ScenarioLab, parent: unknown): string | undefined {
  if (typeof parent === "string") return parent;
  if (parent && typeof parent === "object" && "name" in parent) return lab.segments.get((parent as { name: string }).name)?.link;
  return undefined;
}
