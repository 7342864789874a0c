import { defineScenario } from "netcheck";

export default defineScenario({
  id: "macvlan/bridge",
  mode: "macvlan",
  summary:
    "macvlan (bridge mode) on a lab-built segment: containers reach each other and a peer machine directly with their own MACs and IPs (captured at the peer), each is a macvlan child of the declared parent, the host cannot reach its own children until a macvlan shim is added",
  requires: ["kernel.macvlan", "kernel.veth", "kernel.bridge"],
  lab: (lab) => {
    // The parent is a veth the lab builds; never the host's real NIC.
    const seg = lab.segment("lan", { hostAddress: true });
    const lan = lab.network("lan", { driver: "macvlan", parent: seg, options: { macvlan_mode: "bridge" } });
    return { seg, a: lab.node("a", { network: lan }), b: lab.node("b", { network: lan }) };
  },
  checks: ({ seg, a, b }, c) => [
    c.reach(a, b),
    c.reach(a, b, { via: "http", port: 80 }),
    c.pathMtu(a, b),
    c.segmentReach(seg, a, c.peer(seg), true),
    c.segmentReach(seg, c.peer(seg), b, true),
    c.seenWithOwnMac(seg, [a, b]),
    c.macvlanInterface(a, seg, "bridge"),
    c.macvlanInterface(b, seg, "bridge"),
    c.distinctMacs(seg, [a, b]),
    c.hostCannotReachChildren(seg, a),
    c.shimRestoresHostReach(seg, [a, b]),
    // Once the shim is gone the surprise is back: the fix, not something else, made the difference.
    c.hostCannotReachChildren(seg, b, { name: "host-cannot-reach-b-again-once-the-shim-is-removed" }),
  ],
});
