import { defineScenario } from "netcheck";

export default defineScenario({
  id: "none/isolated",
  mode: "none",
  summary: "A container with --network none has only lo, no routes, and reaches nothing but itself",
  lab: (lab) => ({ n: lab.node("n", { network: "none" }), peer: lab.node("peer") }),
  checks: ({ n, peer }, c) => [
    c.interfaces(n, { only: ["lo"] }),
    c.routes(n, { none: true }),
    // Docker 20.10 sets disable_ipv6=1 in a container none of whose networks has IPv6: not even ::1 on lo.
    c.ipv6Addresses(n, "none"),
    c.reach(n, c.loopback(n), { via: "http" }),
    c.isolated(n, c.external()),
    c.isolated(n, c.host()),
    c.isolated(n, peer),
  ],
});
