/**
 * The declared topology of one scenario: networks and nodes, before anything
 * exists. Checks refer to these declarations; the started lab maps each one to
 * its running container or network.
 */
import { DeclarationError } from "../util/errors.js";
import { validateExternalHostOptions, validateNetworkOptions, validateNodeOptions } from "./topology-options.js";

export type BuiltinNetwork = "bridge" | "host" | "none";

export interface NetworkOptions {
  driver?: "bridge" | "macvlan" | "ipvlan" | "overlay";
  /** "auto" (default) takes a free lab subnet; a literal CIDR pins it. */
  subnet?: string;
  gateway?: string;
  internal?: boolean;
  /** `--ipv6`: a /64 from the run's guarded ULA range, its first address the gateway. */
  ipv6?: boolean;
  /** Driver options, e.g. { parent: "netcheck-ab12cm", macvlan_mode: "bridge" }. */
  options?: Record<string, string>;
  /**
   * macvlan/ipvlan parent: a lab segment (resolved to its link at bring-up; the
   * network then takes the segment's subnet and gateway) or a literal link name.
   */
  parent?: SegmentDecl | string;
  /** Lab host it lives on (default: the first). */
  host?: string;
  /** More pinned IPv4 subnets on the same network (one ipvlan L3 network, several subnets on one parent); place nodes with `ipv4`. */
  moreSubnets?: string[];
}

export interface NetworkDecl {
  kind: "network";
  name: string;
  options: NetworkOptions;
}

/** A service a node runs: by default the identity HTTP server; with `command`, what your command listens on (netcheck waits for it). */
export interface ServeHttp {
  kind: "http" | "tcp" | "udp";
  port: number;
}

export interface PortPublish {
  /** Host port, or "auto" for a free one. */
  host: number | "auto";
  container: number;
  protocol?: "tcp" | "udp";
  /** Publish on this host address only (`-p 127.0.0.1:P:80`); default all addresses. */
  hostIp?: string;
}

export interface NodeOptions {
  /** Primary network: a declared network, a built-in mode, or another node (container:<id>). Default "bridge". */
  network?: NetworkDecl | BuiltinNetwork | NodeDecl;
  /** More networks to connect after start. */
  alsoOn?: (NetworkDecl | { network: NetworkDecl; ipv4?: string })[];
  ipv4?: string;
  /** Publish container ports on the lab host. */
  publish?: PortPublish[];
  /** Services the node runs. Default: HTTP on 80 (in host mode: a free high port). Pass [] for none. */
  serve?: ServeHttp[];
  /** The node's own command instead of the identity HTTP server (argv, run in the probe image's busybox). Declare what it listens on in `serve` as tcp/udp. */
  command?: string[];
  env?: Record<string, string>;
  capAdd?: string[];
  capDrop?: string[];
  /** Namespaced sysctls (`--sysctl`), e.g. { "net.ipv4.ip_forward": "1" }. */
  sysctls?: Record<string, string | number>;
  /** /etc/hosts entries (`--add-host`): name → IPv4 or "host-gateway" (the lab host's bridge address). */
  extraHosts?: Record<string, string>;
  /**
   * Legacy links (`--link <node>:<alias>`), default bridge only: the alias and the
   * linked node's name go into this node's /etc/hosts; under icc=false the link
   * opens the linked node's `expose`d ports to this node, and nothing else.
   */
  links?: (NodeDecl | { node: NodeDecl; alias: string })[];
  /** TCP ports this node EXPOSEs (`--expose`): the ports a legacy link toward it opens. */
  expose?: number[];
  /** resolv.conf options (`--dns-option`), e.g. ["ndots:2"]. The resolver itself is always the lab's. */
  dnsOptions?: string[];
  /** resolv.conf search domains (`--dns-search`). */
  dnsSearch?: string[];
  host?: string;
}

export interface NodeDecl {
  kind: "node";
  name: string;
  options: NodeOptions;
}

/**
 * An isolated L2 segment the lab builds itself (never the host's real NIC): a
 * veth whose host end is a macvlan parent and whose far end is a port of a
 * switch in a peer namespace, which is also a machine on the segment.
 */
export interface SegmentOptions {
  /** Give the lab host an address on the parent link (to show it cannot reach its macvlan children). */
  hostAddress?: boolean;
  host?: string;
}

export interface SegmentDecl {
  kind: "segment";
  name: string;
  options: SegmentOptions;
}

/** A namespace with IP forwarding on, holding each segment's gateway address. */
export interface RouterDecl {
  kind: "router";
  name: string;
  segments: SegmentDecl[];
}

/**
 * A Docker host of the scenario's own (multi-host modes, daemon settings): a
 * docker-in-docker host with its own daemon.json and engine version, or, with
 * `--lab vm` and no daemon settings, one of the VM lab's hosts. Nodes and
 * networks name it in their `host` option.
 */
export interface DockerHostOptions {
  /** daemon.json keys (icc, userland-proxy, mtu, ipv6, iptables…); the lab adds its own pools and cgroup parent. */
  daemon?: Record<string, unknown>;
  /** Engine version, e.g. "26.1" (default: the local engine's). */
  engine?: string;
  /**
   * Classic (pre-swarm) multi-host networking: the lab runs etcd on the hosts'
   * underlay and gives this host `cluster-store` and `cluster-advertise`; no
   * swarm is formed. Docker 23.0 removed it: declare `requires: ["engine.cluster-store"]`.
   */
  clusterStore?: "etcd";
}

export interface DockerHostDecl {
  kind: "docker-host";
  name: string;
  options: DockerHostOptions;
}

export interface LabHostRef {
  kind: "lab-host";
  name?: string;
}

export interface ExternalRef {
  kind: "external-ref";
}

export class TopologyBuilder {
  readonly networks: NetworkDecl[] = [];
  readonly nodes: NodeDecl[] = [];
  readonly segments: SegmentDecl[] = [];
  readonly routers: RouterDecl[] = [];
  readonly dockerHosts: DockerHostDecl[] = [];

  /** A Docker host of this scenario's own (see DockerHostDecl); name it in a node's or network's `host`. */
  dockerHost(name: string, options: DockerHostOptions = {}): DockerHostDecl {
    if (!/^[a-z][a-z0-9]{0,7}$/.test(name)) throw new Error(`docker host name "${name}" must be 1-8 lowercase letters and digits`);
    if (this.dockerHosts.some((h) => h.name === name)) throw new Error(`docker host "${name}" is declared twice`);
    const decl: DockerHostDecl = { kind: "docker-host", name, options };
    this.dockerHosts.push(decl);
    return decl;
  }

  network(name: string, options: NetworkOptions = {}): NetworkDecl {
    if (this.networks.some((n) => n.name === name)) throw new DeclarationError(`lab.network("${name}")`, "is declared twice", "Give each network its own name.");
    validateNetworkOptions(name, options);
    const decl: NetworkDecl = { kind: "network", name, options };
    this.networks.push(decl);
    return decl;
  }

  node(name: string, options: NodeOptions = {}): NodeDecl {
    if (!/^[a-z][a-z0-9-]{0,30}$/.test(name)) throw new DeclarationError(`lab.node("${name}")`, "is not a valid node name", "Use lowercase letters, digits and dashes, starting with a letter (at most 31).");
    if (this.nodes.some((n) => n.name === name)) throw new DeclarationError(`lab.node("${name}")`, "is declared twice", "Give each node its own name.");
    validateNodeOptions(name, options);
    const decl: NodeDecl = { kind: "node", name, options };
    this.nodes.push(decl);
    return decl;
  }

  segment(name: string, options: SegmentOptions = {}): SegmentDecl {
    if (!/^[a-z][a-z0-9-]{0,30}$/.test(name)) throw new DeclarationError(`lab.segment("${name}")`, "is not a valid segment name", "Use lowercase letters, digits and dashes, starting with a letter (at most 31).");
    if (this.segments.some((s) => s.name === name)) throw new DeclarationError(`lab.segment("${name}")`, "is declared twice", "Give each segment its own name.");
    const decl: SegmentDecl = { kind: "segment", name, options };
    this.segments.push(decl);
    return decl;
  }

  /** A router between segments: it takes each segment's gateway address. */
  router(name: string, segments: SegmentDecl[]): RouterDecl {
    if (this.routers.some((r) => r.name === name)) throw new DeclarationError(`lab.router("${name}")`, "is declared twice", "Give each router its own name.");
    for (const s of segments) if (!this.segments.includes(s)) throw new DeclarationError(`lab.router("${name}")`, `segment "${s.name}" is not declared in this lab`, "Pass segments returned by lab.segment(...) of this scenario.");
    const decl: RouterDecl = { kind: "router", name, segments };
    this.routers.push(decl);
    return decl;
  }

  /** The Docker host itself (its root network namespace). */
  host(name?: string): LabHostRef {
    return { kind: "lab-host", name };
  }

  /** Set by `externalHost({ sameLan: true })`: the external host routes this scenario's subnets via the Docker host. */
  externalRoutesToLab = false;
  /** TCP ports the external host serves (busybox httpd, `node=external`) while this scenario runs. */
  externalListen: number[] = [];

  /**
   * The lab's external host: a namespace on the underlay, outside Docker.
   * `sameLan: true` makes it "a host on the same LAN": it gets routes to this
   * scenario's bridge subnets via the Docker host, so it can address containers
   * by their own IPs (and an un-NATed reply finds its way back). `listen` makes
   * it serve TCP ports (it also listens on any port a check probes toward it).
   */
  externalHost(opts: { sameLan?: boolean; listen?: number[] } = {}): ExternalRef {
    validateExternalHostOptions(opts);
    if (opts.sameLan) this.externalRoutesToLab = true;
    for (const p of opts.listen ?? []) if (!this.externalListen.includes(p)) this.externalListen.push(p);
    return { kind: "external-ref" };
  }
}

export function primaryNetworkMode(node: NodeDecl): string {
  const n = node.options.network ?? "bridge";
  if (typeof n === "string") return n;
  return n.kind === "node" ? `container:${n.name}` : n.name;
}
