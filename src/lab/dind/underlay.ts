import { SubnetConflictError } from "../../engine/errors.js";
import type { Cleanup } from "../../util/cleanup.js";
import { dockerName, LABEL_ROLE, LABEL_RUN, LABEL_SCENARIO } from "../../util/labels.js";
import { LabBringUpError } from "../errors.js";
import type { RunLab } from "../run-lab.js";

/** The lab-owned bridge on the local engine that dind hosts share: their "physical" network. */
export interface DindUnderlay {
  dockerName: string;
  id: string;
  subnet: string;
  /** Its Linux bridge on this machine: where VXLAN between the hosts can be captured. */
  bridge: string;
  labels: Record<string, string>;
}

/** A user-defined bridge on a lab subnet (guarded like every lab subnet), named so `netcheck clean` finds its link too. */
export async function createDindUnderlay(run: RunLab, owner: string, scenarioId: string, cleanup: Cleanup, signal?: AbortSignal): Promise<DindUnderlay> {
  const local = run.primary;
  const name = dockerName(run.runId, `${owner}-underlay`);
  const labels = { [LABEL_RUN]: run.runId, [LABEL_SCENARIO]: scenarioId, [LABEL_ROLE]: "dind-underlay" };
  for (let attempt = 0; ; attempt++) {
    const subnet = await run.allocateSubnet(local, cleanup, signal);
    const bridge = run.takeBridgeName(cleanup);
    try {
      const id = await local.engine.createNetwork({ name, driver: "bridge", subnet, options: { "com.docker.network.bridge.name": bridge }, labels });
      cleanup.defer(`network ${name}`, () => local.engine.removeNetwork(id));
      return { dockerName: name, id, subnet, bridge, labels };
    } catch (err) {
      if (err instanceof SubnetConflictError && attempt < 4) {
        run.markSubnetTaken(subnet);
        continue;
      }
      throw new LabBringUpError(`the dind hosts' underlay network ${name} (${subnet})`, err);
    }
  }
}
