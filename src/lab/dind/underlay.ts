import { SubnetConflictError } from "../../engine/errors.js";
import type { Cleanup } from "../../util/cleanup.js";
import { dockerName, LABEL_ROLE, LABEL_RUN, LABEL_SCENARIO } from "../../util/labels.js";
import { nthAddress6, parseCidr6 } from "../../util/ipv6.js";
import { LabBringUpError } from "../errors.js";
import type { RunLab } from "../run-lab.js";

/** The lab-owned bridge on the local engine that dind hosts share: their "physical" network. */
export interface DindUnderlay {
  dockerName: string;
  id: string;
  subnet: string;
  /** Its Linux bridge on this machine: where VXLAN between the hosts can be captured. */
  bridge: string;
  /** Its IPv6 /64 (from the run's /48), when a host on it runs a daemon with `ipv6: true`. */
  subnet6?: string;
  labels: Record<string, string>;
}

/** A user-defined bridge on a lab subnet (guarded like every lab subnet), named so `netcheck clean` finds its link too. */
export async function createDindUnderlay(run: RunLab, owner: string, scenarioId: string, cleanup: Cleanup, signal?: AbortSignal, opts: { ipv6?: boolean } = {}): Promise<DindUnderlay> {
  const local = run.primary;
  const name = dockerName(run.runId, `${owner}-underlay`);
  const labels = { [LABEL_RUN]: run.runId, [LABEL_SCENARIO]: scenarioId, [LABEL_ROLE]: "dind-underlay" };
  // Dual-stack when an inner daemon has IPv6: its containers' v6 traffic leaves the host over it, routed
  // (or masqueraded, with ip6tables) toward the external host; the /64 is inside the run's guarded /48.
  const subnet6 = opts.ipv6 ? run.allocateSubnet6() : undefined;
  if (subnet6) await run.restoreV6ForwardingLater(local, signal);
  const ipv6 = subnet6 ? { subnet: subnet6, gateway: nthAddress6(parseCidr6(subnet6), 1) } : undefined;
  for (let attempt = 0; ; attempt++) {
    const subnet = await run.allocateSubnet(local, cleanup, signal);
    const bridge = run.takeBridgeName(cleanup);
    try {
      const id = await local.engine.createNetwork({ name, driver: "bridge", subnet, ipv6, options: { "com.docker.network.bridge.name": bridge }, labels });
      cleanup.defer(`network ${name}`, () => local.engine.removeNetwork(id));
      return { dockerName: name, id, subnet, bridge, labels, ...(subnet6 ? { subnet6 } : {}) };
    } catch (err) {
      if (err instanceof SubnetConflictError && attempt < 4) {
        run.markSubnetTaken(subnet);
        continue;
      }
      throw new LabBringUpError(`the dind hosts' underlay network ${name} (${subnet})`, err);
    }
  }
}
