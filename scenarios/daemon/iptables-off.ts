import { defineScenario } from "../../src/index.js";

export default defineScenario({
  id: "daemon/iptables-off",
  mode: "daemon",
  summary: "A Docker host started with iptables=false: the engine writes no firewall rule at all — containers on one bridge still talk (plain L2), but nothing is masqueraded and no published port is DNATed",
  lab: (lab) => {
    const h1 = lab.dockerHost("h1", { daemon: { iptables: false } });
    return { h1, a: lab.node("a", { host: "h1" }), b: lab.node("b", { host: "h1" }) };
  },
  checks: ({ h1, a, b }, c) => [c.daemon.noEngineRules(h1), c.reach(a, b), c.reach(a, b, { via: "http", port: 80 })],
});
