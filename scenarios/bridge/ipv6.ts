import { defineScenario } from "netcheck";

export default defineScenario({
  id: "bridge/ipv6",
  mode: "bridge",
  summary:
    "The default bridge with ipv6 and fixed-cidr-v6 (a docker-in-docker host with its own daemon.json; fixed-cidr-v6 is a /64 of the lab's guarded ULA range): containers get a v6 address in it with docker0 as their v6 gateway, reach each other over ICMPv6, TCP and HTTP, and reach the external host by routing. Without ip6tables Docker 20.10 has no v6 NAT: egress keeps the container's own v6 source (captures at both ends), and a port published over v6 is carried by docker-proxy (a second connection, from docker0's v6 address) — stated as what it does",
  lab: (lab) => {
    const h1 = lab.dockerHost("h1", { daemon: { ipv6: true, "fixed-cidr-v6": "auto" } });
    return { h1, a: lab.node("a", { host: "h1" }), b: lab.node("b", { host: "h1", publish: [{ host: "auto", container: 80 }] }) };
  },
  checks: ({ h1, a, b }, c) => [
    c.daemon.fixedCidrV6(a, h1),
    c.daemon.fixedCidrV6(b, h1),
    c.reach(a, b),
    c.reach(a, b, { family: 6 }),
    c.reach(a, b, { family: 6, via: "tcp", port: 80 }),
    c.reach(a, b, { family: 6, via: "http", port: 80 }),
    c.reach(a, c.external(), { family: 6 }),
    c.egressNat(a, { family: 6, expect: "none", name: "a-to-external-v6-not-masqueraded-no-ip6tables" }),
    c.ingressNat(b, { family: 6, expect: "proxy", name: "external-to-b-v6-published-port-through-docker-proxy-no-ip6tables" }),
  ],
});
