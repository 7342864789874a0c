import { defineScenario } from "netcheck";

export default defineScenario({
  id: "host/no-nat",
  mode: "host",
  summary:
    "A host-network container is not behind NAT: the flow captured at the external host is found in the kernel's connection-tracking table with an unchanged reply tuple, both ways (no capture point sits between a host-network socket and a rewrite, so the kernel's own NAT record is the proof)",
  lab: (lab) => ({ h: lab.node("h", { network: "host" }) }),
  checks: ({ h }, c) => [c.egressNat(h), c.ingressNat(h)],
});
