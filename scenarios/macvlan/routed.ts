import { defineScenario } from "netcheck";

export default defineScenario({
  id: "macvlan/routed",
  mode: "macvlan",
  summary:
    "Two macvlan networks on separate lab segments joined by a router namespace (forwarding on there only) holding each network's gateway: containers reach across through it",
  requires: ["kernel.macvlan", "kernel.veth", "kernel.bridge"],
  lab: (lab) => {
    const sa = lab.segment("seg-a");
    const sb = lab.segment("seg-b");
    lab.router("r1", [sa, sb]);
    // Each network's gateway is the router's address on that segment (the segment's .1).
    const na = lab.network("net-a", { driver: "macvlan", parent: sa, options: { macvlan_mode: "bridge" } });
    const nb = lab.network("net-b", { driver: "macvlan", parent: sb, options: { macvlan_mode: "bridge" } });
    return { sa, sb, na, nb, a: lab.node("a", { network: na }), b: lab.node("b", { network: nb }) };
  },
  checks: ({ sa, na, nb, a, b }, c) => [
    c.routes(a, { defaultVia: c.gateway(a) }),
    c.addressing(a, na),
    c.addressing(b, nb),
    c.reach(a, c.gateway(a), { name: "a-reaches-the-router" }),
    c.reach(a, b),
    c.reach(b, a),
    c.reach(a, b, { via: "http", port: 80 }),
    c.segmentReach(sa, a, c.peer(sa), true),
  ],
});
