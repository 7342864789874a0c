import { defineScenario } from "netcheck";

export default defineScenario({
  id: "host/perf",
  mode: "host",
  summary: "The baseline of the mode comparison: two host-network containers (127.0.0.1 between them), to the host's underlay address, and to the external host (--perf)",
  lab: (lab) => ({ h1: lab.node("h1", { network: "host" }), h2: lab.node("h2", { network: "host" }) }),
  checks: ({ h1, h2 }, c) => c.modeComparison(h1, h2, { loopback: true }),
});
