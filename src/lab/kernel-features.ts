import type { Host } from "../host/host.js";
import { newRunId } from "../util/ids.js";
import { netnsName } from "../util/labels.js";

export type KernelFeature = "bridge" | "veth" | "macvlan" | "ipvlan" | "8021q" | "vxlan" | "dummy";

export interface FeatureProbe {
  feature: KernelFeature;
  available: boolean;
  /** The probed reason, quoting the kernel's own answer. */
  reason: string;
}

/** How to make one link of each kind inside a namespace that holds a veth pair vp0/vp1 as parent. */
const RECIPES: Record<KernelFeature, string[]> = {
  bridge: ["link", "add", "t0", "type", "bridge"],
  veth: ["link", "add", "t0", "type", "veth", "peer", "name", "t1"],
  macvlan: ["link", "add", "t0", "link", "vp0", "type", "macvlan", "mode", "bridge"],
  ipvlan: ["link", "add", "t0", "link", "vp0", "type", "ipvlan", "mode", "l2"],
  "8021q": ["link", "add", "t0", "link", "vp0", "type", "vlan", "id", "20"],
  vxlan: ["link", "add", "t0", "type", "vxlan", "id", "42", "dstport", "4789", "dev", "vp0"],
  dummy: ["link", "add", "t0", "type", "dummy"],
};

/**
 * Whether the kernel can make a link of this kind, found by trying it in a
 * throwaway namespace (never on the host's interfaces): the kernel's answer,
 * not a hard-coded list. Cached per host.
 */
const cache = new WeakMap<Host, Map<KernelFeature, Promise<FeatureProbe>>>();

export function probeKernelFeature(host: Host, feature: KernelFeature, signal?: AbortSignal): Promise<FeatureProbe> {
  let perHost = cache.get(host);
  if (!perHost) cache.set(host, (perHost = new Map()));
  let p = perHost.get(feature);
  if (!p) {
    p = runProbe(host, feature, signal);
    perHost.set(feature, p);
  }
  return p;
}

async function runProbe(host: Host, feature: KernelFeature, signal?: AbortSignal): Promise<FeatureProbe> {
  const ns = netnsName(newRunId(), "probe");
  const add = await host.exec(["ip", "netns", "add", ns], { signal });
  if (add.exitCode !== 0) return { feature, available: false, reason: `cannot create a probe namespace: ${add.stderr.trim()}` };
  try {
    await host.exec(["ip", "-n", ns, "link", "add", "vp0", "type", "veth", "peer", "name", "vp1"], { signal });
    const res = await host.exec(["ip", "-n", ns, ...RECIPES[feature]], { signal });
    if (res.exitCode === 0) return { feature, available: true, reason: `\`ip link add type ${feature === "8021q" ? "vlan" : feature}\` works on this kernel` };
    return { feature, available: false, reason: `this kernel cannot create ${feature} links: \`ip link add … type ${feature === "8021q" ? "vlan" : feature}\` → ${res.stderr.trim() || `exit ${res.exitCode}`}` };
  } finally {
    await host.exec(["ip", "netns", "del", ns], { signal: AbortSignal.timeout(10_000) });
  }
}

export function isKernelFeature(name: string): name is KernelFeature {
  return name in RECIPES;
}
