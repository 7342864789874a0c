import { defineScenario } from "netcheck";

export default defineScenario({
  id: "daemon/iptables-off",
  mode: "daemon",
  summary: "A Docker host started with iptables=false: the engine writes no firewall rule at all — no DOCKER chain, no MASQUERADE, no DNAT, so nothing is masqueraded and published ports are not NATed — while containers on one bridge still talk (plain L2)",
  lab: (lab) => {
    const h1 = lab.dockerHost("h1", { daemon: { iptables: false } });
    return { h1, a: lab.node("a", { host: "h1" }), b: lab.node("b", { host: "h1" }) };
  },
  checks: ({ h1, a, b }, c) => [c.daemon.noEngineRules(h1), c.reach(a, b), c.reach(a, b, { via: "http", port: 80 })],
});
