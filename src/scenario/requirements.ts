import { isKernelFeature, probeKernelFeature } from "../lab/kernel-features.js";
import type { LabHost } from "../lab/lab-host.js";

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
export async function checkRequirement(requirement: string, host: LabHost, signal?: AbortSignal): Promise<RequirementVerdict> {
  const [area, what] = requirement.split(".", 2);
  if (area === "kernel" && what && isKernelFeature(what)) {
    const p = await probeKernelFeature(host.shell, what, signal);
    return { requirement, met: p.available, reason: `${requirement} on ${host.name}: ${p.reason}` };
  }
  if (area === "hosts" && what) {
    return { requirement, met: false, reason: `${requirement}: this lab has only the local host; multi-host scenarios run in the VM lab (vagrant/)` };
  }
  return { requirement, met: false, reason: `unknown requirement "${requirement}" (known: kernel.<bridge|veth|macvlan|ipvlan|8021q|vxlan|dummy>)` };
}

export async function unmetRequirements(requirements: string[], host: LabHost, signal?: AbortSignal): Promise<RequirementVerdict[]> {
  const verdicts = await Promise.all(requirements.map((r) => checkRequirement(r, host, signal)));
  return verdicts.filter((v) => !v.met);
}
