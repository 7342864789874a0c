import { defineScenario } from "netcheck";

export default defineScenario({
  id: "daemon/ip6tables",
  mode: "daemon",
  summary:
    "A Docker host started with ipv6, fixed-cidr-v6, experimental and ip6tables (Docker 20.10 needs experimental for it): IPv6 gets NAT like IPv4 — egress to the external host is masqueraded to the host's v6 address, and a port published over v6 is DNATed to the container's v6 address (the external host's source kept), both proven from captures at both ends",
  lab: (lab) => {
    const h1 = lab.dockerHost("h1", { daemon: { ipv6: true, "fixed-cidr-v6": "auto", experimental: true, ip6tables: true } });
    return { h1, a: lab.node("a", { host: "h1" }), web: lab.node("web", { host: "h1", publish: [{ host: "auto", container: 80 }] }) };
  },
  checks: ({ h1, a, web }, c) => [
    c.daemon.fixedCidrV6(a, h1),
    c.reach(a, web, { family: 6, via: "http", port: 80 }),
    c.egressNat(a, { family: 6 }),
    c.ingressNat(web, { family: 6 }),
  ],
});
