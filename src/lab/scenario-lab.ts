import { ContainerHost } from "../engine/container-host.js";
import { SubnetConflictError } from "../engine/errors.js";
import { Cleanup } from "../util/cleanup.js";
import { ensureExternalListener } from "./external-http.js";
import { LabBringUpError } from "./errors.js";
import { dockerName, LABEL_LAB, LABEL_ROLE, LABEL_RUN, LABEL_SCENARIO } from "../util/labels.js";
import { newToken } from "../util/ids.js";
import { nthAddress, parseCidr } from "../util/ipv4.js";
import { nthAddress6, parseCidr6 } from "../util/ipv6.js";
import { probeImageTag } from "../util/version.js";
import type { RunLab } from "./run-lab.js";
import type { LabHost } from "./lab-host.js";
import type { StartedNetwork, StartedNode } from "./started.js";
import { nodeCommand, waitForServices } from "./node-services.js";
import { createRouter, type StartedRouter } from "./router.js";
import { assertParentExists, createSegment, resolveParent, type StartedSegment } from "./segment.js";
import { primaryNetworkMode, type DockerHostDecl, type NetworkDecl, type NodeDecl, type ServeHttp, type TopologyBuilder } from "./topology.js";
import { startDindHosts } from "./dind/dind-hosts.js";
import type { KvStore } from "./dind/kv-store.js";
import { unlessHostGone, type DindLabHost } from "./dind/dind-host.js";
import { formSwarm, isAttachTimeout, type SwarmFormation } from "./dind/swarm.js";
import { own } from "./owned.js";
import type { SshLabHost } from "./ssh/ssh-lab-host.js";
import { isOneSwarm, type SwarmInfo } from "./ssh/one-swarm.js";
import { warmOverlayOn } from "./ssh/warm-overlay.js";
import { errorMessage } from "../util/errors.js";
import { PhaseClock } from "../util/phases.js";
import { cleanupSignal } from "../util/abort.js";

/** Nodes that must exist before this one: the namespace it joins, the nodes it links to. */
function dependsOn(n: NodeDecl): NodeDecl[] {
  const net = n.options.network;
  const links = (n.options.links ?? []).map((l) => ("kind" in l ? l : l.node));
  return typeof net === "object" && net.kind === "node" ? [net, ...links] : links;
}

/** One scenario's networks and nodes, created inside a RunLab and removed with it. */
/** Drivers whose networks take a parent link, one network per parent (Docker 20.10). */
const PARENTED = new Set(["macvlan", "ipvlan"]);

export class ScenarioLab implements AsyncDisposable {
  readonly cleanup = new Cleanup();
  readonly networks = new Map<string, StartedNetwork>();
  readonly nodes = new Map<string, StartedNode>();
  readonly segments = new Map<string, StartedSegment>();
  readonly routers = new Map<string, StartedRouter>();
  /** The scenario's own Docker hosts (dind, or VMs mapped to its declared names). */
  readonly hosts = new Map<string, LabHost>();
  swarm: SwarmFormation | undefined;
  /** Nodes attach to a swarm's overlay (formed here, or the VM lab's / the user's own): one at a time, a timed-out attach retried. */
  private onSwarm = false;
  /** Attach attempts that timed out and were retried, on a swarm this lab did not form (evidence for the swarm check). */
  readonly retriedAttaches: { node: string; error: string }[] = [];
  /** The classic overlay's key-value store, when the scenario's hosts declare `clusterStore`. */
  kvStore: KvStore | undefined;
  /** The probe image going into dind hosts: networks are created meanwhile, nodes wait for it. */
  private imagesLoaded: Promise<void> | undefined;
  /** Where bring-up and teardown time went (results.json `phases`). */
  readonly clock = new PhaseClock();

  constructor(
    readonly run: RunLab,
    readonly scenarioId: string,
    /** Short, name-safe form of the scenario id used in Docker names. */
    readonly slug: string,
  ) {}

  /** Tells this lab's containers and networks from another repeat's of the same scenario (one may be kept). */
  private readonly labId = newToken("lab");

  labels(role: string): Record<string, string> {
    return { [LABEL_RUN]: this.run.runId, [LABEL_SCENARIO]: this.scenarioId, [LABEL_LAB]: this.labId, [LABEL_ROLE]: role };
  }

  /** A declared Docker host of this scenario, else one of the run's hosts (default: the primary). */
  host(name?: string): LabHost {
    return (name !== undefined ? this.hosts.get(name) : undefined) ?? this.run.host(name);
  }

  async bringUp(topology: TopologyBuilder, signal?: AbortSignal): Promise<void> {
    if (topology.dockerHosts.length > 0) await this.bringUpDockerHosts(topology, signal);
    const clock = this.clock;
    for (const s of topology.segments) {
      try {
        this.segments.set(s.name, await createSegment(this.run, s, this.cleanup, signal));
      } catch (err) {
        throw new LabBringUpError(`segment "${s.name}"`, err);
      }
    }
    for (const r of topology.routers) {
      try {
        this.routers.set(r.name, await createRouter(this.run, r, this.segments, this.cleanup, signal));
      } catch (err) {
        throw new LabBringUpError(`router "${r.name}"`, err);
      }
    }
    // All of a scenario's parents at once, in one order: two scenarios never wait on each other in a circle.
    const parents = [...new Set(topology.networks.flatMap((n) => (typeof n.options.options?.parent === "string" && PARENTED.has(n.options.driver ?? "") ? [`${this.host(n.options.host).name}:${n.options.options.parent}`] : [])))].sort();
    for (const key of parents) this.cleanup.defer(`parent link ${key}`, await clock.time(`wait for parent ${key}`, () => this.run.holdParent(key)));
    if (topology.networks.length) await clock.time("networks", () => allStarted(topology.networks.map((n) => this.createNetwork(n, signal))));
    if (topology.externalRoutesToLab) await this.routeExternalToNetworks(signal);
    for (const port of topology.externalListen) await ensureExternalListener(this.run, port, signal);
    if (this.imagesLoaded) await clock.time("wait for probe image", () => this.imagesLoaded!);
    if (topology.nodes.length) await clock.time("nodes", () => this.startNodes(topology, signal));
    if (this.warmed.size) await clock.time("unwarm", () => this.unwarm(signal));
  }

  private async startNodes(topology: TopologyBuilder, signal?: AbortSignal): Promise<void> {
    const pending = [...topology.nodes];
    // Nodes that join another node's namespace start after their target; the rest start together.
    while (pending.length > 0) {
      const ready = pending.filter((n) => dependsOn(n).every((d) => this.nodes.has(d.name)));
      if (ready.length === 0) throw new LabBringUpError(`nodes ${pending.map((n) => n.name).join(", ")}`, new Error("node dependency cycle (each joins another's namespace or links to another)"));
      // On a swarm, attaches queue up on the manager's allocator; one at a time keeps each under the engine's 20 s
      // attach deadline. (Hosts side by side was tried: at load average 25–34 the manager's first attach then
      // overran the deadline twice, where one at a time passed at 25–36. Tried again in session 4, one node at a
      // time per host with the hosts side by side, A/B against one at a time at load 19–38: the first two
      // attaches took 48 s and 56 s (timeouts, retried) where one at a time took 11 s and 5 s.)
      if (this.onSwarm) for (const n of ready) await this.createNode(n, signal);
      else await allStarted(ready.map((n) => this.createNode(n, signal)));
      for (const n of ready) pending.splice(pending.indexOf(n), 1);
    }
  }

  /** "A host on the same LAN": routes in the external host to this scenario's bridge subnets, removed with the scenario. */
  private async routeExternalToNetworks(signal?: AbortSignal): Promise<void> {
    const ext = this.run.external;
    for (const n of this.networks.values()) {
      const subnet = n.subnet;
      if (n.driver !== "bridge" || !subnet || n.labHost !== ext.labHost) continue;
      const add = ["ip", "route", "add", subnet, "via", ext.hostSideAddress];
      const res = await ext.shell.exec(add, { signal });
      if (res.exitCode !== 0) throw new LabBringUpError(`a route to ${subnet} in the external host`, new Error(res.stderr.trim()));
      // The namespace goes with the run (and with `netcheck clean`): the route needs no ledger entry of its own.
      this.cleanup.defer(`external route ${subnet}`, async () => {
        await ext.shell.exec(["ip", "route", "del", subnet, "via", ext.hostSideAddress], { timeoutMs: 5000 });
      });
    }
  }

  /**
   * Declared Docker hosts: the VM lab's when the run has enough VMs and the
   * scenario asks for no daemon setting of its own (`--lab vm` prefers VMs),
   * else docker-in-docker hosts started for this scenario. A swarm is formed
   * over dind hosts when the scenario declares an overlay network.
   */
  private async bringUpDockerHosts(topology: TopologyBuilder, signal?: AbortSignal): Promise<void> {
    const decls = topology.dockerHosts;
    // The user's own hosts (--hosts) or the VM lab's, in order; a daemon setting or engine of the scenario's own needs dind.
    const remote = this.run.hosts.filter((h) => h.kind === "vm" || h.kind === "ssh");
    if (remote.length >= decls.length && !this.run.engineVersion && decls.every((d) => !d.options.daemon && !d.options.engine && !d.options.clusterStore)) {
      decls.forEach((d, i) => this.hosts.set(d.name, remote[i]!));
      // The first attaches on a swarm under qemu TCG time out like a young swarm's (measured on the VM lab through --hosts).
      this.onSwarm = topology.networks.some((n) => n.options.driver === "overlay");
      const ssh = remote.slice(0, decls.length).filter((h): h is SshLabHost => h.kind === "ssh");
      if (ssh.length && topology.networks.some((n) => n.options.driver === "overlay")) await this.clock.time("swarm", () => this.swarmOverSshHosts(ssh, signal));
      return;
    }
    const specs = decls.map((d: DockerHostDecl) => ({ name: d.name, daemon: d.options.daemon, engine: d.options.engine ?? this.run.engineVersion, clusterStore: d.options.clusterStore }));
    const { hosts: dind, imagesLoaded, kvStore } = await this.clock.time("dind hosts", () => startDindHosts(this.run, specs, this.slug, this.scenarioId, this.cleanup, signal, this.clock));
    for (const h of dind) this.hosts.set(h.name, h);
    this.kvStore = kvStore;
    // Hosts sharing a key-value store make classic overlay networks: no swarm.
    if (topology.networks.some((n) => n.options.driver === "overlay") && !kvStore) {
      const pool = await this.run.allocateSubnet(this.run.primary, this.cleanup, signal, { innerOnly: true });
      this.swarm = await this.clock.time("swarm", () => formSwarm(dind, pool, this.cleanup, signal));
      this.onSwarm = true;
    }
    this.imagesLoaded = imagesLoaded;
  }

  /**
   * The user's hosts already in one swarm are used as they are (their swarm is
   * theirs: never left); hosts in no swarm get one for this scenario, left
   * after it (ledgered, so `netcheck clean --hosts` finishes a killed run);
   * anything in between is refused before anything changes.
   */
  private async swarmOverSshHosts(hosts: SshLabHost[], signal?: AbortSignal): Promise<void> {
    const states = await Promise.all(hosts.map(async (h) => ({ h, swarm: ((await h.engine.info(signal)).Swarm ?? {}) as SwarmInfo })));
    const active = states.filter((s) => s.swarm.LocalNodeState === "active");
    if (isOneSwarm(states.map((s) => s.swarm))) return;
    if (active.length > 0) {
      const said = states.map((s) => `${s.h.name}: ${s.swarm.LocalNodeState ?? "unknown"}`).join(", ");
      throw new LabBringUpError(`the swarm over ${hosts.map((h) => h.name).join(", ")}`, new Error(`the hosts are not one swarm and not all free of one (${said}); netcheck never changes a swarm it did not make: join them in one swarm (the first a manager), or name hosts in none`));
    }
    const gw = await Promise.all(hosts.map((h) => h.engine.listNetworks().then((ns) => ns.some((n) => n.Name === "docker_gwbridge"))));
    // `swarm leave --force` leaves docker_gwbridge behind: removed after the leave where the swarm made it.
    hosts.forEach((h, i) => {
      if (!gw[i]) own(h, this.cleanup, this.run.ledger, `docker_gwbridge on ${h.name}`, ["docker", "network", "rm", "docker_gwbridge"]);
    });
    const pool = await this.run.allocateSubnet(this.run.primary, this.cleanup, signal, { innerOnly: true });
    this.swarm = await formSwarm(hosts, pool, this.cleanup, signal, (h, what, undo) => own(h, this.cleanup, this.run.ledger, what, undo));
  }

  private async createNetwork(decl: NetworkDecl, signal?: AbortSignal): Promise<void> {
    const host = this.host(decl.options.host);
    const name = dockerName(this.run.runId, `${this.slug}-${decl.name}`);
    const driver = decl.options.driver ?? "bridge";
    const parent = resolveParent(decl, this.segments);
    if (parent.link) await assertParentExists(this.run, host, decl, parent.link, this.segments, signal);
    const pinned = decl.options.subnet && decl.options.subnet !== "auto" ? decl.options.subnet : parent.segment?.subnet;
    for (let attempt = 0; ; attempt++) {
      const subnet = pinned ?? (await this.run.allocateSubnet(host, this.cleanup, signal));
      if (pinned) this.run.addLabRange(pinned);
      for (const more of decl.options.moreSubnets ?? []) this.run.addLabRange(more);
      const gateway = decl.options.gateway ?? parent.segment?.gateway ?? (driver === "bridge" || driver === "macvlan" ? nthAddress(parseCidr(subnet), 1) : undefined);
      const subnet6 = decl.options.ipv6 ? this.run.allocateSubnet6() : undefined;
      const ipv6 = subnet6 ? { subnet: subnet6, gateway: nthAddress6(parseCidr6(subnet6), 1) } : undefined;
      if (ipv6) await this.run.restoreV6ForwardingLater(host, signal);
      try {
        const id = await host.engine.createNetwork(
          {
          name,
          driver,
          subnet,
          gateway,
          internal: decl.options.internal,
          ipv6,
          options: driver === "bridge" ? { "com.docker.network.bridge.name": this.run.takeBridgeName(this.cleanup), ...decl.options.options } : parent.options,
          auxAddresses: parent.segment?.reserved,
          ...(decl.options.moreSubnets?.length ? { moreSubnets: decl.options.moreSubnets } : {}),
          labels: this.labels(`network:${decl.name}`),
          },
          signal,
        );
        this.cleanup.defer(`network ${name}`, unlessHostGone(host, (s) => host.engine.removeNetwork(id, s)));
        this.networks.set(decl.name, { decl, dockerName: name, id, driver, subnet, gateway, ...(ipv6 ? { subnet6: ipv6.subnet, gateway6: ipv6.gateway } : {}), labHost: host });
        return;
      } catch (err) {
        if (err instanceof SubnetConflictError && !pinned && attempt < 8) {
          this.run.markSubnetTaken(subnet);
          continue;
        }
        throw new LabBringUpError(`network "${decl.name}" (${driver}, ${subnet})`, err);
      }
    }
  }

  private async createNode(decl: NodeDecl, signal?: AbortSignal): Promise<void> {
    const host = this.host(decl.options.host);
    const containerName = dockerName(this.run.runId, `${this.slug}-${decl.name}`);
    let networkMode = primaryNetworkMode(decl);
    const primary = decl.options.network;
    if (typeof primary === "object" && primary.kind === "node") networkMode = `container:${this.nodes.get(primary.name)!.containerId}`;
    if (typeof primary === "object" && primary.kind === "network") networkMode = this.networks.get(primary.name)!.dockerName;
    const o = decl.options;
    const serve = o.serve ?? (o.command ? [] : [{ kind: "http" as const, port: networkMode === "host" ? await freeHostPort(host) : 80 }]);
    const httpPort = o.command ? undefined : serve.find((s) => s.kind === "http")?.port;
    const published = new Map<number, number>();
    for (const p of decl.options.publish ?? []) published.set(p.container, p.host === "auto" ? await freeHostPort(host) : p.host);
    let id: string;
    const run = () => host.engine.runContainer({
        name: containerName,
        image: probeImageTag(),
        cmd: o.command ?? nodeCommand(decl.name, serve),
        networkMode,
        ipv4: decl.options.ipv4,
        aliases: [decl.name],
        hostname: decl.name,
        dns: this.run.dnsServers,
        // The probes need NET_ADMIN and NET_RAW unless the scenario drops them on purpose.
        capAdd: ["NET_ADMIN", "NET_RAW", ...(o.capAdd ?? [])].filter((c) => !(o.capDrop ?? []).some((d) => d.replace(/^CAP_/i, "").toUpperCase() === c)),
        capDrop: o.capDrop,
        sysctls: o.sysctls && Object.fromEntries(Object.entries(o.sysctls).map(([k, v]) => [k, String(v)])),
        env: o.env,
        extraHosts: o.extraHosts && Object.entries(o.extraHosts).map(([name, address]) => `${name}:${address}`),
        links: o.links?.map((l) => ("kind" in l ? `${this.nodes.get(l.name)!.containerName}:${l.name}` : `${this.nodes.get(l.node.name)!.containerName}:${l.alias}`)),
        expose: o.expose,
        dnsOptions: o.dnsOptions,
        dnsSearch: o.dnsSearch,
        publish: (o.publish ?? []).map((p) => ({ host: published.get(p.container)!, container: p.container, protocol: p.protocol, hostIp: p.hostIp })),
        extraNetworks: (decl.options.alsoOn ?? []).map((x) => {
          const net = "kind" in x ? x : x.network;
          return { network: this.networks.get(net.name)!.dockerName, ipv4: "kind" in x ? undefined : x.ipv4, aliases: [decl.name] };
        }),
        labels: this.labels(`node:${decl.name}`),
      }, signal);
    try {
      // A young swarm's first attach can time out: up to twice (under a load average of 40+ once was not
      // enough: 3 of 5 overlay runs lost their lab to a second timeout), keeping what each said.
      const attempt = (left: number): Promise<string> =>
        run().catch(async (err: unknown) => {
          if (!this.onSwarm || !isAttachTimeout(err) || left === 0) throw err;
          (this.swarm?.retriedAttaches ?? this.retriedAttaches).push({ node: decl.name, error: errorMessage(err) });
          await host.engine.removeContainer(containerName).catch(() => undefined);
          if (host.kind === "ssh" || host.kind === "vm") await this.warmOverlays(decl, host, signal);
          return attempt(left - 1);
        });
      id = await this.clock.time(`node ${decl.name}: run`, () => attempt(2));
    } catch (err) {
      throw new LabBringUpError(`node "${decl.name}" (network ${networkMode})`, err);
    }
    this.cleanup.defer(`container ${containerName}`, unlessHostGone(host, (s) => host.engine.removeContainer(id, s)));
    const node: StartedNode = { decl, name: decl.name, containerId: id, containerName, labHost: host, shell: new ContainerHost(host.engine, id, containerName), networkMode, addresses: [], httpPort, published };
    try {
      await this.clock.time(`node ${decl.name}: ready`, () => this.nodeReady(node, serve, signal));
    } catch (err) {
      throw await nodeFailure(host, decl.name, id, err, signal);
    }
  }

  /** Warm-up services holding an overlay on a remote swarm's node (see warmOverlayOn), by "host network". */
  private readonly warmed = new Map<string, { name: string; manager?: LabHost }>();

  /** After a timed-out attach on a swarm of VMs or a user's hosts: the node's overlays held on its host by a service task. */
  private async warmOverlays(decl: NodeDecl, host: LabHost, signal?: AbortSignal): Promise<void> {
    const declared = [decl.options.network, ...(decl.options.alsoOn ?? []).map((x) => ("kind" in x ? x : x.network))];
    const overlays = [...this.networks.values()].filter((n) => n.driver === "overlay" && declared.some((d) => typeof d === "object" && d.kind === "network" && d.name === n.decl.name));
    for (const n of overlays) {
      const key = `${host.name} ${n.dockerName}`;
      if (this.warmed.has(key)) continue;
      const name = `${n.dockerName}-warm${this.warmed.size}`;
      const entry: { name: string; manager?: LabHost } = { name };
      this.warmed.set(key, entry);
      const { note, manager } = await this.clock.time(`warm ${n.decl.name} on ${host.name}`, () =>
        warmOverlayOn([...new Set(this.hosts.values())], host, n.dockerName, { name, labels: this.labels(`warm:${n.decl.name}`), dns: this.run.dnsServers }, (m, what, undo) => own(m, this.cleanup, this.run.ledger, what, undo), signal),
      );
      entry.manager = manager;
      (this.swarm?.retriedAttaches ?? this.retriedAttaches).push({ node: decl.name, error: `then ${note}` });
    }
  }

  /** Once the nodes hold the overlays, the warm-up services go (a task still on a network would keep it from being removed at teardown). */
  private async unwarm(signal?: AbortSignal): Promise<void> {
    for (const w of this.warmed.values()) if (w.manager) await w.manager.shell.exec(["docker", "service", "rm", w.name], { signal, timeoutMs: 60_000 });
  }

  /** Addresses from the engine, guards, the resolver check, then its services listening. */
  private async nodeReady(node: StartedNode, serve: ServeHttp[], signal?: AbortSignal): Promise<void> {
    const { labHost: host, containerId: id } = node;
    const info = await host.engine.inspectContainer(id, signal);
    const addresses = node.addresses;
    for (const [net, ep] of Object.entries(info.NetworkSettings?.Networks ?? {})) {
      if (!ep.IPAddress) continue;
      const declared = [...this.networks.values()].find((n) => n.dockerName === net)?.decl.name ?? net;
      const v6 = ep.GlobalIPv6Address ? { ipv6: ep.GlobalIPv6Address, prefixLen6: ep.GlobalIPv6PrefixLen, ...(ep.IPv6Gateway ? { gateway6: ep.IPv6Gateway } : {}) } : {};
      addresses.push({ network: net, declared, ipv4: ep.IPAddress, prefixLen: ep.IPPrefixLen, gateway: ep.Gateway, mac: ep.MacAddress, ...v6 });
      // A node's gateway is the lab host's own bridge address: a lab target.
      if (ep.Gateway) this.run.addLabAddress(ep.Gateway);
      // Containers on the default bridge are lab nodes too, though their subnet is Docker's.
      if (net === "bridge") {
        this.run.addLabAddress(ep.IPAddress);
        await this.run.guardAddress(host, ep.IPAddress, "docker0", this.cleanup, signal);
      }
    }
    await this.assertLabResolver(host, id, node.name, signal);
    this.nodes.set(node.name, node);
    await waitForServices(node, serve, signal);
  }

  /**
   * Fail closed: the host's resolver is off this machine, so a node whose
   * resolv.conf names anything but the lab's DNS (or Docker's embedded DNS,
   * whose upstream is the lab's) must not run a single probe.
   */
  private async assertLabResolver(host: LabHost, id: string, node: string, signal?: AbortSignal): Promise<void> {
    const text = (await host.engine.readContainerFile(id, "/etc/resolv.conf", signal)).toString("utf8");
    const servers = [...text.matchAll(/^\s*nameserver\s+(\S+)/gm)].map((m) => m[1]!);
    const allowed = new Set([...this.run.dnsServers, "127.0.0.11"]);
    const foreign = servers.filter((s) => !allowed.has(s));
    if (foreign.length > 0 || servers.length === 0) {
      throw new LabBringUpError(
        `node "${node}" safely: its resolv.conf names ${foreign.join(", ") || "no server"}, not the lab's DNS ${this.run.dnsServers.join(", ")} — no probe was run`,
        text,
      );
    }
  }

  /** The engine version of every Docker host this lab's nodes run on (the primary's when it has none): what its verdicts are checked against. */
  async engineVersions(signal?: AbortSignal): Promise<string[]> {
    const hosts = new Set([...this.nodes.values()].map((n) => n.labHost));
    if (hosts.size === 0) hosts.add(this.run.primary);
    return Promise.all([...hosts].map((h) => engineVersionOf(h, signal)));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }

  /**
   * Containers, then networks, removed in bulk by this lab's label on
   * every lab host (whatever memory says), then the undo stack (guards, links,
   * claims; its container and network steps find nothing left), all within
   * `deadlineMs`.
   */
  async dispose(deadlineMs = TEARDOWN_DEADLINE_MS): Promise<{ what: string; error: unknown }[]> {
    const started = Date.now();
    const deadline = cleanupSignal(deadlineMs);
    const labels = { [LABEL_RUN]: this.run.runId, [LABEL_LAB]: this.labId };
    const swept = await this.clock.time("teardown: labelled resources", () => Promise.all(
      this.run.hosts.map((h) => h.engine.removeLabelled(labels, deadline).catch((error: unknown) => [{ what: `labelled resources on ${h.name}`, error }])),
    ));
    // Whole dind hosts first, side by side: their containers, networks and swarm go with them.
    const dind = [...this.hosts.values()].filter((h): h is DindLabHost => h.kind === "dind");
    const hostsGone = await this.clock.time("teardown: dind hosts", () =>
      Promise.all(dind.map((h) => h.remove(deadline).then(() => [], (error: unknown) => [{ what: `dind host ${h.name}`, error }]))),
    );
    const rest = await this.clock.time("teardown: undo steps", () => this.cleanup.dispose({ deadlineMs: Math.max(1000, deadlineMs - (Date.now() - started)) }));
    return [...swept.flat(), ...hostsGone.flat(), ...rest];
  }
}

/** Why a started node is not ready: a command that exited says so, with its exit code and last output. */
async function nodeFailure(host: LabHost, name: string, id: string, err: unknown, signal?: AbortSignal): Promise<unknown> {
  if (err instanceof LabBringUpError || signal?.aborted) return err;
  const state = await host.engine.inspectContainer(id, signal).then((i) => i.State, () => undefined);
  if (state && !state.Running) {
    const logs = await host.engine.containerLogs(id, signal).catch(() => "");
    return new LabBringUpError(`node "${name}": its command exited (code ${state.ExitCode}) right after start${logs.trim() ? `: ${logs.trim().slice(-500)}` : ""}`, err);
  }
  return new LabBringUpError(`node "${name}"`, err);
}

const versions = new WeakMap<LabHost, Promise<string>>();

/** A host's engine version, asked once (a dind host knows its own). */
function engineVersionOf(h: LabHost, signal?: AbortSignal): Promise<string> {
  if ("engineVersion" in h && typeof h.engineVersion === "string") return Promise.resolve(h.engineVersion);
  let v = versions.get(h);
  if (!v) {
    v = h.engine.version(signal).then((x) => x.Version);
    versions.set(h, v);
    v.catch(() => versions.delete(h));
  }
  return v;
}

/** A scenario's whole teardown, whatever the run's own signal says. */
export const TEARDOWN_DEADLINE_MS = 60_000;

/**
 * Wait for every start to settle before failing: a sibling still starting
 * when another fails must have registered its undo before teardown runs.
 */
async function allStarted(starts: Promise<unknown>[]): Promise<void> {
  const settled = await Promise.allSettled(starts);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed) throw failed.reason;
}

async function freeHostPort(host: { shell: { exec(c: string[]): Promise<{ stdout: string }> } }): Promise<number> {
  const res = await host.shell.exec(["cat", "/proc/net/tcp", "/proc/net/tcp6", "/proc/net/udp"]);
  const used = new Set([...res.stdout.matchAll(/:\s*[0-9A-F]+:([0-9A-F]{4})\s/g)].map((m) => parseInt(m[1]!, 16)));
  for (let i = 0; i < 200; i++) {
    const port = 20000 + Math.floor(Math.random() * 10000);
    if (!used.has(port)) return port;
  }
  throw new Error("no free TCP port found in 20000-29999 on the lab host");
}
