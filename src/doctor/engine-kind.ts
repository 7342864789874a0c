import type { EngineSnapshot } from "./facts.js";

/** Which engine answers the Docker API: it decides which host-level checks mean anything. */
export type EngineKind = "docker" | "docker-desktop" | "rootless-docker" | "podman" | "rootless-podman";

export interface EngineIdentity {
  kind: EngineKind;
  /** The fields of /info and /version that decided it. */
  evidence: string;
}

/** From the engine's own answers: Desktop names itself in OperatingSystem/Name and runs a linuxkit or WSL2 kernel; Podman lists a "Podman Engine" component; rootless shows in SecurityOptions. */
export function identifyEngine(snap: Pick<EngineSnapshot, "info" | "version">): EngineIdentity {
  const info = snap.info as { OperatingSystem?: string; Name?: string; KernelVersion?: string; SecurityOptions?: string[] | null };
  const version = snap.version as { Components?: { Name?: string }[] | null; Version?: string };
  const components = (version.Components ?? []).map((c) => c.Name ?? "");
  const rootless = (info.SecurityOptions ?? []).some((s) => /name=rootless/.test(s));
  const podman = components.some((c) => /podman/i.test(c));
  const desktop = /docker desktop/i.test(info.OperatingSystem ?? "") || info.Name === "docker-desktop";
  const evidence = `OperatingSystem=${info.OperatingSystem ?? "?"} Name=${info.Name ?? "?"} KernelVersion=${info.KernelVersion ?? "?"} SecurityOptions=${(info.SecurityOptions ?? []).join(",") || "(none)"} Components=${components.join(",") || "(none)"}`;
  const kind: EngineKind = podman ? (rootless ? "rootless-podman" : "podman") : desktop ? "docker-desktop" : rootless ? "rootless-docker" : "docker";
  return { kind, evidence };
}

export const ENGINE_DESCRIPTION: Record<EngineKind, string> = {
  docker: "a rootful Docker Engine",
  "docker-desktop": "Docker Desktop: the engine runs in its own Linux VM; containers' networks, iptables and kernel are the VM's, and published ports reach this machine through Desktop's port forwarder",
  "rootless-docker": "rootless Docker: dockerd runs in RootlessKit's network namespace; container traffic leaves through slirp4netns or pasta, published ports come through RootlessKit's port driver, and macvlan/ipvlan networks cannot be created",
  podman: "Podman's Docker-compatible socket: networks are netavark's (or CNI's), with their own firewall rules; Docker's chains, docker0 and docker-proxy do not exist",
  "rootless-podman": "rootless Podman's Docker-compatible socket: containers reach out through slirp4netns or pasta, ports come through the rootless port forwarder; no host firewall rules, docker0 or docker-proxy",
};

const HOST_PLUMBING = ["firewall-backend", "forward-policy", "docker-chains", "nat-rules", "published-ports", "networks", "mtu", "conntrack-stale", "sysctl", "host-firewall", "vxlan-offload"];

/**
 * Why a check does not apply to this engine (undefined: it does). Checks of
 * Docker's own host plumbing say nothing about Desktop's VM, a rootless
 * namespace or Podman's netavark; saying "ok" or "fail" there would be a lie.
 */
export function notApplicable(kind: EngineKind, checkId: string): string | undefined {
  switch (kind) {
    case "docker":
      return undefined;
    case "docker-desktop":
      if ([...HOST_PLUMBING, "kernel", "dns", "ports", "macvlan", "leftovers"].includes(checkId)) return "Docker Desktop runs the engine in its own VM: this machine's kernel, iptables, routes and listeners are not the engine's";
      return undefined;
    case "rootless-docker":
      if (checkId === "macvlan") return "rootless Docker cannot create macvlan or ipvlan networks";
      if ([...HOST_PLUMBING.filter((c) => c !== "sysctl" && c !== "host-firewall"), "ports"].includes(checkId)) return "rootless Docker keeps its bridges and iptables rules inside RootlessKit's network namespace: this host's tables and routes do not show them";
      return undefined;
    case "podman":
    case "rootless-podman":
      if (["forward-policy", "docker-chains", "nat-rules", "published-ports", "networks", "mtu"].includes(checkId)) return "Podman's networks are netavark's (or CNI's), with their own chains: Docker's chains, docker0 and docker-proxy are not expected";
      if (kind === "rootless-podman" && ["conntrack-stale", "ports", "macvlan"].includes(checkId)) return "rootless Podman forwards ports in user space and cannot create macvlan networks";
      return undefined;
  }
}
