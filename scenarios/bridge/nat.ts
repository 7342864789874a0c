import { defineScenario } from "netcheck";

export default defineScenario({
  id: "bridge/nat",
  mode: "bridge",
  summary:
    "NAT on the default bridge, proven from packet captures at both ends: a published port is DNATed, egress is masqueraded to the host's address, container-to-container traffic is not rewritten, and 127.0.0.1 reaches a container through docker-proxy",
  lab: (lab) => ({
    web: lab.node("web", { publish: [{ host: "auto", container: 80 }] }),
    client: lab.node("client"),
  }),
  checks: ({ web, client }, c) => [
    c.ingressNat(web, { containerPort: 80 }),
    c.egressNat(client),
    c.noNatBetween(client, web),
    c.userlandProxy(web, { containerPort: 80 }),
    c.reach(c.external(), c.published(web, 80), { via: "http", answeredBy: web }),
  ],
});
