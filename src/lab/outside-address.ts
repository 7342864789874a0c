import type { DindLabHost } from "./dind/dind-host.js";
import type { LabHost } from "./lab-host.js";
import type { RunLab } from "./run-lab.js";

/**
 * A lab host's IPv6 address as the external host sees it: what a published
 * port is reached on, and what a masqueraded flow (ip6tables) carries as its
 * source. The local host's underlay address, or a dind host's address on its
 * dual-stack underlay. Undefined when that host has no v6 toward the outside.
 */
export function outsideAddress6(run: RunLab, host: LabHost): string | undefined {
  if (host.kind === "dind") return (host as DindLabHost).underlayAddress6;
  return host === run.external.labHost ? run.external.hostSideAddress6 : undefined;
}
