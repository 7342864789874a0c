import { defineScenario } from "netcheck";

export default defineScenario({
  id: "container/perf",
  mode: "container",
  summary: "Throughput and latency from a container sharing its target's namespace: to the target over 127.0.0.1, to the host, and to the external host (--perf)",
  lab: (lab) => {
    const target = lab.node("target");
    // Its own HTTP port: port 80 in the shared namespace is the target's.
    return { target, joiner: lab.node("joiner", { network: target, serve: [{ kind: "http", port: 8080 }] }) };
  },
  checks: ({ target, joiner }, c) => c.modeComparison(joiner, target, { loopback: true }),
});
