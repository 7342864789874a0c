import { defineScenario } from "netcheck";

/** moby/moby#46603, first released in v25.0.0 (commit cbc2a71c27): an internal bridge network sets no gateway in its containers. */
const INTERNAL_NO_GATEWAY = "moby/moby#46603 (v25.0.0): a container on an --internal bridge network gets no default route";

export default defineScenario({
  id: "user-defined/basic",
  mode: "user-defined",
  summary: "A user-defined bridge: names resolve through the embedded DNS 127.0.0.11, the declared subnet and gateway are used, it is isolated from the default bridge, and an --internal network has no way out (only its own members)",
  lab: (lab) => {
    const app = lab.network("app");
    const internal = lab.network("private", { internal: true });
    return {
      app,
      internal,
      a: lab.node("a", { network: app }),
      b: lab.node("b", { network: app }),
      legacy: lab.node("legacy"),
      i1: lab.node("i1", { network: internal }),
      i2: lab.node("i2", { network: internal }),
    };
  },
  checks: ({ app, a, b, legacy, i1, i2 }, c) => [
    c.resolves(a, "b", { expect: b, via: "127.0.0.11" }),
    c.reach(a, b, { byName: true, via: "http", port: 80 }),
    c.reach(a, b),
    c.pathMtu(a, b),
    c.addressing(a, app),
    c.addressing(b, app),
    c.resolves(a, "ext.netcheck.test", { expect: c.external(), via: "127.0.0.11", name: "a-resolves-lab-names-through-embedded-dns" }),
    c.reach(a, c.external()),
    c.isolated(a, legacy),
    c.isolated(legacy, a),
    c.isolated(legacy, a, { via: "tcp", port: 80 }),
    c.doesNotResolve(legacy, "a"),
    // Before 25.0 the way out is cut in the firewall (FORWARD); from 25.0 there is no default route at all.
    c.isolated(i1, c.external()),
    c.isolated(i1, c.external(), { via: "tcp", port: 53, name: "i1-cannot-reach-external-tcp" }),
    // Before 25.0 --internal filters FORWARD only: the host's own addresses stay reachable through INPUT.
    c.engine({ until: "25.0", change: INTERNAL_NO_GATEWAY }, c.reach(i1, c.host(), { name: "i1-still-reaches-the-host-itself-internal-filters-forward-only" })),
    // From 25.0 a container on an --internal network has no default route: the host's other addresses are unreachable at the source.
    c.engine({ since: "25.0", change: INTERNAL_NO_GATEWAY }, c.isolated(i1, c.host(), { name: "i1-cannot-reach-the-host-internal-has-no-default-route" })),
    c.reach(i1, i2, { byName: true, via: "http", port: 80 }),
  ],
});
