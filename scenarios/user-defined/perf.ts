import { defineScenario } from "netcheck";

export default defineScenario({
  id: "user-defined/perf",
  mode: "user-defined",
  summary: "Throughput and latency on a user-defined bridge: container to container, to the host, and to the external host; ratios to host networking (--perf)",
  lab: (lab) => {
    const app = lab.network("app");
    return { a: lab.node("a", { network: app }), b: lab.node("b", { network: app }) };
  },
  checks: ({ a, b }, c) => c.modeComparison(a, b, { c2c: { throughput: [{ metric: "throughput", atLeastRatio: 0.1, of: "host" }], latency: [{ metric: "loss", atMost: "5%" }] } }),
});
