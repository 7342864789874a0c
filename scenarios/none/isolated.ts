import { defineScenario } from "netcheck";

/** moby/moby#47062, first released in v26.0.0: IPv6 is no longer disabled on every interface of a container without a v6 network, so lo keeps ::1. */
const LOOPBACK_V6 = "moby/moby#47062 (v26.0.0): a container without an IPv6 network keeps ::1 on lo";

export default defineScenario({
  id: "none/isolated",
  mode: "none",
  summary: "A container with --network none has only lo, no routes, and reaches nothing but itself",
  lab: (lab) => ({ n: lab.node("n", { network: "none" }), peer: lab.node("peer") }),
  checks: ({ n, peer }, c) => [
    c.interfaces(n, { only: ["lo"] }),
    c.routes(n, { none: true }),
    // Docker 20.10 sets disable_ipv6=1 in a container none of whose networks has IPv6: not even ::1 on lo.
    c.engine({ until: "26.0", change: LOOPBACK_V6 }, c.ipv6Addresses(n, "none")),
    c.engine({ since: "26.0", change: LOOPBACK_V6 }, c.ipv6Addresses(n, "loopback")),
    c.reach(n, c.loopback(n), { via: "http" }),
    c.isolated(n, c.external()),
    c.isolated(n, c.host()),
    c.isolated(n, peer),
  ],
});
