import { defineScenario } from "netcheck";

export default defineScenario({
  id: "daemon/userland-proxy-off",
  mode: "daemon",
  summary: "A Docker host started with userland-proxy=false: a port published on the host is reached from the host's own 127.0.0.1 through hairpin NAT (DNAT from OUTPUT, route_localnet, MASQUERADE), with no docker-proxy process",
  lab: (lab) => {
    const h1 = lab.dockerHost("h1", { daemon: { "userland-proxy": false } });
    // The host is the scenario's own namespace: a fixed port is free there.
    return { h1, a: lab.node("a", { host: "h1", publish: [{ host: 8080, container: 80 }] }) };
  },
  checks: ({ h1, a }, c) => [
    c.daemon.hairpinNat(h1, a, 80),
    c.reach(c.host("h1"), c.address("127.0.0.1", "h1-loopback-8080"), { via: "http", port: 8080, answeredBy: a }),
  ],
});
