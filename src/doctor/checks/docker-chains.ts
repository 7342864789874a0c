import { daemonConfig } from "../daemon-config.js";
import { parseIptablesSave, rulesIn, type IptablesTables } from "../parse/iptables-save.js";
import type { DoctorCheck, Finding } from "../types.js";
import { bridgeNetworks } from "./docker-bridges.js";

/** The chains dockerd creates at start and never again until restarted, and the jumps into them. */
const CHAINS: { table: string; chain: string; jump?: { from: string; test: RegExp; what: string } }[] = [
  { table: "filter", chain: "DOCKER-USER", jump: { from: "FORWARD", test: /-j DOCKER-USER$/, what: "-A FORWARD -j DOCKER-USER" } },
  { table: "filter", chain: "DOCKER-ISOLATION-STAGE-1", jump: { from: "FORWARD", test: /-j DOCKER-ISOLATION-STAGE-1$/, what: "-A FORWARD -j DOCKER-ISOLATION-STAGE-1" } },
  { table: "filter", chain: "DOCKER-ISOLATION-STAGE-2" },
  { table: "filter", chain: "DOCKER", jump: { from: "FORWARD", test: /-j DOCKER$/, what: "-A FORWARD -o <bridge> -j DOCKER" } },
  { table: "nat", chain: "DOCKER", jump: { from: "PREROUTING", test: /--dst-type LOCAL -j DOCKER$/, what: "-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER" } },
];

/** dockerd makes DOCKER-USER at start; the rest, and the jumps, come with the first bridge network. */
export function missingDockerChains(t: IptablesTables, bridges: number): string[] {
  const missing: string[] = [];
  for (const c of bridges > 0 ? CHAINS : CHAINS.filter((x) => x.chain === "DOCKER-USER")) {
    if (t.policies[c.table]?.[c.chain] === undefined) missing.push(`${c.table} chain ${c.chain}`);
    else if (c.jump && !rulesIn(t, c.table, c.jump.from).some((r) => c.jump!.test.test(r.spec))) missing.push(`${c.table} jump \`${c.jump.what}\``);
  }
  return missing;
}

/**
 * A firewall reload (firewalld, `iptables -F`/`-X`, `nft flush ruleset`) wipes
 * the chains dockerd made at start; Docker does not notice until it restarts,
 * and every published port and container egress silently stops.
 */
export const dockerChainsCheck: DoctorCheck = {
  id: "docker-chains",
  area: "firewall",
  title: "Docker's iptables chains",
  async run(ctx) {
    const cfg = await daemonConfig(ctx);
    if (!cfg.iptables) return [{ id: "firewall/docker-chains", area: "firewall", status: "skip", title: 'Docker\'s chains not checked: dockerd runs with "iptables": false and creates none', evidence: cfg.evidence }];
    const snap = await ctx.facts.engineSnapshot();
    if (!snap) return [{ id: "firewall/docker-chains", area: "firewall", status: "skip", title: "engine not reachable: whether dockerd runs (and owns chains) is unknown", evidence: [] }];
    const [filter, nat] = await Promise.all([ctx.facts.exec(["iptables-save", "-t", "filter"]), ctx.facts.exec(["iptables-save", "-t", "nat"])]);
    if (filter.exitCode !== 0 || nat.exitCode !== 0) return [{ id: "firewall/docker-chains", area: "firewall", status: "skip", title: "cannot read iptables", evidence: [ctx.facts.evidence(filter), ctx.facts.evidence(nat)] }];
    const t = parseIptablesSave(`${filter.stdout}\n${nat.stdout}`);
    const missing = missingDockerChains(t, bridgeNetworks(snap.networks).length);
    const present = Object.entries(t.policies).flatMap(([table, chains]) => Object.keys(chains).filter((c) => c.startsWith("DOCKER")).map((c) => `${table} ${c}`));
    const f: Finding = {
      id: "firewall/docker-chains",
      area: "firewall",
      status: missing.length ? "fail" : "ok",
      title: missing.length
        ? `Docker's iptables chains are gone while dockerd runs (a firewall reload or flush wiped them): missing ${missing.join(", ")}`
        : "Docker's chains (DOCKER, DOCKER-USER, DOCKER-ISOLATION-STAGE-1/2, nat DOCKER) and the jumps into them are present",
      evidence: [{ source: `iptables-save -t filter, -t nat [${filter.where}] → DOCKER* chains`, value: present.join("\n") || "(none)" }],
      fix: missing.length
        ? "restart dockerd (`systemctl restart docker`) so it re-creates its chains and every container's rules; then stop whatever flushed them: with firewalld, reload it before Docker starts (Docker ≥ 20.10 re-adds its rules on firewalld's reload signal) and do not run `iptables -F`/`-X` or `nft flush ruleset` on a Docker host (flush only your own tables/chains)"
        : undefined,
    };
    return [f];
  },
};
