import { defineScenario } from "netcheck";

export default defineScenario({
  id: "overlay/classic-kv",
  mode: "overlay",
  summary:
    "Classic overlay without swarm (Docker 20.10 and older): two docker-in-docker hosts with --cluster-store etcd://… and --cluster-advertise, etcd (Debian's) on their underlay; a global-scope overlay created on one host is known to both, containers on the two hosts reach each other; VXLAN (UDP 4789) carries the data and the engines gossip on 7946",
  requires: ["kernel.vxlan", "engine.cluster-store"],
  lab: (lab) => {
    const h1 = lab.dockerHost("h1", { clusterStore: "etcd" });
    const h2 = lab.dockerHost("h2", { clusterStore: "etcd" });
    const ov = lab.network("ov", { driver: "overlay", host: "h1" });
    return { h1, h2, ov, a: lab.node("a", { network: ov, host: "h1" }), b: lab.node("b", { network: ov, host: "h2" }) };
  },
  checks: ({ h1, h2, ov, a, b }, c) => [
    c.overlay.kvNetwork(ov, [h1, h2]),
    c.reach(a, b),
    c.reach(b, a, { via: "http", port: 80 }),
    c.reach(a, c.external()),
    c.overlay.vxlanOnUnderlay(a, b, ov),
    c.overlay.gossipOnUnderlay(h1, h2),
  ],
});
