// icmpReach through ctx.probe, not ctx.inspect: the lab refuses any target outside its ranges before sending.
import { defineScenario, icmpReach, VM_TRUNK, withAddress } from "netcheck";

// Pinned: the peer on the second VM takes an address in it.
const SUBNET = "10.214.21.0/24";
const PEER = "10.214.21.250";

export default defineScenario({
  id: "ipvlan/l2",
  mode: "ipvlan",
  summary: "ipvlan L2 on the VM trunk: containers share the parent's MAC, reach each other, and reach a peer machine on the same segment by ARP",
  // hosts.vm: the parent is the VM's isolated trunk, never a real NIC of the machine running netcheck.
  requires: ["kernel.ipvlan", "hosts.vm"],
  lab: (lab) => {
    const lan = lab.network("lan", { driver: "ipvlan", subnet: SUBNET, host: "vm1", options: { parent: VM_TRUNK, ipvlan_mode: "l2" } });
    return { lan, a: lab.node("a", { network: lan, host: "vm1" }), b: lab.node("b", { network: lan, host: "vm1" }) };
  },
  checks: ({ lan, a, b }, c) => [
    c.addressing(a, lan),
    c.reach(a, b),
    c.reach(a, b, { byName: true, via: "http", port: 80 }),
    c.check("containers-share-the-parent-mac", "topology", `a's and b's eth0 carry the MAC of vm1's ${VM_TRUNK} (ipvlan, unlike macvlan, makes no new MAC)`, async (ctx) => {
      const parent = await ctx.inspect(c.host("vm1"), ["cat", `/sys/class/net/${VM_TRUNK}/address`]);
      const ma = await ctx.inspect(a, ["cat", "/sys/class/net/eth0/address"]);
      const mb = await ctx.inspect(b, ["cat", "/sys/class/net/eth0/address"]);
      const [p, x, y] = [parent, ma, mb].map((r) => r.result.stdout.trim());
      const evidence = [parent.evidence, ma.evidence, mb.evidence];
      if (!p || p !== x || p !== y) return { status: "fail", reason: `parent ${p || "?"}, a ${x || "?"}, b ${y || "?"}: not all the same`, evidence };
      return { status: "pass", reason: `a, b and vm1's ${VM_TRUNK} all use ${p}`, evidence };
    }),
    {
      ...c.check("a-reaches-a-peer-on-the-segment-which-sees-the-parent-mac", "reachability", `a → ${PEER} (vm2 on the trunk) connects, and vm2's ARP entry for a is vm1's ${VM_TRUNK} MAC`, async (ctx) => {
        const vm2 = ctx.run.host("vm2").shell;
        ctx.run.addLabAddress(PEER);
        const aIp = ctx.node(a).addresses[0]?.ipv4 ?? "";
        return withAddress(vm2, VM_TRUNK, `${PEER}/24`, async () => {
          const ping = await ctx.probe(a, icmpReach(PEER, { count: 2, timeoutS: 2 }));
          const neigh = await ctx.inspect(c.host("vm2"), ["ip", "neigh", "show", aIp, "dev", VM_TRUNK]);
          const parent = await ctx.inspect(c.host("vm1"), ["cat", `/sys/class/net/${VM_TRUNK}/address`]);
          const mac = parent.result.stdout.trim();
          const evidence = [ping.evidence, neigh.evidence, parent.evidence];
          if (ping.result.exitCode !== 0) return { status: "fail", reason: `a (${aIp}) could not ping the peer ${PEER}`, evidence };
          if (!mac || !neigh.result.stdout.includes(mac)) return { status: "fail", reason: `vm2's neighbour entry for ${aIp} is "${neigh.result.stdout.trim()}", not vm1's MAC ${mac}`, evidence };
          return { status: "pass", reason: `peer answered; vm2 resolved ${aIp} to ${mac} (the parent's MAC)`, evidence };
        }, ctx.signal);
      }),
      requires: ["hosts.vm2"],
    },
  ],
});
