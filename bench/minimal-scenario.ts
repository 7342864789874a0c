// The small user scenario of `npm run bench:suite`: the same work as bench/minimal-peer.sh.
import { defineScenario } from "netcheck";

export default defineScenario({
  id: "bench/minimal",
  mode: "user-defined",
  summary: "Two containers on one network: a pings b, a resolves b",
  lab: (lab) => {
    const net = lab.network("net");
    return { a: lab.node("a", { network: net }), b: lab.node("b", { network: net }) };
  },
  checks: ({ a, b }, c) => [c.reach(a, b), c.resolves(a, "b", { expect: b })],
});
