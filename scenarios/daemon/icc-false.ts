import { defineScenario } from "netcheck";

export default defineScenario({
  id: "daemon/icc-false",
  mode: "daemon",
  summary: "A Docker host started with icc=false (its own daemon.json on a docker-in-docker host): containers on the default bridge cannot reach each other, but still reach their gateway; a user-defined network on the same host is not affected",
  lab: (lab) => {
    const h1 = lab.dockerHost("h1", { daemon: { icc: false } });
    const net = lab.network("net", { host: "h1" });
    return { h1, a: lab.node("a", { host: "h1" }), b: lab.node("b", { host: "h1" }), x: lab.node("x", { network: net, host: "h1" }), y: lab.node("y", { network: net, host: "h1" }) };
  },
  checks: ({ h1, a, b, x, y }, c) => [
    c.daemon.iccDropRule(h1),
    c.isolated(a, b),
    c.isolated(a, b, { via: "http", port: 80 }),
    c.reach(a, c.gateway(a)),
    c.reach(x, y, { via: "http", port: 80 }),
  ],
});
