import { defineScenario } from "../../src/index.js";
import { latencyCheck, throughputCheck } from "../../src/scenario/checks/perf.js";

export default defineScenario({
  id: "bridge/perf",
  mode: "bridge",
  summary: "Throughput and latency on the default bridge (docker0): container to container, to the host, and to the external host through NAT; ratios to host networking (--perf)",
  lab: (lab) => ({ a: lab.node("a"), b: lab.node("b") }),
  checks: ({ a, b }, c) => [
    // Generous floors: they catch a broken path (10× slower than host networking), not a slow machine.
    throughputCheck(a, b, { thresholds: [{ metric: "throughput", atLeastRatio: 0.1, of: "host" }] }),
    throughputCheck(a, b, { protocol: "udp", bitrate: "200 Mbit/s", thresholds: [{ metric: "loss", atMost: "5%" }] }),
    latencyCheck(a, b, { thresholds: [{ metric: "loss", atMost: "5%" }] }),
    throughputCheck(a, c.host()),
    latencyCheck(a, c.host()),
    throughputCheck(a, c.external()),
    latencyCheck(a, c.external()),
  ],
});
