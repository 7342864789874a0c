// icmpReach through ctx.probe, not ctx.inspect: the lab refuses any target outside its ranges before sending.
import { defineScenario, icmpReach } from "../../src/index.js";
import { captureDuring } from "../../src/lab/vm/trunk-capture.js";
import { VM_TRUNK } from "../../src/lab/vm/trunk.js";

const SUBNET = "10.214.24.0/24";

export default defineScenario({
  id: "overlay/swarm",
  mode: "overlay",
  summary: "An attachable overlay network across two swarm hosts (vm1 manager, vm2 worker, joined by `netcheck vm up`): containers on different hosts resolve and reach each other by name, carried in VXLAN (UDP 4789) on the underlay",
  requires: ["hosts.vm2"],
  lab: (lab) => {
    const ov = lab.network("ov", { driver: "overlay", subnet: SUBNET, host: "vm1" });
    return { ov, a: lab.node("a", { network: ov, host: "vm1" }), b: lab.node("b", { network: ov, host: "vm2" }) };
  },
  checks: ({ ov, a, b }, c) => [
    c.addressing(a, ov),
    c.resolves(a, "b", { expect: b, via: "127.0.0.11" }),
    c.reach(a, b, { byName: true, via: "http", port: 80 }),
    c.reach(b, a, { byName: true, via: "http", port: 80 }),
    c.check("traffic-between-hosts-is-vxlan-on-the-underlay", "reachability", `a (vm1) → b (vm2) pings travel as VXLAN UDP 4789 on ${VM_TRUNK}, the inner packet a → b`, async (ctx) => {
      const aIp = ctx.node(a).addresses[0]?.ipv4 ?? "";
      const bIp = ctx.node(b).addresses[0]?.ipv4 ?? "";
      const cap = await captureDuring(ctx.run.host("vm1").shell, { iface: VM_TRUNK, filter: "udp port 4789", reportDir: ctx.reportDir, file: "overlay-swarm-underlay.pcap", signal: ctx.signal }, () =>
        ctx.probe(a, icmpReach(bIp, { count: 2, timeoutS: 3 })),
      );
      const inner = cap.capture.packets().filter((p) => p.vxlan && p.ip?.src === aIp && p.ip?.dst === bIp);
      const evidence = [cap.value.evidence, cap.evidence(inner, `vm1 ${VM_TRUNK} (underlay)`)];
      if (cap.value.result.exitCode !== 0) return { status: "fail", reason: `a (${aIp}) could not ping b (${bIp})`, evidence };
      if (inner.length === 0) return { status: "fail", reason: `no VXLAN packet carrying ${aIp} → ${bIp} on the underlay (${cap.capture.length} packets captured)`, evidence };
      return { status: "pass", reason: `${inner.length} VXLAN packets (vni ${inner[0]!.vxlan!.vni}, outer ${inner[0]!.vxlan!.outer.src} → ${inner[0]!.vxlan!.outer.dst}) carry ${aIp} → ${bIp}`, evidence };
    }),
  ],
});
