import { judgeRoutingMesh, type MeshNodeAnswers } from "../../assert/routing-mesh.js";
import { underlayOf } from "../../lab/host-underlay.js";
import type { DockerHostDecl } from "../../lab/topology.js";
import { httpGet } from "../../probes/reach.js";
import type { Evidence } from "../../report/model.js";
import { LABEL_RUN } from "../../util/labels.js";
import { probeImageTag } from "../../util/version.js";
import type { CheckDecl } from "../define.js";

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
      const service = `nc-${ctx.run.runId}-mesh`;
      const serve = "mkdir -p /www && echo node=$(hostname) > /www/index.html && exec httpd -f -p 80 -h /www";
      const create = await ctx.own(
        { kind: "lab-host", name: manager.name },
        {
          what: `swarm service ${service}`,
          apply: ["docker", "service", "create", "--detach=false", "--quiet", "--no-resolve-image", "--name", service, "--label", `${LABEL_RUN}=${ctx.run.runId}`, "--replicas", String(replicas), "--hostname", "{{.Task.Name}}", "--publish", `published=${port},target=80`, probeImageTag(), "sh", "-c", serve],
          undo: ["docker", "service", "rm", service],
        },
        90_000,
      );
      const evidence: Evidence[] = [create.evidence];
      if (create.result.exitCode !== 0) return { status: "fail", reason: `error: docker service create on ${manager.name} failed: ${create.result.stderr.trim()}`, evidence };
      const ps = await ctx.inspect({ kind: "lab-host", name: manager.name }, ["docker", "service", "ps", service, "--filter", "desired-state=running", "--no-trunc", "--format", "{{.Name}}.{{.ID}}\t{{.Node}}\t{{.CurrentState}}"]);
      evidence.push(ps.evidence);
      const tasks = ps.result.stdout.trim().split("\n").filter((l) => /\tRunning/.test(l)).map((l) => l.split("\t")[0]!);
      const answers: MeshNodeAnswers[] = [];
      for (const h of hosts) {
        const u = await underlayOf(ctx.lab.host(h.name), ctx.run, ctx.signal);
        const answeredBy: (string | undefined)[] = [];
        for (let i = 0; i < requests; i++) {
          const r = await ctx.probe({ kind: "lab-host" }, httpGet(u.address, port));
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
