/**
 * Wrong-expectation twins of the VM lab's trunk scenarios (issue 19 items 1–3):
 * each scenario's own lab, with checks that state the opposite of what Docker
 * does. Every one must fail; one that passes could pass for the wrong reason.
 */
import { defineScenario, type Scenario } from "../../src/scenario/define.js";
import { loadFile } from "../../src/scenario/loader.js";
import type { NodeDecl, NetworkDecl } from "../../src/lab/topology.js";
import { createLabNetwork, VM_TRUNK } from "../../src/lab/vm/trunk.js";
import { judgeRefused } from "../../src/assert/vlan-trunk.js";
import { noRouteOut, onLinkReach } from "../../scenarios/ipvlan/l3.js";

type Handles = Record<string, NodeDecl & NetworkDecl>;

async function twin(file: string, checks: Scenario<Handles>["checks"]): Promise<Scenario<object>> {
  const [real] = (await loadFile(file)) as unknown as Scenario<Handles>[];
  return defineScenario<Handles>({ id: `twin/${real!.id.replace("/", "-")}`, mode: real!.mode, summary: `wrong expectations on ${real!.id}'s lab`, requires: real!.requires, lab: real!.lab, checks }) as unknown as Scenario<object>;
}

export async function vmLabTwins(): Promise<Scenario<object>[]> {
  return [
    await twin("scenarios/macvlan/vlan-8021q.ts", ({ a20, b20, a30 }, c) => [
      // Wrong: nothing routes between the VLANs.
      c.reach(a20!, a30!, { name: "wrong-a20-reaches-a30" }),
      // Wrong: a20 and b20 share VLAN 20.
      c.isolated(a20!, b20!, { name: "wrong-a20-isolated-from-b20" }),
      // Wrong: no route out of the trunk.
      c.reach(a30!, c.external(), { name: "wrong-a30-reaches-external" }),
    ]),
    await twin("scenarios/ipvlan/l3.ts", ({ a, c2 }, c) => [
      // Wrong: the parent routes between its L3 subnets.
      c.isolated(a!, c2!, { name: "wrong-a-isolated-from-c2" }),
      // Wrong: vm1 has no route to the external host.
      c.reach(a!, c.external(), { name: "wrong-a-reaches-external" }),
      // Wrong on Docker 20.10 / kernel 6.1 (the literal words): the source sees a timeout, ipvlan drops it on the host.
      // Wrong: ipvlan L3 sends what vm1 cannot route out of the parent as on-link, and vm2 answers there.
      { ...c.check("wrong-an-unrouted-address-on-the-parent-segment-is-not-reached", "isolation", "a → an address vm2 holds on the trunk (no route on vm1) must NOT connect", (ctx) => onLinkReach(ctx, c, a!, false)), requires: ["hosts.vm2"] },
      c.check("wrong-no-route-out-unreachable-at-the-source", "isolation", "a → the external host is refused at the source (`unreachable`), not a timeout", (ctx) => noRouteOut(ctx, c, a!, { requireUnreachable: true })),
      // Wrong reason: Docker refuses a second network on the parent because it uses it, not for an address overlap.
      c.check("wrong-an-l2-network-on-the-same-parent-is-refused-for-its-pool", "topology", `Docker refuses an L2 network on ${VM_TRUNK} with "Pool overlaps" (it says the parent is in use)`, async (ctx) => {
        const net = await createLabNetwork(ctx, "vm1", "twin-l2-same-parent", ["-d", "ipvlan", "-o", `parent=${VM_TRUNK}`, "-o", "ipvlan_mode=l2", "--subnet", "10.214.27.0/24"]);
        return { ...judgeRefused(net.result, /Pool overlaps/, `an L2 network on ${VM_TRUNK}`), evidence: [net.evidence] };
      }),
    ]),
    await twin("scenarios/ipvlan/l2.ts", ({ lan, a, b }, c) => [
      // Wrong: same L2 network.
      c.isolated(a!, b!, { name: "wrong-a-isolated-from-b" }),
      // Wrong: the declared gateway is 10.214.21.1.
      c.addressing(a!, lan!, { gateway: "10.214.21.254" }, { name: "wrong-a-default-via-254" }),
      c.reach(a!, c.external(), { name: "wrong-a-reaches-external" }),
    ]),
  ];
}
