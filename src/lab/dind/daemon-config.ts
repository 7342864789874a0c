import { nthAddress, parseCidr } from "../../util/ipv4.js";

/** Where a dind host's daemon.json, socket and dockerd log live, on the host and inside it. */
export const DIND_STATE_MOUNT = "/netcheck";

export interface DindDaemonInputs {
  /** The scenario's own daemon.json keys (icc, userland-proxy, mtu, ipv6, iptables…). */
  user?: Record<string, unknown>;
  /** A lab subnet for docker0 inside the host. */
  bridgeSubnet: string;
  /** A lab subnet the inner engine carves its own networks from (docker_gwbridge, unnamed networks). */
  poolSubnet: string;
  /** The lab DNS: every inner container's upstream, so no query leaves the machine. */
  dns: string[];
  /** Parent of the inner containers' cgroups on the shared cgroup tree: how a sweep finds them. */
  cgroupParent: string;
}

/**
 * The daemon.json of a dind lab host: the scenario's settings, plus what the
 * lab owns and must not be overridden — where subnets come from (the run's
 * allocator, never Docker's constants), the DNS upstream, the cgroup parent and
 * the sockets. Pure.
 */
export function dindDaemonConfig(i: DindDaemonInputs): Record<string, unknown> {
  const bridge = parseCidr(i.bridgeSubnet);
  const owned: Record<string, unknown> = {
    hosts: ["unix:///var/run/docker.sock", `unix://${DIND_STATE_MOUNT}/docker.sock`],
    bip: `${nthAddress(bridge, 1)}/${bridge.prefix}`,
    "default-address-pools": [{ base: i.poolSubnet, size: Math.min(30, parseCidr(i.poolSubnet).prefix + 2) }],
    dns: i.dns,
    "cgroup-parent": `/${i.cgroupParent}`,
  };
  const clash = Object.keys(owned).filter((k) => i.user && k in i.user && k !== "default-address-pools" && k !== "bip");
  if (clash.length > 0) throw new Error(`daemon.json keys ${clash.join(", ")} belong to the lab (sockets, DNS, cgroups); a scenario cannot set them`);
  // A scenario may pin its own bip or pools (e.g. to test overlaps); everything else is the lab's.
  return { ...owned, ...(i.user ?? {}), hosts: owned.hosts, dns: owned.dns, "cgroup-parent": owned["cgroup-parent"] };
}

/** The cgroup parent of a dind host's inner containers, from its container name (nc-<run>-…): netcheck-dind-<run>-…. */
export function dindCgroupParent(containerName: string): string {
  return `netcheck-dind-${containerName.replace(/^nc-/, "")}`.toLowerCase().replace(/[^a-z0-9-]/g, "-");
}

/** The undo of a dind host's cgroups: inner containers' cgroups outlive the host container on a shared (v1) tree. Deepest first. */
export function cgroupSweepCommand(cgroupParent: string): string[] {
  if (!/^netcheck-[a-z0-9-]+$/.test(cgroupParent)) throw new Error(`unsafe cgroup parent name ${cgroupParent}`);
  const match = `\\( -path '*/${cgroupParent}' -o -path '*/${cgroupParent}/*' \\)`;
  return ["sh", "-c", `find /sys/fs/cgroup -depth -type d ${match} -exec rmdir {} + 2>/dev/null; ! find /sys/fs/cgroup -type d ${match} | grep -q .`];
}
