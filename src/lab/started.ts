import type { ContainerHost } from "../engine/container-host.js";
import type { LabHost } from "./lab-host.js";
import type { NetworkDecl, NodeDecl } from "./topology.js";

export interface NodeAddress {
  /** Docker network name (nc-<run>-<scenario>-<net>, or bridge). */
  network: string;
  /** The declared network's name, when it was declared ("bridge" for the default one). */
  declared: string;
  ipv4: string;
  prefixLen: number;
  gateway: string;
  mac: string;
  /** Global IPv6 address, prefix and gateway, on an `--ipv6` network. */
  ipv6?: string;
  prefixLen6?: number;
  gateway6?: string;
}

export interface StartedNode {
  decl: NodeDecl;
  name: string;
  containerId: string;
  containerName: string;
  labHost: LabHost;
  shell: ContainerHost;
  networkMode: string;
  /** Addresses from the engine's view (empty for host/none; a container:<id> joiner reports its target's). */
  addresses: NodeAddress[];
  /** The HTTP port the node serves on, if any. */
  httpPort: number | undefined;
  /** Published ports: container port → host port. */
  published: Map<number, number>;
}

export interface StartedNetwork {
  decl: NetworkDecl;
  dockerName: string;
  id: string;
  driver: string;
  subnet: string | undefined;
  gateway: string | undefined;
  /** `--ipv6` networks: the declared v6 subnet and gateway. */
  subnet6?: string;
  gateway6?: string;
  labHost: LabHost;
}

export function addressOn(node: StartedNode, network?: NetworkDecl | string): NodeAddress | undefined {
  if (network === undefined) return node.addresses[0];
  const name = typeof network === "string" ? network : network.name;
  return node.addresses.find((a) => a.declared === name || a.network === name);
}
