import { defineScenario } from "netcheck";

export default defineScenario({
  id: "user-defined/nat",
  mode: "user-defined",
  summary:
    "NAT and DNS on a user-defined bridge, proven from packet captures: published-port DNAT, egress SNAT to the host's address, no rewrite between members, and names answered by the embedded DNS at 127.0.0.11 inside the container",
  lab: (lab) => {
    const app = lab.network("app");
    return {
      web: lab.node("web", { network: app, publish: [{ host: "auto", container: 80 }] }),
      client: lab.node("client", { network: app }),
    };
  },
  checks: ({ web, client }, c) => [
    c.ingressNat(web, { containerPort: 80 }),
    c.egressNat(client),
    c.noNatBetween(client, web),
    c.embeddedDnsInCapture(client, web),
  ],
});
