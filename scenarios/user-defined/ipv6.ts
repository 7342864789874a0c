import { defineScenario } from "netcheck";

export default defineScenario({
  id: "user-defined/ipv6",
  mode: "user-defined",
  summary:
    "A user-defined bridge with --ipv6 (a /64 of the lab's guarded ULA range): the declared v6 subnet and gateway are used, names get AAAA answers from 127.0.0.11 (and, forwarded, from the lab DNS), members reach each other over ICMPv6, TCP and HTTP, by address and by name, and the external host by routing (no v6 NAT without ip6tables). Without ip6tables Docker 20.10 has no v6 isolation between networks: stated as what it does, next to the v4 isolation it keeps",
  lab: (lab) => {
    const app = lab.network("app6", { ipv6: true });
    const other = lab.network("other6", { ipv6: true });
    return { app, a: lab.node("a", { network: app }), b: lab.node("b", { network: app }), o: lab.node("o", { network: other }) };
  },
  checks: ({ app, a, b, o }, c) => [
    c.addressing6(a, app),
    c.addressing6(b, app),
    c.resolves(a, "b", { expect: b, via: "127.0.0.11", family: 6 }),
    c.resolves(a, "ext.netcheck.test", { expect: c.external(), via: "127.0.0.11", family: 6, name: "a-resolves-lab-names-aaaa-through-embedded-dns" }),
    c.reach(a, b, { family: 6 }),
    c.reach(a, b, { family: 6, via: "tcp", port: 80 }),
    c.reach(a, b, { family: 6, via: "http", port: 80 }),
    c.reach(a, b, { family: 6, byName: true }),
    // Routed, not NATed: the external host routes the lab's /48 back through the lab host.
    c.reach(a, c.external(), { family: 6 }),
    c.isolated(a, o),
    c.isolated(o, a),
    // Docker 20.10 without "ip6tables": true writes no v6 isolation rules, turns v6 forwarding on and leaves
    // ip6tables' FORWARD policy ACCEPT: another v6 network is reachable. A daemon that isolates shows up here.
    c.reach(a, o, { family: 6, name: "a-reaches-other-v6-network-no-ip6tables-no-v6-isolation" }),
    c.reach(o, a, { family: 6, via: "tcp", port: 80, name: "o-reaches-a-v6-tcp-no-ip6tables-no-v6-isolation" }),
  ],
});
