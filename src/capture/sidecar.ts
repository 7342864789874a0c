import { ContainerHost } from "../engine/container-host.js";
import type { ScenarioLab } from "../lab/scenario-lab.js";
import type { StartedNode } from "../lab/started.js";
import { dockerName } from "../util/labels.js";
import { probeImageTag } from "../util/version.js";

export interface CaptureSidecar {
  id: string;
  name: string;
  shell: ContainerHost;
  remove(): Promise<void>;
}

/**
 * A probe-image container in `node`'s network namespace that only runs tcpdump:
 * the node itself may lack the capabilities, and its own processes stay
 * untouched. PID 1 sleeps for a bounded time, so a sidecar a killed run leaves
 * behind ends on its own (and `netcheck clean` finds it by label).
 */
export async function startSidecar(lab: ScenarioLab, node: StartedNode, name: string, lifetimeSeconds: number): Promise<CaptureSidecar> {
  const engine = node.labHost.engine;
  const containerName = dockerName(lab.run.runId, `${lab.slug}-cap-${name}`);
  const id = await engine.runContainer({
    name: containerName,
    image: probeImageTag(),
    cmd: ["sleep", String(lifetimeSeconds)],
    networkMode: `container:${node.containerId}`,
    capAdd: ["NET_RAW", "NET_ADMIN"],
    labels: lab.labels(`capture:${name}`),
  });
  let removed: Promise<void> | undefined;
  const remove = () => (removed ??= engine.removeContainer(id));
  lab.cleanup.defer(`capture sidecar ${containerName}`, () => remove());
  return { id, name: containerName, shell: new ContainerHost(engine, id, containerName), remove };
}
