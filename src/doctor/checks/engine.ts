import { parsePs, processesNamed, flagValue } from "../parse/ps.js";
import type { DoctorCheck, Finding } from "../types.js";

/** Reachability, versions, rootless, userland-proxy and the engine's own warnings. */
export const engineCheck: DoctorCheck = {
  id: "engine",
  area: "engine",
  title: "Docker engine",
  async run(ctx) {
    const area = "engine" as const;
    if (!ctx.engine) {
      return [{ id: "engine/reachable", area, status: "skip", title: "No Docker engine given: engine checks skipped", evidence: [] }];
    }
    const endpoint = ctx.engine.endpoint.display;
    const snap = await ctx.facts.engineSnapshot();
    if (!snap) {
      const ps = parsePs((await ctx.facts.stdout(["ps", "-eo", "pid,args"])) ?? "");
      const running = processesNamed(ps, "dockerd");
      return [
        {
          id: "engine/reachable",
          area,
          status: "fail",
          title: `Docker engine not reachable at ${endpoint}`,
          evidence: [
            { source: `GET /_ping ${endpoint}`, value: "no answer (connection refused, missing socket or timeout)" },
            { source: `ps -eo pid,args [${ctx.host.name}]`, value: running.length ? running.map((p) => `${p.pid} ${p.args}`).join("\n") : "no dockerd process" },
          ],
          fix: running.length
            ? `dockerd is running but not listening at ${endpoint}: check its -H flags, or set DOCKER_HOST to where it listens`
            : "start the engine: `systemctl start docker` (or `npx netcheck setup`), or set DOCKER_HOST to a running engine",
        },
      ];
    }
    const out: Finding[] = [];
    const v = snap.version;
    const securityOptions = (snap.info.SecurityOptions as string[] | undefined) ?? [];
    const rootless = securityOptions.some((s) => s.includes("rootless"));
    out.push({
      id: "engine/reachable",
      area,
      status: "ok",
      title: `Docker ${v.Version} (API ${v.ApiVersion}) at ${endpoint}${rootless ? ", rootless" : ""}`,
      evidence: [
        { source: `GET /version ${endpoint}`, value: `Version=${v.Version} ApiVersion=${v.ApiVersion} Os=${v.Os} Arch=${v.Arch} KernelVersion=${v.KernelVersion}` },
        { source: `GET /info ${endpoint}`, value: `SecurityOptions=${securityOptions.join(",")}` },
      ],
    });
    if (rootless) {
      out.push({
        id: "engine/rootless",
        area,
        status: "warn",
        title: "Rootless engine: bridge traffic goes through slirp4netns/RootlessKit, published ports through rootlesskit's port driver",
        evidence: [{ source: `GET /info ${endpoint}`, value: securityOptions.join(",") }],
        fix: "NAT and throughput scenarios assume a rootful engine; run them against a rootful dockerd (or the VM lab)",
      });
    }
    out.push(await userlandProxy(ctx, snap.containers.some((c) => (c.Ports ?? []).some((p) => p.PublicPort))));
    const warnings = (snap.info.Warnings as string[] | null | undefined) ?? [];
    out.push({
      id: "engine/warnings",
      area,
      status: warnings.length ? "warn" : "ok",
      title: warnings.length ? `docker info reports ${warnings.length} warning(s)` : "docker info reports no warnings",
      evidence: [{ source: `GET /info ${endpoint} → Warnings`, value: warnings.join("\n") || "(none)" }],
      fix: warnings.length ? "address each warning above (most name the sysctl or kernel option to change)" : undefined,
    });
    return out;
  },
};

async function userlandProxy(ctx: Parameters<DoctorCheck["run"]>[0], hasPublished: boolean): Promise<Finding> {
  const psRes = await ctx.facts.exec(["ps", "-eo", "pid,args"]);
  const procs = parsePs(psRes.stdout);
  const dockerd = processesNamed(procs, "dockerd")[0];
  const proxies = processesNamed(procs, "docker-proxy");
  const daemonJson = await ctx.facts.readFile("/etc/docker/daemon.json");
  let fromJson: unknown;
  try {
    fromJson = daemonJson ? (JSON.parse(daemonJson) as Record<string, unknown>)["userland-proxy"] : undefined;
  } catch {
    fromJson = undefined;
  }
  const fromFlag = dockerd ? flagValue(dockerd.args, "--userland-proxy") : undefined;
  const enabled = fromFlag !== undefined ? fromFlag !== "false" : fromJson !== undefined ? fromJson !== false : true;
  const evidence = [
    { source: `ps -eo pid,args [${ctx.host.name}] → dockerd`, value: dockerd?.args ?? "dockerd not visible on this host" },
    { source: `read /etc/docker/daemon.json [${ctx.host.name}]`, value: daemonJson === undefined ? "absent" : `userland-proxy: ${JSON.stringify(fromJson ?? "(not set)")}` },
    { source: `ps -eo pid,args [${ctx.host.name}] → docker-proxy`, value: `${proxies.length} process(es)` },
  ];
  const noProxies = enabled && hasPublished && proxies.length === 0 && dockerd !== undefined;
  return {
    id: "engine/userland-proxy",
    area: "engine",
    status: noProxies ? "warn" : "ok",
    title: noProxies
      ? "userland-proxy is enabled but no docker-proxy process serves the published ports"
      : `userland-proxy ${enabled ? "enabled" : "disabled"}${enabled ? ` (${proxies.length} docker-proxy process(es))` : ": published ports rely on DNAT only, also from localhost"}`,
    evidence,
    fix: noProxies ? "restart the containers with published ports (`docker restart <id>`), or restart dockerd" : undefined,
  };
}
