import { readHostFile } from "../host/read-host-file.js";
import { UnsafeTargetError } from "../util/errors.js";
import { LABEL_RUN } from "../util/labels.js";
import { Cleanup } from "../util/cleanup.js";
import { cidrContains, isIpv4, parseCidr } from "../util/ipv4.js";
import { bigIntToIpv6, cidr6Contains, cidrs6Overlap, ipv6ToBigInt, isIpv6, labRange6, nthSubnet64, parseCidr6 } from "../util/ipv6.js";
import { createExternalHost, type ExternalHost } from "./external-host.js";
import { guardEgress, guardRoute } from "./guards.js";
import type { LabHost } from "./lab-host.js";
import { startExternalDns, type ExternalDns } from "./external-dns.js";
import { Ledger } from "./ledger.js";
import { ownLoadedImages } from "./ssh/loaded-images.js";
import { guardLabRangesOn } from "./ssh/ssh-guards.js";
import { restoreV6ForwardingLater } from "./v6-forwarding.js";
import { claimedSubnets, claimFile, claimSubnet, releaseSubnet } from "./subnet-claims.js";
import { parseRoute6Destinations, parseRouteDestinations, SubnetAllocator } from "./subnets.js";
import { cleanupSignal } from "../util/abort.js";

export interface RunLabOptions {
  runId: string;
  hosts: LabHost[];
  /** Where the underlay (host ↔ external host) subnets come from. */
  underlayPool?: string;
  /** Where scenario network subnets come from. */
  subnetPool?: string;
  allowExternal?: boolean;
  /** The engine version dind hosts run unless a scenario names one (--engine). */
  engineVersion?: string;
  signal?: AbortSignal;
}

export const LAB_ZONE = "netcheck.test";

/**
 * Everything a run shares across its scenarios: the lab hosts, the external
 * host on its underlay, the lab's DNS upstream, the address ranges the lab owns
 * (and the guards around them), and the ledger that lets `netcheck clean`
 * finish the job if the run is killed.
 */
export class RunLab implements AsyncDisposable {
  readonly cleanup = new Cleanup();
  private readonly ranges: string[] = [];
  private readonly addresses = new Set<string>();
  private allocator: SubnetAllocator | undefined;
  external!: ExternalHost;
  dns!: ExternalDns;
  /** The run's IPv6 /48 (ULA), or why the lab has no IPv6 (probed on the primary host). */
  ipv6: { range: string } | { range?: undefined; unavailable: string } = { unavailable: "not probed" };
  private next64 = 1;

  private constructor(
    readonly runId: string,
    readonly hosts: LabHost[],
    readonly ledger: Ledger,
    private readonly opts: RunLabOptions,
  ) {}

  static async start(opts: RunLabOptions): Promise<RunLab> {
    if (opts.hosts.length === 0) throw new Error("a lab needs at least one host");
    const lab = new RunLab(opts.runId, opts.hosts, new Ledger(opts.runId), opts);
    lab.cleanup.defer("run ledger", async () => lab.ledger.close());
    try {
      // What the run loaded on a user's hosts (--hosts) goes last, after everything that used it.
      ownLoadedImages(opts.hosts, lab.cleanup, lab.ledger);
      const primary = lab.primary;
      const underlay = await lab.claimSubnet(primary, opts.underlayPool ?? "198.18.0.0/15", opts.signal);
      lab.cleanup.defer(`subnet claim ${underlay}`, async () => releaseSubnet(underlay, opts.runId));
      lab.ipv6 = await lab.claimRange6(primary, opts.signal);
      const underlay6 = lab.ipv6.range !== undefined ? nthSubnet64(parseCidr6(lab.ipv6.range), 0) : undefined;
      lab.external = await createExternalHost(primary, opts.runId, underlay, lab.cleanup, lab.ledger, opts.signal, underlay6 ? { subnet: underlay6, labRange: lab.ipv6.range! } : undefined);
      const ext = lab.external;
      // The upstream resolver sits on the external host, where a real one would be: container DNS crosses
      // FORWARD and NAT like real DNS does (a firewall dropping forwarded port 53 is seen).
      lab.dns = await startExternalDns(
        lab.external,
        opts.runId,
        { [`ext.${LAB_ZONE}`]: [ext.address, ...(ext.address6 ? [ext.address6] : [])], [`host.${LAB_ZONE}`]: [ext.hostSideAddress, ...(ext.hostSideAddress6 ? [ext.hostSideAddress6] : [])] },
        lab.cleanup,
        opts.signal,
      );
      for (const h of opts.hosts.filter((x) => x.kind === "ssh")) {
        await guardLabRangesOn(h, { v4: ext.subnet, probe: lab.dns.address, v6: lab.ipv6.range }, lab.cleanup, lab.ledger, opts.signal);
      }
      return lab;
    } catch (err) {
      await lab.cleanup.dispose();
      throw err;
    }
  }

  /** --engine: what every dind host runs unless its scenario asks for another. */
  get engineVersion(): string | undefined {
    return this.opts.engineVersion;
  }

  get primary(): LabHost {
    return this.hosts[0]!;
  }

  host(name?: string): LabHost {
    if (name === undefined) return this.primary;
    const h = this.hosts.find((x) => x.name === name);
    if (!h) throw new Error(`the lab has no host "${name}" (it has: ${this.hosts.map((x) => x.name).join(", ")})`);
    return h;
  }

  /** The resolver every container gets: the lab's own DNS, never the host's. */
  get dnsServers(): string[] {
    return [this.dns.address];
  }

  /**
   * Claim a free subnet for a scenario network; its guards are undone by `cleanup`.
   * `innerOnly`: the subnet lives only inside a dind host's namespace (its docker0,
   * its address pools), never routed on `host`: claimed and guarded by route, but
   * it needs no firewall rule here.
   */
  async allocateSubnet(host: LabHost, cleanup: Cleanup, signal?: AbortSignal, opts: { innerOnly?: boolean } = {}): Promise<string> {
    const subnet = await this.claimSubnet(host, this.opts.subnetPool ?? "10.213.0.0/16", signal);
    cleanup.defer(`subnet claim ${subnet}`, async () => releaseSubnet(subnet, this.runId));
    await Promise.all([guardRoute(host, subnet, cleanup, this.ledger, signal), opts.innerOnly ? undefined : guardEgress(host, this.runId, subnet, cleanup, this.ledger, { signal })]);
    return subnet;
  }

  /**
   * A /64 for a scenario's IPv6 network, from the run's /48: the /48's
   * unreachable route and ip6tables egress drop (set at start) already guard it.
   */
  allocateSubnet6(): string {
    if (this.ipv6.range === undefined) throw new Error(`the lab has no IPv6: ${this.ipv6.unavailable}`);
    return nthSubnet64(parseCidr6(this.ipv6.range), this.next64++);
  }

  /**
   * The run's v6 range: a ULA /48 no route on the host overlaps (the host's own
   * uplink may sit in ULA space, fd00::/64 here), claimed machine-wide, with an
   * unreachable route and an egress drop toward the uplink until the run ends.
   */
  private async claimRange6(host: LabHost, signal?: AbortSignal): Promise<RunLab["ipv6"]> {
    const off = await readHostFile(host.shell, "/proc/sys/net/ipv6/conf/all/disable_ipv6", signal);
    if (off === undefined) return { unavailable: `the kernel of ${host.name} has no IPv6 (/proc/sys/net/ipv6 is missing)` };
    if (off.trim() === "1") return { unavailable: `IPv6 is disabled on ${host.name} (net.ipv6.conf.all.disable_ipv6 = 1)` };
    const routes = await host.shell.exec(["ip", "-6", "route", "show", "table", "all"], { signal });
    const taken = parseRoute6Destinations(routes.stdout);
    for (let salt = 0; salt < 16; salt++) {
      const range = labRange6(this.runId, salt);
      if (taken.some((c) => cidrs6Overlap(c, parseCidr6(range))) || !claimSubnet(range, this.runId)) continue;
      this.ledger.record({ host: "local", what: `subnet claim ${range}`, undo: ["rm", "-f", claimFile(range)] });
      this.cleanup.defer(`subnet claim ${range}`, async () => releaseSubnet(range, this.runId));
      this.ranges.push(range);
      await Promise.all([guardRoute(host, range, this.cleanup, this.ledger, signal), guardEgress(host, this.runId, range, this.cleanup, this.ledger, { signal })]);
      return { range };
    }
    throw new Error("could not claim a free IPv6 /48 for the lab: 16 candidates were taken");
  }

  private readonly v6ForwardingWatched = new Set<string>();

  /** Before the run's first `--ipv6` network on `host`: put v6 forwarding back as found when the run ends. */
  async restoreV6ForwardingLater(host: LabHost, signal?: AbortSignal): Promise<void> {
    if (this.v6ForwardingWatched.has(host.name)) return;
    this.v6ForwardingWatched.add(host.name);
    await restoreV6ForwardingLater(host, this.cleanup, this.ledger, signal);
  }

  /** A lab container on a network the lab does not own (the default bridge): guard its address only. */
  async guardAddress(host: LabHost, ip: string, inInterface: string, cleanup: Cleanup, signal?: AbortSignal): Promise<void> {
    await guardEgress(host, this.runId, `${ip}/32`, cleanup, this.ledger, { inInterface, signal });
  }

  private readonly bridgeSlots = new Set<string>();

  /** A kernel-legal (15 chars) bridge name for a lab network, unique within the run while it exists. */
  takeBridgeName(cleanup: Cleanup): string {
    for (const c of "0123456789abcdefghijklmnopqrst") {
      if (this.bridgeSlots.has(c)) continue;
      this.bridgeSlots.add(c);
      cleanup.defer(`bridge name slot ${c}`, async () => this.bridgeSlots.delete(c));
      return `netcheck-${this.runId}${c}`;
    }
    throw new Error("more than 30 lab bridges alive at once in one run");
  }

  private readonly parentHolds = new Map<string, Promise<void>>();

  /**
   * Hold a macvlan/ipvlan parent link ("vm1:eth1") for one scenario until the
   * returned release runs: Docker 20.10 refuses a second such network on a
   * parent another network uses ("network … is already using parent
   * interface"), so scenarios sharing one take turns instead of failing.
   */
  async holdParent(key: string): Promise<() => Promise<void>> {
    const before = this.parentHolds.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    this.parentHolds.set(key, before.then(() => mine));
    await before;
    return async () => release();
  }

  /** The engine refused a subnet (another run or network has it): never offer it again. */
  markSubnetTaken(subnet: string): void {
    this.allocator?.markTaken(subnet);
  }

  /** Lab-owned addresses outside lab subnets (containers on the default bridge). */
  addLabAddress(ip: string): void {
    this.addresses.add(isIpv6(ip) ? bigIntToIpv6(ipv6ToBigInt(ip)) : ip);
  }

  addLabRange(cidr: string): void {
    this.ranges.push(cidr);
  }

  /** Loopback, the lab's ranges (v4 and v6) and addresses; never a link-local or any other v6 address. */
  isLabAddress(ip: string): boolean {
    if (isIpv6(ip)) {
      const canonical = bigIntToIpv6(ipv6ToBigInt(ip));
      if (canonical === "::1" || this.addresses.has(canonical)) return true;
      return this.ranges.some((r) => r.includes(":") && cidr6Contains(parseCidr6(r), canonical));
    }
    if (!isIpv4(ip)) return false;
    if (ip.startsWith("127.")) return true;
    if (this.addresses.has(ip)) return true;
    return this.ranges.some((r) => !r.includes(":") && cidrContains(parseCidr(r), ip));
  }

  /** Refuse traffic to anything but the lab, unless the user allowed it. */
  assertTarget(ip: string, where: string): void {
    if (this.opts.allowExternal || this.isLabAddress(ip)) return;
    throw new UnsafeTargetError(ip, where);
  }

  private async claimSubnet(host: LabHost, pool: string, signal?: AbortSignal): Promise<string> {
    const routes = await host.shell.exec(["ip", "-4", "route", "show", "table", "all"], { signal });
    const taken = [...parseRouteDestinations(routes.stdout), ...claimedSubnets().map((c) => c.subnet).filter((c) => !c.includes(":"))];
    const networks = await host.engine.listNetworks();
    for (const n of networks) for (const c of n.IPAM?.Config ?? []) if (c.Subnet && !c.Subnet.includes(":")) taken.push(c.Subnet);
    const allocator = new SubnetAllocator({ pool, prefix: 24, taken });
    if (pool === (this.opts.subnetPool ?? "10.213.0.0/16")) this.allocator = allocator;
    for (let attempt = 0; attempt < 64; attempt++) {
      const subnet = allocator.allocate();
      if (!claimSubnet(subnet, this.runId)) continue;
      // Claim files live on this machine whichever host the subnet is for.
      this.ledger.record({ host: "local", what: `subnet claim ${subnet}`, undo: ["rm", "-f", claimFile(subnet)] });
      this.ranges.push(subnet);
      return subnet;
    }
    throw new Error(`could not claim a free subnet in ${pool}: every candidate was taken by another run`);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }

  /** Whatever still carries the run's label goes first, in bulk (containers, then networks); then the undo stack. */
  async dispose(deadlineMs = 90_000): Promise<{ what: string; error: unknown }[]> {
    const started = Date.now();
    const deadline = cleanupSignal(deadlineMs);
    const swept = await Promise.all(
      this.hosts.map((h) => h.engine.removeLabelled({ [LABEL_RUN]: this.runId }, deadline).catch((error: unknown) => [{ what: `labelled resources on ${h.name}`, error }])),
    );
    return [...swept.flat(), ...(await this.cleanup.dispose({ deadlineMs: Math.max(1000, deadlineMs - (Date.now() - started)) }))];
  }
}
