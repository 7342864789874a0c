import { execOk } from "../host/host.js";
import type { DindLabHost } from "./dind/dind-host.js";
import type { LabHost } from "./lab-host.js";
import type { RunLab } from "./run-lab.js";
import type { SshLabHost } from "./ssh/ssh-lab-host.js";
import { VM_TRUNK } from "./vm/trunk.js";

/** Where a lab host meets the other hosts: its address there, and where that wire can be captured. */
export interface UnderlayPoint {
  address: string;
  /** The lab host to run tcpdump on, and the link. */
  captureOn: LabHost;
  iface: string;
}

/**
 * dind hosts share a lab bridge of this machine (captured here, on the
 * bridge); VM hosts share the VM lab's isolated trunk (captured on the VM);
 * a user's own hosts (--hosts ssh://…) meet on whatever link carries their
 * address toward each other (captured on the host, filtered to the hosts' pair).
 */
export async function underlayOf(host: LabHost, run: RunLab, signal?: AbortSignal): Promise<UnderlayPoint> {
  if (host.kind === "dind") {
    const d = host as DindLabHost;
    return { address: d.underlayAddress, captureOn: run.primary, iface: d.underlay.bridge };
  }
  if (host.kind === "vm") {
    const r = await execOk(host.shell, ["ip", "-4", "-o", "addr", "show", "dev", VM_TRUNK], { signal });
    const address = /\binet (\d+\.\d+\.\d+\.\d+)\//.exec(r.stdout)?.[1];
    if (!address) throw new Error(`${host.name} has no IPv4 address on its trunk ${VM_TRUNK}`);
    return { address, captureOn: host, iface: VM_TRUNK };
  }
  if (host.kind === "ssh") {
    const h = host as SshLabHost;
    return { address: h.underlayAddress, captureOn: host, iface: h.underlayIface };
  }
  throw new Error(`lab host ${host.name} (${host.kind}) has no underlay shared with other Docker hosts`);
}
