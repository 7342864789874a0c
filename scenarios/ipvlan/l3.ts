// icmpReach through ctx.probe, not ctx.inspect: the lab refuses any target outside its ranges before sending.
import { defineScenario, icmpReach, captureOnHost, createLabNetwork, judgeNoRouteOut, judgeRefused, VM_TRUNK, vmUnderlayAddress, withRoute } from "netcheck";

// Three subnets on one L3 network on one parent: routed inside vm1, no gateway anywhere. (One network: Docker
// 20.10 refuses a second ipvlan network on a parent another one uses, whatever its mode — see the last check.)
const SUBNET = "10.214.22.0/24";
const SUBNET2 = "10.214.25.0/24";
const SUBNET3 = "10.214.26.0/24";
// For the network Docker must refuse (never created).
const REFUSED = "10.214.27.0/24";

export default defineScenario({
  id: "ipvlan/l3",
  mode: "ipvlan",
  summary: `ipvlan L3, three subnets on one parent (vm1's ${VM_TRUNK}): containers are routed (no ARP, a device default route), reach each other across the subnets without any gateway, have no route out, and a peer reaches them through a route via the VM; Docker refuses an L2 network on the same parent`,
  requires: ["kernel.ipvlan", "hosts.vm"],
  lab: (lab) => {
    const routed = lab.network("routed", { driver: "ipvlan", subnet: SUBNET, moreSubnets: [SUBNET2, SUBNET3], host: "vm1", options: { parent: VM_TRUNK, ipvlan_mode: "l3" } });
    return {
      routed,
      a: lab.node("a", { network: routed, host: "vm1" }),
      b: lab.node("b", { network: routed, host: "vm1" }),
      c2: lab.node("c2", { network: routed, host: "vm1", ipv4: "10.214.25.2" }),
      c3: lab.node("c3", { network: routed, host: "vm1", ipv4: "10.214.26.2" }),
    };
  },
  checks: ({ a, b, c2, c3 }, c) => [
    c.reach(a, b),
    c.reach(a, b, { byName: true, via: "http", port: 80 }),
    // Across subnets: no gateway exists on any of them; the parent routes between its L3 slaves.
    c.reach(a, c2),
    c.reach(c2, c3),
    c.reach(c3, a, { via: "http", port: 80 }),
    c.isolated(a, c.external()),
    c.check("a-interface-has-no-arp-and-a-device-default-route", "topology", "a's eth0 is NOARP and its default route is `dev eth0` with no gateway (L3 mode routes, it does not switch)", async (ctx) => {
      const link = await ctx.inspect(a, ["busybox", "ip", "link", "show", "eth0"]);
      const route = await ctx.inspect(a, ["busybox", "ip", "route", "show", "default"]);
      const evidence = [link.evidence, route.evidence];
      if (!/NOARP/.test(link.result.stdout)) return { status: "fail", reason: "eth0 is not NOARP", evidence };
      if (!/default dev eth0/.test(route.result.stdout) || /\bvia\b/.test(route.result.stdout)) return { status: "fail", reason: `default route is "${route.result.stdout.trim()}"`, evidence };
      return { status: "pass", reason: "eth0 NOARP, default dev eth0", evidence };
    }),
    c.check("no-route-out-unreachable-at-the-source", "isolation", "a → the external host is refused at the source (vm1, the L3 router of its slaves, has no route there): `unreachable`, not a timeout", async (ctx) => {
      const ping = await ctx.probe(a, icmpReach(ctx.run.external.address, { count: 1, timeoutS: 2 }));
      const route = await ctx.inspect(c.host("vm1"), ["ip", "route", "get", ctx.run.external.address]);
      return { ...judgeNoRouteOut(ping.value.outcome, `a → ${ctx.run.external.address} (external)`), evidence: [ping.evidence, route.evidence] };
    }),
    c.check("an-l2-network-on-the-same-parent-is-refused", "topology", `docker network create -d ipvlan -o ipvlan_mode=l2 -o parent=${VM_TRUNK} on vm1, while the L3 network uses ${VM_TRUNK}, fails with Docker's "network di-… is already using parent interface ${VM_TRUNK}"`, async (ctx) => {
      const net = await createLabNetwork(ctx, "vm1", "ipvlan-l2-on-l3-parent", ["-d", "ipvlan", "-o", `parent=${VM_TRUNK}`, "-o", "ipvlan_mode=l2", "--subnet", REFUSED]);
      return { ...judgeRefused(net.result, new RegExp(`^Error response from daemon: network di-[0-9a-f]{12} is already using parent interface ${VM_TRUNK}$`), `an ipvlan L2 network on ${VM_TRUNK} next to an L3 one`), evidence: [net.evidence] };
    }),
    {
      ...c.check("peer-routes-to-the-containers-via-the-vm-without-arp-for-them", "reachability", `vm2, with a route to ${SUBNET} via vm1 (${vmUnderlayAddress(1)}), reaches a; on the trunk nobody ARPs for a's address`, async (ctx) => {
        const aIp = ctx.node(a).addresses[0]?.ipv4 ?? "";
        return withRoute(ctx, "vm2", SUBNET, ["via", vmUnderlayAddress(1), "dev", VM_TRUNK], async (add) => {
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
        });
      }),
      requires: ["hosts.vm2"],
    },
  ],
});
