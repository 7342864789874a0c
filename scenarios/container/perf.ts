import { defineScenario } from "../../src/index.js";
import { latencyCheck, throughputCheck } from "../../src/scenario/checks/perf.js";

export default defineScenario({
  id: "container/perf",
  mode: "container",
  summary: "Throughput and latency from a container sharing its target's namespace: to the target over 127.0.0.1, to the host, and to the external host (--perf)",
  lab: (lab) => {
    const target = lab.node("target");
    return { target, joiner: lab.node("joiner", { network: target, serve: [{ kind: "http", port: 8080 }] }) };
  },
  checks: ({ target, joiner }, c) => [
    throughputCheck(joiner, target, { loopback: true }),
    latencyCheck(joiner, target, { loopback: true }),
    throughputCheck(joiner, c.host()),
    latencyCheck(joiner, c.host()),
    throughputCheck(joiner, c.external()),
    latencyCheck(joiner, c.external()),
  ],
});
