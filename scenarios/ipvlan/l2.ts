// icmpReach through ctx.probe, not ctx.inspect: the lab refuses any target outside its ranges before sending.
import { defineScenario, icmpReach, captureOnHost, judgeSharedMac, judgeViaGateway, VM_TRUNK, vmUnderlayAddress, withAddress, type CheckContext } from "netcheck";

// Pinned: the second VM takes the gateway's address in it.
const SUBNET = "10.214.21.0/24";
const GATEWAY = "10.214.21.1";
// Off a's subnet, on vm2: only the default route (via the gateway) leads there.
const BEYOND = vmUnderlayAddress(2);

/** vm2 is the segment's gateway (and its peer) for the duration of `fn`. */
const asGateway = <T>(ctx: CheckContext, fn: () => Promise<T>): Promise<T> => withAddress(ctx, "vm2", VM_TRUNK, `${GATEWAY}/24`, fn);

const macOf = async (ctx: CheckContext, vm: string) => {
  const r = await ctx.inspect({ kind: "lab-host", name: vm }, ["cat", `/sys/class/net/${VM_TRUNK}/address`]);
  return { mac: r.result.stdout.trim(), evidence: r.evidence };
};

export default defineScenario({
  id: "ipvlan/l2",
  mode: "ipvlan",
  summary: `ipvlan L2 on the VM trunk with a gateway (${GATEWAY}, vm2): containers share the parent's MAC, reach each other, route off-subnet through the declared gateway, and the peer's ARP answers for them carry the parent's MAC`,
  // hosts.vm: the parent is the VM's isolated trunk, never a real NIC of the machine running netcheck.
  requires: ["kernel.ipvlan", "hosts.vm"],
  lab: (lab) => {
    const lan = lab.network("lan", { driver: "ipvlan", subnet: SUBNET, gateway: GATEWAY, host: "vm1", options: { parent: VM_TRUNK, ipvlan_mode: "l2" } });
    return { lan, a: lab.node("a", { network: lan, host: "vm1" }), b: lab.node("b", { network: lan, host: "vm1" }) };
  },
  checks: ({ lan, a, b }, c) => [
    // The default route is via the declared gateway (read from a's routing table).
    c.addressing(a, lan),
    c.reach(a, b),
    c.reach(a, b, { byName: true, via: "http", port: 80 }),
    // vm1 has no route to this machine's external host: nothing leaves the trunk.
    c.isolated(a, c.external()),
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
      ...c.check("off-subnet-traffic-goes-via-the-declared-gateway", "reachability", `with vm2 holding the gateway ${GATEWAY}, a → ${BEYOND} (off a's subnet, on vm2) connects, and every echo request arrives framed to the gateway's MAC`, async (ctx) =>
        asGateway(ctx, async () => {
          const aIp = ctx.node(a).addresses[0]?.ipv4 ?? "";
          const gw = await macOf(ctx, "vm2");
          const cap = await captureOnHost(ctx, ctx.lab.host("vm2"), { iface: VM_TRUNK, filter: "icmp", name: "ipvlan-l2-via-gateway", signal: ctx.signal }, () =>
            ctx.probe(a, icmpReach(BEYOND, { count: 2, timeoutS: 3 })),
          );
          const pkts = cap.capture.packets().filter((p) => p.ip?.src === aIp || p.ip?.dst === aIp);
          const evidence = [gw.evidence, cap.value.evidence, cap.evidence(pkts, `vm2 ${VM_TRUNK} (the gateway)`)];
          if (cap.value.value.outcome.class !== "delivered") return { status: "fail", reason: `a (${aIp}) → ${BEYOND} through the gateway: ${cap.value.value.outcome.why}`, evidence };
          return { ...judgeViaGateway(pkts, { node: "a", src: aIp, dst: BEYOND, gateway: GATEWAY, gatewayMac: gw.mac }), evidence };
        }),
      ),
      requires: ["hosts.vm2"],
    },
    {
      ...c.check("the-peer-sees-the-parent-mac-for-every-container", "topology", `vm2 (${GATEWAY}) pings a and b with no neighbour entry for them: the ARP answers for both, and their replies, carry vm1's ${VM_TRUNK} MAC`, async (ctx) =>
        asGateway(ctx, async () => {
          const nodes = [a, b].map((n) => ({ name: n.name, ip: ctx.node(n).addresses[0]?.ipv4 ?? "" }));
          const parent = await macOf(ctx, "vm1");
          // Forget them first, so vm2 must ask (ARP) and the answers are in the capture.
          for (const n of nodes) await ctx.inspect(c.host("vm2"), ["sh", "-c", `ip neigh del ${n.ip} dev ${VM_TRUNK} 2>/dev/null; true`]);
          const cap = await captureOnHost(ctx, ctx.lab.host("vm2"), { iface: VM_TRUNK, filter: "arp or icmp", name: "ipvlan-l2-peer-arp", signal: ctx.signal }, async () => {
            const out = [];
            for (const n of nodes) out.push(await ctx.probe(c.host("vm2"), icmpReach(n.ip, { count: 1, timeoutS: 3 })));
            return out;
          });
          const neigh = await ctx.inspect(c.host("vm2"), ["ip", "neigh", "show", "dev", VM_TRUNK]);
          const pkts = cap.capture.packets().filter((p) => nodes.some((n) => p.arp?.senderIp === n.ip || p.arp?.targetIp === n.ip || p.ip?.src === n.ip));
          const evidence = [parent.evidence, ...cap.value.map((v) => v.evidence), neigh.evidence, cap.evidence(pkts, `vm2 ${VM_TRUNK}: ARP and echo for a and b`)];
          const failed = cap.value.findIndex((v) => v.value.outcome.class !== "delivered");
          if (failed >= 0) return { status: "fail", reason: `vm2 could not ping ${nodes[failed]!.name} (${nodes[failed]!.ip}): ${cap.value[failed]!.value.outcome.why}`, evidence };
          return { ...judgeSharedMac(pkts, parent.mac, nodes), evidence };
        }),
      ),
      requires: ["hosts.vm2"],
    },
  ],
});
