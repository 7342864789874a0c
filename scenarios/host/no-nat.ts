import { defineScenario } from "netcheck";

export default defineScenario({
  id: "host/no-nat",
  mode: "host",
  summary:
    "A host-network container is not behind NAT, proven from packet captures: the external host sees the host's own underlay address as the source, and the container's server sees the external host's real address",
  lab: (lab) => ({ h: lab.node("h", { network: "host" }) }),
  checks: ({ h }, c) => [c.egressNat(h), c.ingressNat(h)],
});
