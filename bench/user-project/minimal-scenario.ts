// The small user scenario of `npm run bench:suite`: the same work as bench/minimal-peer.sh.
// In a folder with a tsconfig.json of its own, as in a user's project: "netcheck" is the installed package
// (here the package itself, by its name), not netcheck's sources, which the repo's root tsconfig.json maps
// "netcheck" to for type-checking — through that mapping esbuild bundled all of src/ (1.4 MB) into the scenario.
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
