import { defineScenario } from "netcheck";

export default defineScenario({
  id: "overlay/swarm",
  mode: "overlay",
  summary:
    "Two Docker hosts in one swarm (docker-in-docker hosts on a lab bridge, or the VM lab's with --lab vm): containers on an attachable overlay reach and resolve each other across hosts, both ways; a second overlay is isolated from the first; the traffic is VXLAN on the underlay",
  requires: ["kernel.vxlan"],
  lab: (lab) => {
    const h1 = lab.dockerHost("h1");
    const h2 = lab.dockerHost("h2");
    // Subnets come from the run's allocator: a fixed one collides with whatever a killed run left.
    const ov = lab.network("ov", { driver: "overlay", host: "h1" });
    const other = lab.network("other", { driver: "overlay", host: "h1" });
    return {
      h1,
      h2,
      ov,
      other,
      a: lab.node("a", { network: ov, host: "h1" }),
      b: lab.node("b", { network: ov, host: "h2" }),
      c: lab.node("c", { network: other, host: "h2" }),
    };
  },
  checks: ({ h1, h2, ov, a, b, c }, ch) => [
    ch.overlay.swarmReady([h1, h2]),
    ch.addressing(a, ov),
    ch.reach(a, b),
    ch.reach(b, a),
    ch.resolves(a, "b", { expect: b, via: "127.0.0.11" }),
    ch.resolves(b, "a", { expect: a, via: "127.0.0.11" }),
    ch.reach(a, b, { byName: true, via: "http", port: 80 }),
    ch.reach(b, a, { byName: true, via: "http", port: 80 }),
    ch.isolated(a, c),
    ch.isolated(b, c),
    ch.doesNotResolve(a, "c"),
    ch.overlay.vxlanOnUnderlay(a, b, ov),
    ch.overlay.pathMtu(a, b),
    ch.overlay.routingMesh([h1, h2]),
    ch.overlay.encrypted(h1, h2),
    // With --perf only: across the hosts (VXLAN on the underlay), the overlay's row of the mode comparison.
    ch.throughput(a, b),
    ch.latency(a, b),
  ],
});
