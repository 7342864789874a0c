import { execOk } from "../../host/host.js";
import { probeImageTag } from "../../util/version.js";
import type { LabHost } from "../lab-host.js";

/** Swarm info fields the warm-up needs. */
interface SwarmSelf {
  NodeID?: string;
  ControlAvailable?: boolean;
}

/**
 * A standalone container's attach to a swarm overlay must finish within the
 * engine's fixed 20 s (swarmRequestTimeout): the manager allocates, the node's
 * agent creates the network locally, and on a slow swarm (the VM lab's qemu
 * TCG VMs: every attach on vm1 timed out, three tries in a row, with plain
 * `docker run` too) it never does. A service task has no such deadline: one
 * replica pinned to the node (`node.id==…`) makes the network exist there,
 * after which attaches succeeded (measured on vm1: 2 of 2, where 0 of 5 had
 * before). Returns what it did, for the evidence; the caller owns the service.
 */
export async function warmOverlayOn(
  hosts: readonly LabHost[],
  on: LabHost,
  network: string,
  service: { name: string; labels: Record<string, string>; dns: string[] },
  own: (manager: LabHost, what: string, undo: string[]) => void,
  signal?: AbortSignal,
): Promise<{ note: string; manager: LabHost }> {
  const swarmOf = async (h: LabHost) => ((await h.engine.info(signal)).Swarm ?? {}) as SwarmSelf;
  const infos = await Promise.all(hosts.map(swarmOf));
  const manager = hosts[infos.findIndex((i) => i.ControlAvailable)];
  const nodeId = infos[hosts.indexOf(on)]?.NodeID ?? (await swarmOf(on)).NodeID;
  if (!manager || !nodeId) throw new Error(`cannot warm ${network} on ${on.name}: ${manager ? `${on.name} has no swarm node id` : "no manager among the scenario's hosts"}`);
  own(manager, `swarm service ${service.name} (holds ${network} on ${on.name})`, ["docker", "service", "rm", service.name]);
  const t0 = Date.now();
  await execOk(manager.shell, [
    "timeout", "300", "docker", "service", "create", "--detach=false", "--quiet", "--no-resolve-image", "--name", service.name,
    ...Object.entries(service.labels).flatMap(([k, v]) => ["--label", `${k}=${v}`]),
    "--constraint", `node.id==${nodeId}`, "--network", network, ...service.dns.flatMap((d) => ["--dns", d]),
    probeImageTag(), "sleep", "86400",
  ], { signal, timeoutMs: 320_000 });
  const note = `${network} held on ${on.name} by swarm service ${service.name} (one task, node.id==${nodeId}), running after ${Math.round((Date.now() - t0) / 1000)} s`;
  return { note, manager };
}
