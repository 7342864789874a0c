import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RunLab } from "../lab/run-lab.js";
import type { ScenarioLab } from "../lab/scenario-lab.js";
import type { Artifact } from "../report/model.js";
import { cleanupSignal } from "../util/abort.js";

/**
 * When a scenario fails, keep what an engineer would look at next: each node's
 * `ip addr/route/neigh`, its `docker inspect`, and the host's firewall rules.
 * Gathering never throws: a missing artifact is noted in the file instead.
 */
export async function collectFailureArtifacts(run: RunLab, lab: ScenarioLab, reportDir: string, slug: string, attempt: number): Promise<Artifact[]> {
  const rel = join(slug, attempt === 0 ? "failure" : `failure-${attempt + 1}`);
  const dir = join(reportDir, rel);
  await mkdir(dir, { recursive: true });
  const artifacts: Artifact[] = [];
  const save = async (name: string, text: string, kind: Artifact["kind"], description: string) => {
    await writeFile(join(dir, name), text);
    artifacts.push({ kind, path: join(rel, name), description });
  };
  const signal = cleanupSignal(20_000);
  for (const node of lab.nodes.values()) {
    const parts: string[] = [];
    for (const cmd of [["ip", "addr"], ["ip", "route"], ["ip", "neigh"], ["cat", "/etc/resolv.conf"]]) {
      const r = await node.shell.exec(cmd, { signal, timeoutMs: 5000 }).catch((e: Error) => ({ stdout: "", stderr: e.message, exitCode: -1 }));
      parts.push(`$ ${cmd.join(" ")}  (exit ${r.exitCode})\n${r.stdout}${r.stderr}`);
    }
    await save(`${node.name}-net.txt`, parts.join("\n"), "log", `${node.name}: ip addr, route, neigh, resolv.conf`);
    const inspect = await node.labHost.engine.inspectContainer(node.containerId).catch((e: Error) => ({ error: e.message }));
    await save(`${node.name}-inspect.json`, JSON.stringify(inspect, null, 2), "inspect", `docker inspect ${node.containerName}`);
  }
  for (const host of run.hosts) {
    const rules: string[] = [];
    for (const cmd of [["iptables-save"], ["nft", "list", "ruleset"], ["ip", "route", "show", "table", "all"]]) {
      const r = await host.shell.exec(cmd, { signal, timeoutMs: 10_000 });
      rules.push(`$ ${cmd.join(" ")}  (exit ${r.exitCode})\n${r.stdout}${r.stderr}`);
    }
    await save(`${host.name}-rules.txt`, rules.join("\n"), "rules", `${host.name}: iptables-save, nft ruleset, routes`);
  }
  return artifacts;
}
