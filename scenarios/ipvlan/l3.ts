// icmpReach through ctx.probe, not ctx.inspect: the lab refuses any target outside its ranges before sending.
import { defineScenario, icmpReach, captureDuring, captureOnHost, countProbePackets, createLabNetwork, judgeNoRouteOut, judgeReach, judgeRefused, VM_TRUNK, vmUnderlayAddress, withAddress, withRoute, type CheckBuilder, type CheckContext, type CheckOutcome, type NodeDecl } from "netcheck";

// Three subnets on one L3 network on one parent: routed inside vm1, no gateway anywhere. (One network: Docker
// 20.10 refuses a second ipvlan network on a parent another one uses, whatever its mode — see the last check.)
const SUBNET = "10.214.22.0/24";
const SUBNET2 = "10.214.25.0/24";
const SUBNET3 = "10.214.26.0/24";
// For the network Docker must refuse (never created).
const REFUSED = "10.214.27.0/24";
// Held by vm2 on the trunk for one check; no route of vm1 covers it.
const ON_LINK = "10.214.31.9";

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
    // The issue expected `unreachable` at the source. Measured on Docker 20.10.24 / kernel 6.1 (the VMs): a timeout.
    // vm1 has no route to the external host, but ipvlan L3 looks the route up bound to the parent, so the kernel takes
    // the address for on-link and ARPs for it on eth1; nobody answers and the packets die there, with no ICMP error.
    // The check states that, proven by captures in a, on eth1 and at the external host, and vm1's neighbour entry.
    c.check("no-route-out-dropped-silently-on-the-host", "isolation", `a → the external host never leaves vm1: vm1 has no route there, and the packets die on the host without an ICMP error (a timeout at the source, not the issue's \`unreachable\`) — proven by captures in a, on ${VM_TRUNK} and at the external host, and by what vm1 shows of the drop`, (ctx) =>
      noRouteOut(ctx, c, a),
    ),
    {
      // Why the way out is closed only by silence: an address vm1 has no route to, answered on the parent's segment, is reached.
      ...c.check("an-unrouted-address-on-the-parent-segment-is-reached", "reachability", `a → ${ON_LINK} (held by vm2 on the trunk; vm1 has no route to it) connects: ipvlan L3 sends what the host cannot route out of the parent as on-link`, (ctx) =>
        onLinkReach(ctx, c, a, true),
      ),
      requires: ["hosts.vm2"],
    },
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

/**
 * a → the external host, with captures in a (did the probe leave it?), on
 * vm1's trunk (did it leave the host?) and at the external host (did it
 * arrive?), and the counters where ipvlan L3 counts an unroutable packet read
 * around it. `requireUnreachable`: the issue's literal claim (a wrong twin).
 */
export async function noRouteOut(ctx: CheckContext, c: CheckBuilder, a: NodeDecl, opts: { requireUnreachable?: boolean } = {}): Promise<CheckOutcome> {
  const ext = ctx.run.external.address;
  const node = ctx.node(a);
  const probe = icmpReach(ext, { count: 2, timeoutS: 2 });
  const icmp = `icmp and ip[2:2] = ${probe.signature.payloadSize! + 28}`;
  const counters = async () => {
    const slave = await ctx.inspect(a, ["cat", "/sys/class/net/eth0/statistics/tx_dropped"]);
    const parent = await ctx.inspect(c.host("vm1"), ["cat", `/sys/class/net/${VM_TRUNK}/statistics/tx_errors`]);
    const num = (r: typeof slave) => (r.result.exitCode === 0 && /^\d+$/.test(r.result.stdout.trim()) ? Number(r.result.stdout.trim()) : undefined);
    return { slave: num(slave), parent: num(parent), evidence: [slave.evidence, parent.evidence] };
  };
  const route = await ctx.inspect(c.host("vm1"), ["ip", "route", "get", ext]);
  const before = await counters();
  const { value: ping, files } = await captureDuring(
    ctx,
    [
      { point: { kind: "node", node, iface: "any" }, name: "no-route-out-in-a", filter: icmp, description: "a's namespace: the probe's echo requests" },
      { point: { kind: "host", labHost: ctx.lab.host("vm1"), iface: VM_TRUNK }, name: "no-route-out-on-the-parent", filter: `(${icmp}) or arp`, description: `vm1 ${VM_TRUNK} (the parent): the probe's echo requests, ARP` },
      { point: { kind: "external" }, name: "no-route-out-at-the-external-host", filter: icmp, description: "the external host: the probe's echo requests" },
    ],
    async () => {
      const r = await ctx.probe(a, probe);
      // -U writes each packet as it comes; a short pause lets the last one land before SIGINT.
      await new Promise((res) => setTimeout(res, 300));
      return r;
    },
    { signal: ctx.signal },
  );
  const after = await counters();
  const neigh = await ctx.inspect(c.host("vm1"), ["ip", "neigh", "show", ext, "dev", VM_TRUNK]);
  const arp = files[1]!.capture.packets().filter((p) => p.arp?.operation === "request" && p.arp.targetIp === ext);
  const [inA, onParent, atExt] = files.map((f) => f.capture.packets().filter((p) => p.ip?.dst === ext));
  const count = (pkts: typeof inA) => countProbePackets(pkts!, probe.signature).requests;
  const delta = (x?: number, y?: number) => (x !== undefined && y !== undefined ? y - x : undefined);
  const evidence = [
    route.evidence,
    ...before.evidence,
    ping.evidence,
    ...files.map((f, i) => ({ kind: "packets" as const, capture: f.where, file: f.relPath, lines: [inA, onParent, atExt][i]!.slice(0, 8).map((p) => `${p.ip?.src} > ${p.ip?.dst} icmp type ${p.icmp?.type} len ${p.payload.length}`), total: [inA, onParent, atExt][i]!.length })),
    ...after.evidence,
    { kind: "packets" as const, capture: `vm1 ${VM_TRUNK}: ARP requests for ${ext}`, file: files[1]!.relPath, lines: arp.slice(0, 4).map((p) => `arp who-has ${p.arp!.targetIp} tell ${p.arp!.senderIp} (${p.arp!.senderMac})`), total: arp.length },
    neigh.evidence,
  ];
  const verdict = judgeNoRouteOut(
    {
      subject: `a → ${ext} (external)`,
      outcome: ping.value.outcome,
      leftSource: count(inA),
      onParent: count(onParent),
      atDestination: count(atExt),
      parent: `vm1 ${VM_TRUNK}`,
      slaveTxDropped: delta(before.slave, after.slave),
      parentTxErrors: delta(before.parent, after.parent),
      arpOnParent: arp.length,
      neighbour: neigh.result.stdout,
      hostRoute: `${route.result.stdout}${route.result.stderr}`,
    },
    opts,
  );
  return { ...verdict, evidence };
}

/**
 * a → ON_LINK, an address vm2 holds on the trunk and vm1 has no route to
 * (vm2 routes the subnet back via vm1), with a capture at vm2 (the target).
 * `mustReach: false` states the wrong expectation (its twin).
 */
export async function onLinkReach(ctx: CheckContext, c: CheckBuilder, a: NodeDecl, mustReach: boolean): Promise<CheckOutcome> {
  ctx.run.addLabAddress(ON_LINK);
  const route = await ctx.inspect(c.host("vm1"), ["ip", "route", "get", ON_LINK]);
  return withAddress(ctx, "vm2", VM_TRUNK, `${ON_LINK}/32`, () =>
    withRoute(ctx, "vm2", SUBNET, ["via", vmUnderlayAddress(1), "dev", VM_TRUNK], async (add) => {
      const probe = icmpReach(ON_LINK, { count: 2, timeoutS: 3 });
      const cap = await captureOnHost(ctx, ctx.lab.host("vm2"), { iface: VM_TRUNK, filter: "icmp or arp", name: `ipvlan-l3-on-link-${mustReach ? "reach" : "twin"}`, signal: ctx.signal }, () => ctx.probe(a, probe));
      const pkts = cap.capture.packets();
      const arrival = { where: `vm2 ${VM_TRUNK} (holding ${ON_LINK})`, ...countProbePackets(pkts, probe.signature), file: cap.file };
      const v = judgeReach({ mustReach, subject: `a → ${ON_LINK} (on the trunk, unrouted on vm1, icmp)`, outcome: cap.value.value.outcome, arrival });
      const arp = pkts.filter((p) => p.arp?.targetIp === ON_LINK);
      const note = { kind: "note" as const, text: `vm1's own route to ${ON_LINK}: ${(route.result.stdout + route.result.stderr).trim()}; ARP for it on the trunk: ${arp.length}` };
      return { status: v.status, reason: v.reason, evidence: [route.evidence, add.evidence, cap.value.evidence, cap.evidence(pkts, `vm2 ${VM_TRUNK}`), note] };
    }),
  );
}
