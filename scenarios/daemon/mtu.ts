import { defineScenario } from "netcheck";

export default defineScenario({
  id: "daemon/mtu",
  mode: "daemon",
  summary: "A Docker host started with mtu=1400, below its uplink's 1500: containers on the default bridge get MTU 1400",
  lab: (lab) => {
    const h1 = lab.dockerHost("h1", { daemon: { mtu: 1400 } });
    return { h1, a: lab.node("a", { host: "h1" }), b: lab.node("b", { host: "h1" }) };
  },
  checks: ({ a, b }, c) => [c.daemon.mtu(a, 1400), c.daemon.mtu(b, 1400), c.reach(a, b)],
});
