import { KERNEL_FEATURES, probeKernelFeatures, type KernelFeature } from "../../lab/kernel-features.js";
import type { DoctorCheck, Finding } from "../types.js";

/** What a missing feature costs, and the way around it. */
const IMPACT: Record<KernelFeature, { mode: string; fix: string }> = {
  bridge: { mode: "bridge networks", fix: "load the bridge module (`modprobe bridge`) or use a kernel with CONFIG_BRIDGE" },
  veth: { mode: "every container network", fix: "load the veth module (`modprobe veth`) or use a kernel with CONFIG_VETH" },
  macvlan: { mode: "macvlan networks", fix: "use the VM lab (`netcheck run macvlan --lab vm`) or a kernel with CONFIG_MACVLAN" },
  ipvlan: { mode: "ipvlan networks", fix: "use the VM lab (`netcheck vm up`, then `netcheck run ipvlan --lab vm`) or a kernel with CONFIG_IPVLAN" },
  "8021q": { mode: "macvlan/ipvlan on VLAN sub-interfaces (parent eth0.N)", fix: "use the VM lab (`netcheck vm up`, then `netcheck run macvlan --lab vm`) or a kernel with CONFIG_VLAN_8021Q (`modprobe 8021q`)" },
  vxlan: { mode: "overlay networks (swarm)", fix: "use the VM lab (`netcheck vm up`, then `netcheck run overlay --lab vm`) or a kernel with CONFIG_VXLAN" },
  dummy: { mode: "lab parents for macvlan/ipvlan (netcheck uses veth pairs instead when dummy is missing)", fix: "none needed; a kernel with CONFIG_DUMMY lets the lab use dummy parents" },
  nf_nat: { mode: "published ports and outbound NAT", fix: "load nf_nat (`modprobe nf_nat`) or use a kernel with CONFIG_NF_NAT" },
  br_netfilter: { mode: "iptables filtering of bridged traffic (inter-container isolation)", fix: "`modprobe br_netfilter` (and persist it in /etc/modules-load.d/)" },
  overlayfs: { mode: "the overlay2 storage driver", fix: "load overlay (`modprobe overlay`) or use a kernel with CONFIG_OVERLAY_FS" },
  ip_vs: { mode: "the swarm routing mesh and service VIPs", fix: "use the VM lab (`netcheck run overlay --lab vm`) or a kernel with CONFIG_IP_VS (`modprobe ip_vs`)" },
  esp: { mode: "encrypted overlays (--opt encrypted: IPsec ESP, AES-GCM)", fix: "use the VM lab or a kernel with CONFIG_INET_ESP and CONFIG_CRYPTO_GCM (`modprobe esp4`)" },
};

/** Optional features: their absence is a warning (a mode is skipped), not a broken host. */
const OPTIONAL = new Set<KernelFeature>(["macvlan", "ipvlan", "8021q", "vxlan", "dummy", "ip_vs", "esp"]);

export const kernelCheck: DoctorCheck = {
  id: "kernel",
  area: "kernel",
  title: "Kernel features per network mode",
  async run(ctx) {
    const results = await probeKernelFeatures(ctx.host, KERNEL_FEATURES, { signal: ctx.signal });
    return results.map((r): Finding => {
      const impact = IMPACT[r.feature];
      const status = r.available ? "ok" : r.method === "unknown" ? "skip" : OPTIONAL.has(r.feature) ? "warn" : "fail";
      return {
        id: `kernel/${r.feature}`,
        area: "kernel",
        status,
        title: r.available ? r.reason : `${r.reason} (affects ${impact.mode})`,
        evidence: r.evidence,
        fix: r.available ? undefined : impact.fix,
      };
    });
  },
};
