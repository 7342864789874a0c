import { judgeRoutingMesh, type MeshNodeAnswers } from "../../assert/routing-mesh.js";
import { underlayOf } from "../../lab/host-underlay.js";
import type { DockerHostDecl } from "../../lab/topology.js";
import { httpGet } from "../../probes/reach.js";
import type { Evidence } from "../../report/model.js";
import { LABEL_RUN } from "../../util/labels.js";
import { probeImageTag } from "../../util/version.js";
import type { CheckDecl } from "../define.js";
import type { CheckContext, ProbeRun } from "../context.js";
import type { ReachResult } from "../../probes/reach.js";

export interface RoutingMeshOptions {
  replicas?: number;
  /** The published port on every node (inside the Docker hosts: it never listens on this machine). */
  port?: number;
  /** Requests per node; at least twice the replicas so a round-robin VIP shows each one. */
  requests?: number;
  name?: string;
}

/**
 * A swarm service with `replicas` replicas publishes `port` through the
 * routing mesh; the lab host (on the underlay, outside the swarm) asks every
 * node. Each replica serves "node=<its task name>", so the answers prove the
 * port answers on every node and the VIP spreads the requests over the
 * replicas, wherever they run. Needs IPVS (the mesh and the VIP are IPVS).
 */
export function routingMeshCheck(hosts: DockerHostDecl[], opts: RoutingMeshOptions = {}): CheckDecl {
  const replicas = opts.replicas ?? 2;
  const port = opts.port ?? 8080;
  const requests = opts.requests ?? replicas * 3;
  return {
    name: opts.name ?? `published-port-${port}-answers-on-every-node-spread-over-${replicas}-replicas`,
    category: "reachability",
    expectation: `a service of ${replicas} replicas published on ${port} answers on every node (${hosts.map((h) => h.name).join(", ")}), and each node's requests reach every replica (the VIP)`,
    requires: ["kernel.ip_vs"],
    async run(ctx) {
      const manager = hosts[0]!;
      const service = `nc-${ctx.run.runId}-mesh${port}`;
      // --dns: a task without one inherits the host's resolver (on a host whose resolv.conf names only a loopback
      // resolver, Docker's fallback 8.8.8.8 — seen in the VM lab's dockerd log): every container's upstream is the lab's.
      const serve = "mkdir -p /www && echo node=$(hostname) > /www/index.html && exec httpd -f -p 80 -h /www";
      const create = await ctx.own(
        { kind: "lab-host", name: manager.name },
        {
          what: `swarm service ${service}`,
          apply: ["docker", "service", "create", "--detach=false", "--quiet", "--no-resolve-image", "--name", service, "--label", `${LABEL_RUN}=${ctx.run.runId}`, "--replicas", String(replicas), "--hostname", "{{.Task.Name}}", ...ctx.run.dnsServers.flatMap((d) => ["--dns", d]), "--publish", `published=${port},target=80`, probeImageTag(), "sh", "-c", serve],
          undo: ["docker", "service", "rm", service],
        },
        90_000,
      );
      const evidence: Evidence[] = [create.evidence];
      if (create.result.exitCode !== 0) return { status: "fail", reason: `error: docker service create on ${manager.name} failed: ${create.result.stderr.trim()}`, evidence };
      const ps = await ctx.inspect({ kind: "lab-host", name: manager.name }, ["docker", "service", "ps", service, "--filter", "desired-state=running", "--no-trunc", "--format", "{{.Name}}.{{.ID}}\t{{.Node}}\t{{.CurrentState}}"]);
      evidence.push(ps.evidence);
      const tasks = ps.result.stdout.trim().split("\n").filter((l) => /\tRunning/.test(l)).map((l) => l.split("\t")[0]!);
      const ask = await meshClient(ctx, hosts, manager, port);
      evidence.push(...ask.evidence);
      const answers: MeshNodeAnswers[] = [];
      for (const h of hosts) {
        const u = await underlayOf(ctx.lab.host(h.name), ctx.run, ctx.signal);
        const answeredBy: (string | undefined)[] = [];
        for (let i = 0; i < requests; i++) {
          const r = await ask.get(u.address, port);
          if (i === 0 || !r.value.reached) evidence.push(r.evidence);
          answeredBy.push(r.value.reached ? r.value.identity : undefined);
        }
        answers.push({ node: h.name, address: u.address, answeredBy });
      }
      evidence.push({ kind: "note", text: answers.map((a) => `${a.node} ${a.address}:${port} → ${a.answeredBy.map((x) => x ?? "(no answer)").join(", ")}`).join("\n") });
      return { ...judgeRoutingMesh(answers, tasks), evidence };
    },
  };
}

/**
 * Who asks the nodes. dind hosts sit on a bridge of this machine: the lab host
 * asks, from outside the swarm. VM and --hosts hosts meet on a network this
 * machine may not reach (the VM trunk, a user's LAN): a client in the
 * manager's host network asks (its own node through the mesh's OUTPUT hook,
 * the others across the underlay), labelled and ledgered like the service.
 */
async function meshClient(ctx: CheckContext, hosts: DockerHostDecl[], manager: DockerHostDecl, port: number): Promise<{ evidence: Evidence[]; get(address: string, port: number): Promise<ProbeRun<ReachResult>> }> {
  if (!hosts.some((h) => ["vm", "ssh"].includes(ctx.lab.host(h.name).kind))) return { evidence: [], get: (a, p) => ctx.probe({ kind: "lab-host" }, httpGet(a, p)) };
  const client = `nc-${ctx.run.runId}-mesh${port}-client`;
  const on = { kind: "lab-host" as const, name: manager.name };
  const started = await ctx.own(on, { what: `container ${client}`, apply: ["docker", "run", "-d", "--name", client, "--network", "host", "--label", `${LABEL_RUN}=${ctx.run.runId}`, probeImageTag(), "sleep", "600"], undo: ["docker", "rm", "-f", client] }, 60_000);
  if (started.result.exitCode !== 0) throw new Error(`the mesh client on ${manager.name} did not start: ${started.result.stderr.trim()}`);
  return {
    evidence: [started.evidence],
    async get(address, port) {
      const probe = httpGet(address, port);
      ctx.run.assertTarget(address, `http probe from ${client} on ${manager.name}`);
      const r = await ctx.inspect(on, ["docker", "exec", client, ...probe.command], probe.timeoutMs + 10_000);
      return { value: probe.parse(r.result), result: r.result, evidence: r.evidence };
    },
  };
}
