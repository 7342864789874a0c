import { defineScenario } from "netcheck";

export default defineScenario({
  id: "bridge/links",
  mode: "bridge",
  summary: "Legacy links on the default bridge (docker0 has no embedded DNS): `--link b:db` puts db and b into a's /etc/hosts, and a reaches b by either name; an unlinked container knows neither",
  lab: (lab) => {
    const b = lab.node("b");
    return { b, a: lab.node("a", { links: [{ node: b, alias: "db" }] }), c: lab.node("c") };
  },
  checks: ({ a, b, c: other }, c) => [
    c.links.hostsEntry(a, "db", b),
    c.links.hostsEntry(a, "b", b),
    c.reach(a, b, { byName: "db", via: "http", port: 80 }),
    c.reach(a, b, { byName: true, via: "http", port: 80 }),
    c.doesNotResolve(other, "db"),
    c.isolated(other, b, { byName: "db", name: "c-cannot-reach-b-as-db-unlinked" }),
  ],
});
