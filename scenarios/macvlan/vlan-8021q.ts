// icmpReach through ctx.probe, not ctx.inspect: the lab refuses any target outside its ranges before sending.
import { defineScenario, icmpReach, captureOnHost, VM_TRUNK, withVlanPeer } from "netcheck";

const VLAN = 20;
const PARENT = `${VM_TRUNK}.${VLAN}`;
const SUBNET = "10.214.23.0/24";
const PEER = "10.214.23.250";

export default defineScenario({
  id: "macvlan/vlan-8021q",
  mode: "macvlan",
  summary: `macvlan on parent ${PARENT}: Docker creates the 802.1Q sub-interface itself, and frames on the trunk carry VLAN tag ${VLAN} (decoded from a capture)`,
  // hosts.vm: the trunk is the VM's isolated eth1, never a real NIC of this machine.
  requires: ["kernel.8021q", "hosts.vm"],
  lab: (lab) => {
    const vlan = lab.network("vlan20", { driver: "macvlan", subnet: SUBNET, gateway: "10.214.23.1", host: "vm1", options: { parent: PARENT, macvlan_mode: "bridge" } });
    return { vlan, a: lab.node("a", { network: vlan, host: "vm1" }), b: lab.node("b", { network: vlan, host: "vm1" }) };
  },
  checks: ({ vlan, a, b }, c) => [
    c.addressing(a, vlan),
    c.reach(a, b, { byName: true, via: "http", port: 80 }),
    c.check("docker-created-the-vlan-sub-interface", "topology", `vm1 has ${PARENT}, an 802.1Q link with id ${VLAN} on ${VM_TRUNK}, that nobody but Docker created`, async (ctx) => {
      const r = await ctx.inspect(c.host("vm1"), ["ip", "-d", "link", "show", PARENT]);
      const ok = r.result.exitCode === 0 && new RegExp(`vlan protocol 802\\.1Q id ${VLAN}\\b`).test(r.result.stdout);
      return ok ? { status: "pass", reason: `${PARENT}: vlan protocol 802.1Q id ${VLAN}`, evidence: [r.evidence] } : { status: "fail", reason: `${PARENT} missing or not VLAN ${VLAN}`, evidence: [r.evidence] };
    }),
    {
      ...c.check("frames-on-the-trunk-carry-the-vlan-tag", "reachability", `a → a peer on VLAN ${VLAN} of vm2 (${PEER}) connects, and every captured frame from a on vm2's ${VM_TRUNK} carries tag ${VLAN}`, async (ctx) => {
        const vm2 = ctx.run.host("vm2").shell;
        ctx.run.addLabAddress(PEER);
        const aIp = ctx.node(a).addresses[0]?.ipv4 ?? "";
        return withVlanPeer(vm2, VLAN, `${PEER}/24`, async () => {
          const cap = await captureOnHost(ctx, ctx.lab.host("vm2"), { iface: VM_TRUNK, filter: "vlan", name: "macvlan-vlan-8021q-trunk", signal: ctx.signal }, () =>
            ctx.probe(a, icmpReach(PEER, { count: 2, timeoutS: 3 })),
          );
          const fromA = cap.capture.packets().filter((p) => p.ip?.src === aIp || p.arp?.senderIp === aIp);
          const evidence = [cap.value.evidence, cap.evidence(fromA, `vm2 ${VM_TRUNK} (trunk, tags visible)`)];
          if (cap.value.result.exitCode !== 0) return { status: "fail", reason: `a (${aIp}) could not ping ${PEER} on VLAN ${VLAN}`, evidence };
          if (fromA.length === 0) return { status: "fail", reason: `no frame from ${aIp} seen tagged on the trunk`, evidence };
          const untagged = fromA.filter((p) => p.vlans[0] !== VLAN);
          if (untagged.length) return { status: "fail", reason: `${untagged.length} of ${fromA.length} frames from ${aIp} lack tag ${VLAN}`, evidence };
          return { status: "pass", reason: `${fromA.length} frames from ${aIp}, all tagged VLAN ${VLAN}`, evidence };
        }, ctx.signal);
      }),
      requires: ["hosts.vm2"],
    },
  ],
});
