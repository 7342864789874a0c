// icmpReach through ctx.probe, not ctx.inspect: the lab refuses any target outside its ranges before sending.
import { defineScenario, icmpReach, captureOnHost, countProbePackets, createLabNetwork, judgeReach, judgeSubInterfaceLife, judgeVlanTags, VM_TRUNK, withVlanPeer, type CheckBuilder, type CheckContext, type Evidence, type NodeDecl } from "netcheck";

// Pinned: the peers on the second VM take addresses in them.
const V20 = { id: 20, parent: `${VM_TRUNK}.20`, subnet: "10.214.23.0/24", gateway: "10.214.23.1", peer: "10.214.23.250" };
const V30 = { id: 30, parent: `${VM_TRUNK}.30`, subnet: "10.214.24.0/24", gateway: "10.214.24.1", peer: "10.214.24.250" };
// The sub-interface experiment's own VLANs: no network of the lab uses them.
const FRESH = { id: 40, subnet: "10.214.28.0/24" };
const KEPT = { id: 41, subnet: "10.214.29.0/24" };

/** Both VLAN peers on vm2 (802.1Q links on its trunk) for the duration of `fn`. */
const withPeers = <T>(ctx: CheckContext, fn: () => Promise<T>): Promise<T> => {
  for (const v of [V20, V30]) ctx.run.addLabAddress(v.peer);
  return withVlanPeer(ctx, "vm2", V20.id, `${V20.peer}/24`, () => withVlanPeer(ctx, "vm2", V30.id, `${V30.peer}/24`, fn));
};

export default defineScenario({
  id: "macvlan/vlan-8021q",
  mode: "macvlan",
  summary: `Two VLANs on one trunk: macvlan on ${V20.parent} and ${V30.parent}; each VLAN's containers reach their own members and their VLAN's peer, never the other VLAN nor the outside; frames carry their tag on the trunk; Docker creates each sub-interface and removes it with its network, and keeps one it did not create`,
  // hosts.vm: the trunk is the VM's isolated eth1, never a real NIC of this machine.
  requires: ["kernel.8021q", "hosts.vm"],
  lab: (lab) => {
    const net = (v: typeof V20) => lab.network(`vlan${v.id}`, { driver: "macvlan", subnet: v.subnet, gateway: v.gateway, host: "vm1", options: { parent: v.parent, macvlan_mode: "bridge" } });
    const vlan20 = net(V20);
    const vlan30 = net(V30);
    return {
      vlan20,
      vlan30,
      a20: lab.node("a20", { network: vlan20, host: "vm1" }),
      b20: lab.node("b20", { network: vlan20, host: "vm1" }),
      a30: lab.node("a30", { network: vlan30, host: "vm1" }),
    };
  },
  checks: ({ vlan20, vlan30, a20, b20, a30 }, c) => [
    c.addressing(a20, vlan20),
    c.addressing(a30, vlan30),
    c.reach(a20, b20, { byName: true, via: "http", port: 80 }),
    c.reach(b20, a20),
    // Nothing routes between the VLANs (their gateways are not there): proven at the target by capture.
    c.isolated(a20, a30),
    c.isolated(a30, a20),
    c.isolated(a20, a30, { via: "tcp", port: 80 }),
    c.isolated(a20, c.external()),
    c.isolated(a30, c.external()),
    c.check("docker-created-both-vlan-sub-interfaces", "topology", `vm1 has ${V20.parent} and ${V30.parent}, 802.1Q links with ids ${V20.id} and ${V30.id} on ${VM_TRUNK}`, async (ctx) => {
      const shows = await Promise.all([V20, V30].map((v) => ctx.inspect(c.host("vm1"), ["ip", "-d", "link", "show", v.parent])));
      const evidence = shows.map((s) => s.evidence);
      const bad = [V20, V30].filter((v, i) => shows[i]!.result.exitCode !== 0 || !new RegExp(`vlan protocol 802\\.1Q id ${v.id}\\b`).test(shows[i]!.result.stdout));
      if (bad.length) return { status: "fail", reason: `${bad.map((v) => v.parent).join(", ")} missing or not the expected VLAN`, evidence };
      return { status: "pass", reason: `${V20.parent}: 802.1Q id ${V20.id}; ${V30.parent}: 802.1Q id ${V30.id}`, evidence };
    }),
    c.check(
      "docker-removes-the-sub-interface-it-created-and-keeps-one-it-did-not",
      "topology",
      `a macvlan network on ${VM_TRUNK}.${FRESH.id} (absent before) makes the link and its removal takes it; on ${VM_TRUNK}.${KEPT.id} (made first, by hand) the link outlives the network`,
      async (ctx) => {
        const vm1 = c.host("vm1");
        const show = async (dev: string) => {
          const r = await ctx.inspect(vm1, ["ip", "-d", "link", "show", dev]);
          return { out: r.result.exitCode === 0 ? r.result.stdout : undefined, evidence: r.evidence };
        };
        const evidence: Evidence[] = [];
        const life = async (v: typeof FRESH, preexisting: boolean) => {
          const dev = `${VM_TRUNK}.${v.id}`;
          if (preexisting) {
            const made = await ctx.own(vm1, { what: `VLAN link ${dev}`, apply: ["ip", "link", "add", "link", VM_TRUNK, "name", dev, "type", "vlan", "id", String(v.id)], undo: ["sh", "-c", `if ip link show ${dev} >/dev/null 2>&1; then ip link del ${dev}; fi`] });
            evidence.push(made.evidence);
          }
          const before = await show(dev);
          const net = await createLabNetwork(ctx, "vm1", `vlan${v.id}-life`, ["-d", "macvlan", "-o", `parent=${dev}`, "--subnet", v.subnet]);
          const during = await show(dev);
          const rm = await ctx.inspect(vm1, ["docker", "network", "rm", net.name], 60_000);
          const after = await show(dev);
          evidence.push(before.evidence, net.evidence, during.evidence, rm.evidence, after.evidence);
          if (net.result.exitCode !== 0) return { status: "fail" as const, reason: `error: docker network create on ${dev} failed: ${net.result.stderr.trim()}` };
          return judgeSubInterfaceLife({ dev, vlan: v.id, before: before.out, during: during.out, after: after.out, preexisting });
        };
        const fresh = await life(FRESH, false);
        const kept = fresh.status === "pass" ? await life(KEPT, true) : fresh;
        const reason = fresh.status === "pass" ? `${fresh.reason}; ${kept.reason}` : fresh.reason;
        return { status: kept.status, reason, evidence };
      },
    ),
    {
      ...c.check("frames-on-the-trunk-carry-each-vlans-tag", "reachability", `a20 → the VLAN ${V20.id} peer and a30 → the VLAN ${V30.id} peer (on vm2) connect, and on vm2's ${VM_TRUNK} every frame from a20 carries tag ${V20.id}, every frame from a30 tag ${V30.id}`, async (ctx) =>
        withPeers(ctx, async () => {
          const [ip20, ip30] = [a20, a30].map((n) => ctx.node(n).addresses[0]?.ipv4 ?? "") as [string, string];
          const cap = await captureOnHost(ctx, ctx.lab.host("vm2"), { iface: VM_TRUNK, filter: "vlan", name: "vlan-8021q-trunk", signal: ctx.signal }, async () => [
            await ctx.probe(a20, icmpReach(V20.peer, { count: 2, timeoutS: 3 })),
            await ctx.probe(a30, icmpReach(V30.peer, { count: 2, timeoutS: 3 })),
          ]);
          const pkts = cap.capture.packets().filter((p) => [ip20, ip30].some((ip) => p.ip?.src === ip || p.arp?.senderIp === ip));
          const evidence = [...cap.value.map((v) => v.evidence), cap.evidence(pkts, `vm2 ${VM_TRUNK} (trunk, tags decoded)`)];
          const failed = cap.value.findIndex((v) => v.value.outcome.class !== "delivered");
          if (failed >= 0) return { status: "fail", reason: `${failed ? "a30" : "a20"} could not reach its VLAN's peer: ${cap.value[failed]!.value.outcome.why}`, evidence };
          return { ...judgeVlanTags(pkts, [{ name: "a20", ip: ip20, vlan: V20.id }, { name: "a30", ip: ip30, vlan: V30.id }]), evidence };
        }),
      ),
      requires: ["hosts.vm2"],
    },
    {
      ...otherVlanPeer(c, a20, V30),
      requires: ["hosts.vm2"],
    },
  ],
});

/**
 * a20 → the other VLAN's peer must NOT connect: every frame that reaches the
 * peer crosses vm2's trunk, so a capture there is the capture at the target.
 */
function otherVlanPeer(c: CheckBuilder, from: NodeDecl, v: typeof V30) {
  return {
    ...c.check(`${from.name}-cannot-reach-the-vlan-${v.id}-peer`, "isolation", `${from.name} → ${v.peer} (vm2 on VLAN ${v.id}, another VLAN) must NOT connect`, async (ctx) =>
      withPeers(ctx, async () => {
        const probe = icmpReach(v.peer, { count: 2, timeoutS: 2 });
        const cap = await captureOnHost(ctx, ctx.lab.host("vm2"), { iface: VM_TRUNK, filter: "vlan or icmp", name: `vlan-8021q-${from.name}-to-vlan${v.id}-peer`, signal: ctx.signal }, () => ctx.probe(from, probe));
        const toPeer = cap.capture.packets().filter((p) => p.ip?.dst === v.peer || p.ip?.src === v.peer);
        const arrival = { where: `vm2 ${VM_TRUNK} (the trunk under the VLAN ${v.id} peer)`, ...countProbePackets(toPeer, probe.signature), file: cap.file };
        const verdict = judgeReach({ mustReach: false, subject: `${from.name} → ${v.peer} (VLAN ${v.id} peer, icmp)`, outcome: cap.value.value.outcome, arrival });
        return { status: verdict.status, reason: verdict.reason, evidence: [cap.value.evidence, cap.evidence(toPeer, `vm2 ${VM_TRUNK}: frames to or from ${v.peer}`)] };
      }),
    ),
  };
}
