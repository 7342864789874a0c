import { defineScenario } from "netcheck";

export default defineScenario({
  id: "macvlan/modes",
  mode: "macvlan",
  summary:
    "macvlan private mode blocks container-to-container on one parent (the peer stays reachable); vepa sends sibling traffic out to the segment, so siblings reach each other only when the switch port hairpins it back (shown with a capture on the lab switch)",
  requires: ["kernel.macvlan", "kernel.veth", "kernel.bridge"],
  lab: (lab) => {
    const p = lab.segment("priv");
    const v = lab.segment("vepa");
    const privNet = lab.network("priv", { driver: "macvlan", parent: p, options: { macvlan_mode: "private" } });
    const vepaNet = lab.network("vepa", { driver: "macvlan", parent: v, options: { macvlan_mode: "vepa" } });
    return {
      p,
      v,
      p1: lab.node("p1", { network: privNet }),
      p2: lab.node("p2", { network: privNet }),
      v1: lab.node("v1", { network: vepaNet }),
      v2: lab.node("v2", { network: vepaNet }),
    };
  },
  checks: ({ p, v, p1, p2, v1, v2 }, c) => [
    c.macvlanInterface(p1, p, "private"),
    c.isolated(p1, p2),
    c.isolated(p2, p1, { via: "tcp", port: 80 }),
    c.segmentReach(p, p1, c.peer(p), true),
    c.segmentReach(p, c.peer(p), p2, true),
    c.macvlanInterface(v1, v, "vepa"),
    c.segmentReach(v, v1, c.peer(v), true),
    c.vepaNeedsHairpin(v, v1, v2),
  ],
});
