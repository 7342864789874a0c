import { defineScenario } from "netcheck";

export default defineScenario({
  id: "bridge/default",
  mode: "bridge",
  summary: "Two containers on the default bridge (docker0): they reach each other by IP but not by name, and reach their gateway; the host reaches them",
  lab: (lab) => ({ a: lab.node("a"), b: lab.node("b") }),
  checks: ({ a, b }, c) => [
    c.reach(a, b),
    c.reach(a, b, { via: "http", port: 80 }),
    c.pathMtu(a, b),
    c.doesNotResolve(a, "b"),
    c.isolated(a, b, { byName: true }),
    c.reach(a, c.gateway(a)),
    c.routes(a, { defaultVia: c.gateway(a) }),
    c.reach(c.host(), a),
    c.reach(c.host(), b, { via: "http", port: 80 }),
    c.reach(a, c.external()),
    c.resolves(a, "ext.netcheck.test", { expect: c.external(), name: "a-resolves-lab-names-through-lab-dns" }),
  ],
});
