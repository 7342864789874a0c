import { defineScenario } from "netcheck";

export default defineScenario({
  id: "bridge/perf",
  mode: "bridge",
  summary: "Throughput and latency on the default bridge (docker0): container to container, to the host, and to the external host through NAT; ratios to host networking (--perf)",
  lab: (lab) => ({ a: lab.node("a"), b: lab.node("b") }),
  // Generous floors: they catch a broken path (10× slower than host networking), not a slow machine.
  checks: ({ a, b }, c) =>
    c.modeComparison(a, b, {
      c2c: { throughput: [{ metric: "throughput", atLeastRatio: 0.1, of: "host" }], latency: [{ metric: "loss", atMost: "5%" }] },
      // UDP loss on a loaded 2-core box reaches a few percent at 200 Mbit/s: 100 Mbit/s, ≤ 10%.
      udp: { bitrate: "100 Mbit/s", thresholds: [{ metric: "loss", atMost: "10%" }] },
    }),
});
