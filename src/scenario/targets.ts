import type { ExternalRef, LabHostRef, NetworkDecl, NodeDecl } from "../lab/topology.js";

/** Where a probe runs from: a node, a lab host's root namespace, or the external host. */
export type Endpoint = NodeDecl | LabHostRef | ExternalRef;

/** What a probe is aimed at. Resolved to an address (or a name) once the lab is up. */
export type Target =
  | Endpoint
  | { kind: "address"; address: string; label?: string }
  | { kind: "gateway"; of: NodeDecl; network?: NetworkDecl }
  /** 127.0.0.1 on the service port of `serviceOf`: for host mode and shared namespaces. */
  | { kind: "loopback"; serviceOf: NodeDecl }
  /** A node's published port on a lab host's underlay address (what the outside connects to). */
  | { kind: "published"; node: NodeDecl; containerPort: number };

export function endpointLabel(e: Endpoint): string {
  if (e.kind === "node") return e.name;
  if (e.kind === "lab-host") return e.name ? `host:${e.name}` : "host";
  return "external";
}

export function targetLabel(t: Target): string {
  switch (t.kind) {
    case "address":
      return t.label ?? t.address;
    case "gateway":
      return `${t.of.name}'s gateway`;
    case "loopback":
      return `127.0.0.1 (${t.serviceOf.name}'s server)`;
    case "published":
      return `${t.node.name}'s published port ${t.containerPort}`;
    default:
      return endpointLabel(t);
  }
}

export function slugOf(t: Target): string {
  switch (t.kind) {
    case "address":
      return (t.label ?? t.address).replace(/[^a-z0-9]+/gi, "-");
    case "gateway":
      return `${t.of.name}-gateway`;
    case "loopback":
      return `loopback-${t.serviceOf.name}`;
    case "published":
      return `${t.node.name}-published-${t.containerPort}`;
    default:
      return endpointLabel(t).replace(/:/g, "-");
  }
}
