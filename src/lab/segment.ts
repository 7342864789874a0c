import { netnsUndo, own } from "./owned.js";
import { execOk, type Host } from "../host/host.js";
import { NetnsHost } from "../host/netns-host.js";
import type { Cleanup } from "../util/cleanup.js";
import { cidrSize, nthAddress, parseCidr } from "../util/ipv4.js";
import { NAME_PREFIX, netnsName } from "../util/labels.js";
import { LabBringUpError } from "./errors.js";
import type { LabHost } from "./lab-host.js";
import type { RunLab } from "./run-lab.js";
import type { NetworkDecl, SegmentDecl } from "./topology.js";

/**
 * An isolated L2 segment built by the lab: a veth pair whose host end
 * (`netcheck-<run><c>`) is the macvlan parent and whose far end (`up0`) is a
 * port of bridge `br0` in the segment's namespace. `br0` carries the peer's
 * address, so the namespace is both the segment's switch and "another machine
 * on the LAN". The switch lives in its own namespace because br_netfilter and
 * FORWARD DROP in the root namespace would drop everything a root bridge carries.
 */
export interface StartedSegment {
  decl: SegmentDecl;
  name: string;
  labHost: LabHost;
  /** Host-side link in the root namespace: the macvlan parent. */
  link: string;
  namespace: string;
  subnet: string;
  prefix: number;
  /** The segment's gateway (.1): a router's address when one is attached, else nobody's. */
  gateway: string;
  peer: { shell: Host; address: string; mac: string; bridge: "br0"; port: "up0" };
  /** The lab host's address on `link`, when the segment was declared with hostAddress. */
  hostAddress: string | undefined;
  /** Kept free for a macvlan shim on the host. */
  shimAddress: string;
  /** Addresses Docker's IPAM must not give to containers. */
  reserved: Record<string, string>;
}

/** Register an undo both in the scenario's cleanup and in the run's ledger (for `netcheck clean` after kill -9). */
/**
 * Namespace roles are letters only (`netcheck clean` and the tests match
 * netcheck-<letters>-<run>), so a link's slot character (0-9a-t) becomes two letters.
 */
export function slotLetters(slot: string): string {
  const i = parseInt(slot, 36);
  return String.fromCharCode(97 + Math.floor(i / 26), 97 + (i % 26));
}

export async function createSegment(run: RunLab, decl: SegmentDecl, cleanup: Cleanup, signal?: AbortSignal): Promise<StartedSegment> {
  const host = run.host(decl.options.host);
  const sh = host.shell;
  const link = run.takeBridgeName(cleanup);
  const namespace = netnsName(run.runId, `seg${slotLetters(link.slice(-1))}`);
  const subnet = await run.allocateSubnet(host, cleanup, signal);
  const cidr = parseCidr(subnet);
  const last = cidrSize(cidr) - 2;
  const gateway = nthAddress(cidr, 1);
  const peerAddress = nthAddress(cidr, last);
  const hostAddress = decl.options.hostAddress ? nthAddress(cidr, last - 1) : undefined;
  const shimAddress = nthAddress(cidr, last - 2);

  await execOk(sh, ["ip", "netns", "add", namespace], { signal });
  own(host, cleanup, run.ledger, `netns ${namespace}`, netnsUndo(namespace));
  await execOk(sh, ["ip", "link", "add", link, "type", "veth", "peer", "name", "up0", "netns", namespace], { signal });
  own(host, cleanup, run.ledger, `link ${link}`, ["ip", "link", "del", link]);
  const inNs = (...argv: string[]) => ["ip", "-n", namespace, ...argv];
  const steps = [
    inNs("link", "add", "br0", "type", "bridge"),
    inNs("link", "set", "up0", "master", "br0"),
    inNs("link", "set", "lo", "up"),
    inNs("link", "set", "up0", "up"),
    inNs("link", "set", "br0", "up"),
    inNs("addr", "add", `${peerAddress}/${cidr.prefix}`, "dev", "br0"),
    // Keep the segment quiet (no router solicitations or MLD from the host end): captures show only the checks' traffic.
    ["sysctl", "-qw", `net.ipv6.conf.${link}.disable_ipv6=1`],
    ["ip", "link", "set", link, "up"],
    ...(hostAddress ? [["ip", "addr", "add", `${hostAddress}/${cidr.prefix}`, "dev", link]] : []),
  ];
  for (const step of steps) await execOk(sh, step, { signal });
  const peerShell = new NetnsHost(sh, namespace);
  const mac = (await execOk(peerShell, ["cat", "/sys/class/net/br0/address"], { signal })).stdout.trim();
  return {
    decl,
    name: decl.name,
    labHost: host,
    link,
    namespace,
    subnet,
    prefix: cidr.prefix,
    gateway,
    peer: { shell: peerShell, address: peerAddress, mac, bridge: "br0", port: "up0" },
    hostAddress,
    shimAddress,
    reserved: { "netcheck-peer": peerAddress, "netcheck-shim": shimAddress, ...(hostAddress ? { "netcheck-host": hostAddress } : {}) },
  };
}

export interface MacvlanShim {
  link: string;
  address: string;
  /** Idempotent; the scenario's cleanup also removes it. */
  remove(signal?: AbortSignal): Promise<void>;
}

/**
 * The standard fix for "the host cannot reach its own macvlan children": a
 * macvlan sibling (bridge mode) on the same parent holds a host address, and
 * routes to the containers point at it, so host ↔ container traffic is
 * switched inside the macvlan port instead of leaving through the parent.
 */
export async function addMacvlanShim(run: RunLab, seg: StartedSegment, routeTo: string[], cleanup: Cleanup, signal?: AbortSignal): Promise<MacvlanShim> {
  const sh = seg.labHost.shell;
  const link = run.takeBridgeName(cleanup);
  await execOk(sh, ["ip", "link", "add", link, "link", seg.link, "type", "macvlan", "mode", "bridge"], { signal });
  const undo = ["ip", "link", "del", link];
  own(seg.labHost, cleanup, run.ledger, `link ${link}`, undo);
  let removed = false;
  const remove = async (s?: AbortSignal) => {
    if (removed) return;
    removed = true;
    await execOk(sh, undo, { signal: s });
  };
  try {
    await execOk(sh, ["sysctl", "-qw", `net.ipv6.conf.${link}.disable_ipv6=1`], { signal });
    await execOk(sh, ["ip", "addr", "add", `${seg.shimAddress}/32`, "dev", link], { signal });
    await execOk(sh, ["ip", "link", "set", link, "up"], { signal });
    for (const dest of routeTo) await execOk(sh, ["ip", "route", "add", dest, "dev", link], { signal });
  } catch (err) {
    await remove(AbortSignal.timeout(10_000)).catch(() => undefined);
    throw err;
  }
  return { link, address: seg.shimAddress, remove };
}

export interface ResolvedParent {
  /** The parent link Docker will be given, if any. */
  link?: string;
  segment?: StartedSegment;
  /** The network's driver options with `parent` filled in. */
  options: Record<string, string> | undefined;
}

/** A network's parent: a declared segment (its link), a literal name, or `options.parent` as written. */
export function resolveParent(decl: NetworkDecl, segments: Map<string, StartedSegment>): ResolvedParent {
  const p = decl.options.parent;
  if (p === undefined) return { link: decl.options.options?.parent, options: decl.options.options };
  if (typeof p === "string") return { link: p, options: { ...decl.options.options, parent: p } };
  const segment = segments.get(p.name);
  if (!segment) throw new LabBringUpError(`network "${decl.name}": its parent segment "${p.name}" is not declared in this lab`, undefined);
  return { link: segment.link, segment, options: { ...decl.options.options, parent: segment.link } };
}

/**
 * Fail before Docker does, with the names that help: a parent that does not
 * exist, and the links the lab does have on that host. A dotted parent
 * (`<link>.<vlan>`) is a VLAN sub-interface Docker creates itself, so only its
 * base must exist.
 */
export async function assertParentExists(run: RunLab, host: LabHost, decl: NetworkDecl, parent: string, segments: Map<string, StartedSegment>, signal?: AbortSignal): Promise<void> {
  const base = /^(.+)\.\d+$/.exec(parent)?.[1] ?? parent;
  const probe = await host.shell.exec(["ip", "-o", "link", "show", "dev", base], { signal });
  if (probe.exitCode === 0) return;
  const all = await host.shell.exec(["ip", "-o", "link", "show"], { signal });
  // This run's links only: other runs' segments are not this scenario's to use.
  const names = [...all.stdout.matchAll(/^\d+:\s+([^:@\s]+)/gm)].map((m) => m[1]!).filter((n) => n.startsWith(`${NAME_PREFIX}${run.runId}`));
  const roles = new Map([...segments.values()].map((s) => [s.link, `segment "${s.name}"`]));
  if (run.external) roles.set(run.external.link, "underlay to the external host");
  const listed = names.map((n) => (roles.has(n) ? `${n} (${roles.get(n)})` : n));
  const what = [
    `${decl.options.driver ?? "bridge"} network "${decl.name}": its parent interface "${parent}"${base !== parent ? ` (VLAN of "${base}")` : ""} does not exist on lab host "${host.name}"`,
    `the lab's interfaces there: ${listed.join(", ") || "none"}`,
    `declare one with lab.segment("…") and pass it as the network's parent (never the host's real interface)`,
  ].join("; ");
  throw new LabBringUpError(what, probe.stderr.trim() || undefined);
}
