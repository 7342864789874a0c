// icmpReach through ctx.probe, not ctx.inspect: the lab refuses any target outside its ranges before sending.
import { defineScenario, icmpReach, captureOnHost, VM_TRUNK, vmUnderlayAddress } from "netcheck";

const SUBNET = "10.214.22.0/24";

export default defineScenario({
  id: "ipvlan/l3",
  mode: "ipvlan",
  summary: "ipvlan L3 on the VM trunk: containers are routed (no ARP on their interface, a device default route), reach each other, and a peer reaches them through a route via the VM",
  requires: ["kernel.ipvlan", "hosts.vm"],
  lab: (lab) => {
    const routed = lab.network("routed", { driver: "ipvlan", subnet: SUBNET, host: "vm1", options: { parent: VM_TRUNK, ipvlan_mode: "l3" } });
    return { routed, a: lab.node("a", { network: routed, host: "vm1" }), b: lab.node("b", { network: routed, host: "vm1" }) };
  },
  checks: ({ a, b }, c) => [
    c.reach(a, b),
    c.reach(a, b, { byName: true, via: "http", port: 80 }),
    c.check("a-interface-has-no-arp-and-a-device-default-route", "topology", "a's eth0 is NOARP and its default route is `dev eth0` with no gateway (L3 mode routes, it does not switch)", async (ctx) => {
      const link = await ctx.inspect(a, ["busybox", "ip", "link", "show", "eth0"]);
      const route = await ctx.inspect(a, ["busybox", "ip", "route", "show", "default"]);
      const evidence = [link.evidence, route.evidence];
      if (!/NOARP/.test(link.result.stdout)) return { status: "fail", reason: "eth0 is not NOARP", evidence };
      if (!/default dev eth0/.test(route.result.stdout) || /\bvia\b/.test(route.result.stdout)) return { status: "fail", reason: `default route is "${route.result.stdout.trim()}"`, evidence };
      return { status: "pass", reason: "eth0 NOARP, default dev eth0", evidence };
    }),
    {
      ...c.check("peer-routes-to-the-containers-via-the-vm-without-arp-for-them", "reachability", `vm2, with a route to ${SUBNET} via vm1 (${vmUnderlayAddress(1)}), reaches a; on the trunk nobody ARPs for a's address`, async (ctx) => {
        const vm2 = ctx.run.host("vm2").shell;
        const aIp = ctx.node(a).addresses[0]?.ipv4 ?? "";
        const route = ["ip", "route", "replace", SUBNET, "via", vmUnderlayAddress(1), "dev", VM_TRUNK];
        const add = await ctx.inspect(c.host("vm2"), route);
        try {
          const cap = await captureOnHost(ctx, ctx.lab.host("vm2"), { iface: VM_TRUNK, filter: "icmp or arp", name: "ipvlan-l3-trunk", signal: ctx.signal }, () =>
            ctx.probe(c.host("vm2"), icmpReach(aIp, { count: 2, timeoutS: 3 })),
          );
          const ping = cap.value;
          const pkts = cap.capture.packets();
          const arpForA = pkts.filter((p) => p.arp && JSON.stringify(p.arp).includes(aIp));
          const replies = pkts.filter((p) => p.icmp && p.ip?.src === aIp);
          const evidence = [add.evidence, ping.evidence, cap.evidence(pkts, `vm2 ${VM_TRUNK}`)];
          if (ping.result.exitCode !== 0 || replies.length === 0) return { status: "fail", reason: `vm2 got no echo reply from a (${aIp}) through vm1`, evidence };
          if (arpForA.length > 0) return { status: "fail", reason: `${arpForA.length} ARP packets for ${aIp} on the trunk: that is L2 behaviour`, evidence };
          return { status: "pass", reason: `${replies.length} replies from ${aIp} routed via vm1; no ARP for it on the trunk`, evidence };
        } finally {
          await vm2.exec(["ip", "route", "del", SUBNET], { signal: AbortSignal.timeout(10_000) });
        }
      }),
      requires: ["hosts.vm2"],
    },
  ],
});
