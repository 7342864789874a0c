import { isKernelFeature, KERNEL_FEATURES, probeKernelFeature } from "../lab/kernel-features.js";
import type { LabHost } from "../lab/lab-host.js";
import { hostsRequirement } from "../lab/vm/hosts-requirement.js";

export interface RequirementVerdict {
  requirement: string;
  met: boolean;
  reason: string;
}

/**
 * Requirement ids a scenario can declare. `kernel.<link kind>` is probed by
 * creating such a link in a throwaway namespace on the lab host; the reason
 * quotes what the kernel said.
 */
export async function checkRequirement(requirement: string, lab: LabHost | readonly LabHost[], signal?: AbortSignal, opts: { engineVersion?: string } = {}): Promise<RequirementVerdict> {
  const hosts = Array.isArray(lab) ? (lab as readonly LabHost[]) : [lab as LabHost];
  const [area, what] = requirement.split(".", 2);
  if (area === "engine" && what === "cluster-store") {
    // The scenario's dind hosts run --engine's version, else the local engine's.
    const version = opts.engineVersion ?? (await hosts[0]!.engine.version()).Version;
    return { requirement, ...clusterStoreSupport(version) };
  }
  if (area === "kernel" && what && isKernelFeature(what)) {
    // In a VM lab (or on --hosts) the scenarios needing kernel features run on the remote hosts: probe those, not the local machine.
    const vms = hosts.filter((h) => h.kind === "vm" || h.kind === "ssh");
    for (const host of vms.length ? vms : hosts.slice(0, 1)) {
      const p = await probeKernelFeature(host.shell, what, { signal });
      if (!p.available) return { requirement, met: false, reason: `${requirement} on ${host.name}: ${p.reason}` };
    }
    return { requirement, met: true, reason: `${requirement}: available on ${(vms.length ? vms : hosts.slice(0, 1)).map((h) => h.name).join(", ")}` };
  }
  if (area === "hosts" && what) return { requirement, ...hostsRequirement(what, hosts) };
  return { requirement, met: false, reason: `unknown requirement "${requirement}" (known: kernel.<${KERNEL_FEATURES.join("|")}>, hosts.<N|vm|vmN>)` };
}

/** Why `requirement` is not an id netcheck knows (undefined when it is): checked when a scenario is defined. */
export function requirementProblem(requirement: unknown): string | undefined {
  if (typeof requirement !== "string") return `${JSON.stringify(requirement)} is not a requirement id`;
  const [area, what] = requirement.split(".", 2);
  if (area === "kernel" && what && isKernelFeature(what)) return undefined;
  if (area === "hosts" && what && /^(\d+|vm\d*)$/.test(what)) return undefined;
  if (requirement === "engine.cluster-store") return undefined;
  return `unknown requirement "${requirement}"`;
}

export const KNOWN_REQUIREMENTS = `kernel.<${KERNEL_FEATURES.join("|")}>, hosts.<N|vm|vmN>, engine.cluster-store`;

/** `--cluster-store` (classic overlay over a key-value store) was removed in Docker 23.0. */
export function clusterStoreSupport(version: string): { met: boolean; reason: string } {
  const major = Number(/^(\d+)\./.exec(version)?.[1]);
  if (!Number.isFinite(major)) return { met: false, reason: `engine.cluster-store: cannot tell from engine version "${version}"` };
  return major < 23
    ? { met: true, reason: `engine.cluster-store: Docker ${version} still has --cluster-store (removed in 23.0)` }
    : { met: false, reason: `engine.cluster-store: Docker ${version} removed --cluster-store and --cluster-advertise (23.0 and later): classic overlay needs Docker 20.10 or older` };
}

export async function unmetRequirements(requirements: string[], lab: LabHost | readonly LabHost[], signal?: AbortSignal, opts: { engineVersion?: string } = {}): Promise<RequirementVerdict[]> {
  const verdicts = await Promise.all(requirements.map((r) => checkRequirement(r, lab, signal, opts)));
  return verdicts.filter((v) => !v.met);
}
