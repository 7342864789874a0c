import { defineScenario } from "netcheck";

export default defineScenario({
  id: "user-defined/same-lan",
  mode: "user-defined",
  summary:
    "Seen from a host on the same LAN (one with a route to the container subnet via the Docker host): the published port answers on the host's address; on Docker 20.10 it also answers at the container's own IP (the DOCKER chain accepts it from any interface — Docker 28 blocks this direct path), while an unpublished container stays unreachable",
  lab: (lab) => {
    const app = lab.network("app");
    return {
      lan: lab.externalHost({ sameLan: true, listen: [8080] }),
      web: lab.node("web", { network: app, publish: [{ host: "auto", container: 80 }] }),
      hidden: lab.node("hidden", { network: app }),
    };
  },
  checks: ({ lan, web, hidden }, c) => [
    c.reach(lan, c.published(web, 80), { via: "http", name: "lan-reaches-web-published-port-on-the-host" }),
    c.reach(lan, web, { via: "http", port: 80, name: "lan-reaches-web-published-port-at-the-container-ip" }),
    c.isolated(lan, hidden, { via: "http", port: 80, name: "lan-cannot-reach-an-unpublished-container" }),
    c.isolated(lan, web, { name: "lan-cannot-ping-a-published-container" }),
    c.reach(web, lan, { via: "http", port: 8080, name: "web-reaches-the-lan-host-service" }),
  ],
});
