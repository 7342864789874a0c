import { daemonConfig } from "../daemon-config.js";
import { parsePs, processesNamed } from "../parse/ps.js";
import { ENGINE_DESCRIPTION, identifyEngine } from "../engine-kind.js";
import { ENGINE_ANSWER_MS } from "../facts.js";
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
    const state = await ctx.facts.engineState();
    const snap = state.snapshot;
    if (!snap) {
      const ps = parsePs((await ctx.facts.stdout(["ps", "-eo", "pid,args"])) ?? "");
      const running = processesNamed(ps, "dockerd");
      const slow = state.error?.timedOut === true;
      return [
        {
          id: "engine/reachable",
          area,
          // An engine that answers slowly is busy (or hung), not gone: checks that need it are skipped.
          status: slow ? "warn" : "fail",
          title: slow ? `Docker engine at ${endpoint} did not answer within ${ENGINE_ANSWER_MS / 1000} s: busy or hung; checks that need it are skipped` : `Docker engine not reachable at ${endpoint}`,
          evidence: [
            { source: `GET /_ping ${endpoint}`, value: state.error?.message ?? "no answer" },
            { source: `ps -eo pid,args [${ctx.host.name}]`, value: running.length ? running.map((p) => `${p.pid} ${p.args}`).join("\n") : "no dockerd process" },
          ],
          fix: slow
            ? "run doctor again; if the engine stays silent, look at dockerd's log (`journalctl -u docker`) and `docker ps` for what keeps it busy"
            : running.length
            ? `dockerd is running but not listening at ${endpoint}: check its -H flags, or set DOCKER_HOST to where it listens`
            : "start the engine: `systemctl start docker` (or `npx netcheck setup`), or set DOCKER_HOST to a running engine",
        },
      ];
    }
    const out: Finding[] = [];
    const v = snap.version;
    const identity = identifyEngine(snap);
    out.push({
      id: "engine/reachable",
      area,
      status: "ok",
      title: `Docker ${v.Version} (API ${v.ApiVersion}) at ${endpoint}`,
      evidence: [{ source: `GET /version ${endpoint}`, value: `Version=${v.Version} ApiVersion=${v.ApiVersion} Os=${v.Os} Arch=${v.Arch} KernelVersion=${v.KernelVersion}` }],
    });
    out.push({
      id: "engine/kind",
      area,
      // Not a fault: said plainly because it changes what every other finding means.
      status: "ok",
      title: `this engine is ${ENGINE_DESCRIPTION[identity.kind]}${identity.kind === "docker" ? "" : "; the checks that do not apply to it are marked skip with the reason"}`,
      evidence: [{ source: `GET /info, GET /version ${endpoint}`, value: identity.evidence }],
    });
    if (identity.kind === "docker" || identity.kind === "rootless-docker") out.push(await userlandProxy(ctx, snap.containers.filter((c) => c.State === "running").flatMap((c) => (c.Ports ?? []).filter((p) => p.PublicPort)).length));
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

/**
 * Not a fault, a trade-off users trip over: with the userland proxy, clients on
 * this host (localhost) and containers hairpinning to a published port reach the
 * container through docker-proxy, so it sees the bridge gateway as the client.
 */
async function userlandProxy(ctx: Parameters<DoctorCheck["run"]>[0], published: number): Promise<Finding> {
  const cfg = await daemonConfig(ctx);
  const proxies = processesNamed(parsePs((await ctx.facts.stdout(["ps", "-eo", "pid,args"])) ?? ""), "docker-proxy");
  const evidence = [...cfg.evidence, { source: `ps -eo pid,args [${ctx.host.name}] → docker-proxy`, value: `${proxies.length} process(es)${proxies[0] ? `, e.g. ${proxies[0].args}` : ""}` }];
  const title = !cfg.userlandProxy
    ? "userland-proxy disabled: published ports are DNAT only, also from localhost (hairpin NAT); clients keep their own address"
    : published === 0
      ? "userland-proxy enabled (no published ports now)"
      : `userland-proxy enabled (${proxies.length} docker-proxy process(es) for ${published} published port(s)): clients on this host and containers reaching a published port appear to the container as the bridge gateway, not their own address; remote clients are DNATed and keep theirs. Trade-off: \`"userland-proxy": false\` keeps every client address but relies on hairpin NAT (route_localnet) and drops the proxy's IPv6-to-IPv4 forwarding`;
  return { id: "engine/userland-proxy", area: "engine", status: "ok", title, evidence };
}
