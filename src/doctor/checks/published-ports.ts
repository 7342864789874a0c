import { daemonConfig } from "../daemon-config.js";
import type { EngineContainer } from "../facts.js";
import { parseIptablesSave, ruleOption, rulesIn, type IptablesRule } from "../parse/iptables-save.js";
import { flagValue, parsePs, processesNamed } from "../parse/ps.js";
import type { DoctorCheck, DoctorContext, Finding } from "../types.js";

interface PublishedPort {
  container: EngineContainer;
  name: string;
  ip?: string;
  hostPort: number;
  port: number;
  proto: string;
}

/** Running containers' IPv4 published ports, with the container address DNAT must point at. */
function publishedPorts(containers: EngineContainer[]): PublishedPort[] {
  return containers
    .filter((c) => c.State === "running")
    .flatMap((c) =>
      (c.Ports ?? [])
        .filter((p) => p.PublicPort && !(p.IP ?? "").includes(":"))
        .map((p) => ({
          container: c,
          name: (c.Names?.[0] ?? c.Id.slice(0, 12)).replace(/^\//, ""),
          ip: Object.values(c.NetworkSettings?.Networks ?? {}).map((n) => n.IPAddress).find(Boolean),
          hostPort: p.PublicPort,
          port: p.PrivatePort,
          proto: p.Type,
        })),
    );
}

const dnatFor = (rules: IptablesRule[], p: PublishedPort) =>
  rules.find((r) => r.target === "DNAT" && ruleOption(r.spec, "--dport")?.value === String(p.hostPort) && ruleOption(r.spec, "-p")?.value === p.proto && (ruleOption(r.spec, "--to-destination")?.value ?? "").endsWith(`:${p.port}`));

const acceptFor = (rules: IptablesRule[], p: PublishedPort) =>
  rules.find((r) => r.target === "ACCEPT" && ruleOption(r.spec, "--dport")?.value === String(p.port) && ruleOption(r.spec, "-p")?.value === p.proto && (!p.ip || ruleOption(r.spec, "-d")?.value === `${p.ip}/32`));

/**
 * Each published port needs, while its container runs: a DNAT rule (nat DOCKER),
 * an ACCEPT toward the container (filter DOCKER) and, with the userland proxy on,
 * a docker-proxy process (localhost and hairpin clients). A firewall reload or a
 * killed proxy removes one without Docker noticing; the port is named.
 */
export const publishedPortsCheck: DoctorCheck = {
  id: "published-ports",
  area: "ports",
  title: "Published ports: DNAT, ACCEPT and docker-proxy",
  async run(ctx) {
    const snap = await ctx.facts.engineSnapshot();
    if (!snap) return [{ id: "ports/published", area: "ports", status: "skip", title: "engine not reachable: no published ports to check", evidence: [] }];
    const ports = publishedPorts(snap.containers);
    if (ports.length === 0) return [{ id: "ports/published", area: "ports", status: "ok", title: "no running container publishes a port", evidence: [{ source: "GET /containers/json → Ports", value: "(none)" }] }];
    const cfg = await daemonConfig(ctx);
    const [nat, filter, ps] = await Promise.all([ctx.facts.exec(["iptables-save", "-t", "nat"]), ctx.facts.exec(["iptables-save", "-t", "filter"]), ctx.facts.exec(["ps", "-eo", "pid,args"])]);
    const rules = parseIptablesSave(`${nat.stdout}\n${filter.stdout}`);
    const dnat = rulesIn(rules, "nat", "DOCKER");
    const accept = rulesIn(rules, "filter", "DOCKER");
    const proxies = processesNamed(parsePs(ps.stdout), "docker-proxy").map((p) => ({ proto: flagValue(p.args, "-proto"), hostPort: flagValue(p.args, "-host-port"), args: p.args }));
    const checkRules = cfg.iptables && nat.exitCode === 0 && filter.exitCode === 0;
    const checkProxy = cfg.userlandProxy && ps.exitCode === 0 && cfg.dockerd !== undefined;
    const out: Finding[] = [];
    for (const p of ports) {
      const gone: string[] = [];
      const d = dnatFor(dnat, p);
      const a = acceptFor(accept, p);
      const proxy = proxies.find((x) => x.proto === p.proto && x.hostPort === String(p.hostPort));
      if (checkRules && !d) gone.push("its DNAT rule (nat DOCKER)");
      if (checkRules && !a) gone.push(`its ACCEPT rule (filter DOCKER → ${p.ip ?? "?"}:${p.port})`);
      if (checkProxy && !proxy) gone.push("its docker-proxy process");
      // Listed a moment before the rules were read: a container stopped since has lost them with good reason.
      if (gone.length && !(await stillRunning(ctx, p.container.Id))) continue;
      const label = `${p.hostPort}/${p.proto} of ${p.name} (→ ${p.ip ?? "?"}:${p.port})`;
      out.push({
        id: `ports/published/${p.name}/${p.hostPort}-${p.proto}`,
        area: "ports",
        status: gone.length ? "fail" : "ok",
        title: gone.length
          ? `published port ${label} lost ${gone.join(", ")}: ${!d && checkRules ? "other hosts cannot reach it" : "localhost clients cannot reach it"}`
          : `published port ${label}: ${[checkRules && "DNAT and ACCEPT present", checkProxy && "docker-proxy running"].filter(Boolean).join(", ") || "nothing to check (iptables and userland-proxy off)"}`,
        evidence: [
          { source: `GET /containers/json → ${p.name}.Ports`, value: `${p.hostPort}/${p.proto} → ${p.port} on ${p.ip ?? "?"}` },
          ...(checkRules ? [{ source: `iptables-save -t nat, -t filter [${nat.where}] → DOCKER`, value: [d ? `-A DOCKER ${d.spec}` : "no DNAT rule for it", a ? `-A DOCKER ${a.spec}` : "no ACCEPT rule for it"].join("\n") }] : []),
          ...(checkProxy ? [{ source: `ps -eo pid,args [${ps.where}] → docker-proxy`, value: proxy?.args ?? `no docker-proxy -proto ${p.proto} -host-port ${p.hostPort}` }] : []),
        ],
        fix: gone.length
          ? `restart the container (\`docker restart ${p.name}\`) so dockerd re-creates its rules and proxy; if many ports lost theirs, a firewall reload wiped Docker's rules: restart dockerd (\`systemctl restart docker\`) and see the firewall findings`
          : undefined,
      });
    }
    return out;
  },
};

async function stillRunning(ctx: DoctorContext, id: string): Promise<boolean> {
  const info = await ctx.engine?.inspectContainer(id).catch(() => undefined);
  return info?.State?.Running === true;
}
