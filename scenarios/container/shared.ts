import { defineScenario } from "netcheck";

export default defineScenario({
  id: "container/shared",
  mode: "container",
  summary: "A container started with --network container:<target> shares its target's namespace: same IP and MAC, and each reaches the other's server on 127.0.0.1",
  lab: (lab) => {
    const target = lab.node("target");
    const joiner = lab.node("joiner", { network: target, serve: [{ kind: "http", port: 8080 }] });
    const other = lab.node("other");
    return { target, joiner, other };
  },
  checks: ({ target, joiner, other }, c) => [
    c.sharesNamespace(joiner, target),
    c.reach(joiner, c.loopback(target), { via: "http" }),
    c.reach(target, c.loopback(joiner), { via: "http" }),
    c.reach(other, target, { via: "http", port: 8080, answeredBy: joiner, name: "other-reaches-joiner-server-at-target-ip" }),
  ],
});
