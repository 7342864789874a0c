import { defineScenario } from "netcheck";

export default defineScenario({
  id: "macvlan/two-segments",
  mode: "macvlan",
  summary: "Two macvlan networks on separate lab segments, with no router between them: each reaches its own segment's peer, never the other segment",
  requires: ["kernel.macvlan", "kernel.veth", "kernel.bridge"],
  lab: (lab) => {
    const sa = lab.segment("seg-a");
    const sb = lab.segment("seg-b");
    const na = lab.network("net-a", { driver: "macvlan", parent: sa, options: { macvlan_mode: "bridge" } });
    const nb = lab.network("net-b", { driver: "macvlan", parent: sb, options: { macvlan_mode: "bridge" } });
    return { sa, sb, a: lab.node("a", { network: na }), b: lab.node("b", { network: nb }) };
  },
  checks: ({ sa, sb, a, b }, c) => [
    c.segmentReach(sa, a, c.peer(sa), true),
    c.segmentReach(sb, b, c.peer(sb), true),
    c.isolated(a, b),
    c.isolated(b, a),
    c.isolated(a, b, { via: "tcp", port: 80 }),
    // Nothing bridges the segments at L2 either: a's peer cannot see b.
    c.segmentReach(sb, c.peer(sa), b, false, { name: "seg-a-peer-cannot-reach-b" }),
  ],
});
