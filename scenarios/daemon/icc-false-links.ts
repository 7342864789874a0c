import { defineScenario } from "netcheck";

export default defineScenario({
  id: "daemon/icc-false-links",
  mode: "daemon",
  summary: "icc=false with legacy links (a docker-in-docker host with its own daemon.json): containers on the default bridge talk only through a link, and only on the linked container's exposed ports; an unlinked pair is blocked",
  lab: (lab) => {
    const h1 = lab.dockerHost("h1", { daemon: { icc: false } });
    const b = lab.node("b", { host: "h1", expose: [80] });
    return { h1, b, a: lab.node("a", { host: "h1", links: [{ node: b, alias: "db" }] }), c: lab.node("c", { host: "h1" }) };
  },
  checks: ({ h1, a, b, c: other }, c) => [
    c.daemon.iccDropRule(h1),
    c.links.hostsEntry(a, "db", b),
    c.reach(a, b, { byName: "db", via: "http", port: 80 }),
    c.reach(a, b, { via: "http", port: 80 }),
    // The link opens b's exposed port 80 and nothing else: not ICMP, not another port b listens on.
    c.isolated(a, b),
    c.isolated(a, b, { via: "tcp", port: 8080 }),
    // The unlinked pair: icc=false drops it on docker0 (proven at b by a capture that saw none of the probe).
    c.isolated(other, b, { via: "http", port: 80, name: "unlinked-c-cannot-reach-b-http" }),
    c.isolated(other, b, { name: "unlinked-c-cannot-reach-b-icmp" }),
    c.reach(a, c.external()),
  ],
});
