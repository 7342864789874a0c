import { execOk, type ExecResult } from "../../host/host.js";
import { sleep } from "../../util/abort.js";
import type { Cleanup } from "../../util/cleanup.js";
import { LabBringUpError } from "../errors.js";
import type { LabHost } from "../lab-host.js";
import { unlessHostGone } from "./dind-host.js";

/** A host a swarm can be formed over: dind hosts, and a user's own hosts over ssh. */
export interface SwarmMember extends LabHost {
  underlayAddress: string;
}

/** How a leave is registered: dind hosts' go with the host; a user's host's is ledgered too (`netcheck clean --hosts`). */
export type RegisterUndo = (host: SwarmMember, what: string, undo: string[]) => void;

export interface SwarmFormation {
  manager: SwarmMember;
  hosts: SwarmMember[];
  /** Every command of the formation, in order: evidence for the swarm check. */
  log: ExecResult[];
  /** Attach attempts that timed out on a fresh swarm and were retried (evidence kept). */
  retriedAttaches: { node: string; error: string }[];
  readyMs: number;
}

export const NODE_LS_FORMAT = "{{.Hostname}}\t{{.Status}}\t{{.Availability}}\t{{.ManagerStatus}}";

/**
 * One swarm over the given dind hosts: the first initialises it on its
 * underlay address (with an address pool from the run's allocator), the
 * others join as workers. Resolves once every node is Ready on the manager
 * and every worker knows a manager (gossip up), because the first attach to
 * an attachable overlay on a swarm younger than that times out.
 * Teardown: workers leave, then the manager (registered in that order).
 */
export async function formSwarm(hosts: SwarmMember[], addrPool: string, cleanup: Cleanup, signal?: AbortSignal, register?: RegisterUndo): Promise<SwarmFormation> {
  const t0 = Date.now();
  const [manager, ...workers] = hosts;
  if (!manager) throw new Error("a swarm needs at least one host");
  const log: ExecResult[] = [];
  const leave = (h: SwarmMember, role: string) => {
    const what = `swarm on ${h.name} (${role})`;
    if (register) register(h, what, ["docker", "swarm", "leave", "--force"]);
    else cleanup.defer(what, unlessHostGone(h, (s) => h.shell.exec(["docker", "swarm", "leave", "--force"], { signal: s })));
  };
  const run = async (h: SwarmMember, argv: string[]) => {
    try {
      const r = await execOk(h.shell, argv, { signal, timeoutMs: 60_000 });
      log.push(r);
      return r.stdout.trim();
    } catch (err) {
      throw new LabBringUpError(`the swarm on ${h.name}`, err);
    }
  };
  const [base, mask] = addrPool.split("/");
  await run(manager, ["docker", "swarm", "init", "--advertise-addr", manager.underlayAddress, "--listen-addr", `${manager.underlayAddress}:2377`, "--default-addr-pool", `${base}/${mask}`, "--default-addr-pool-mask-length", String(Math.min(30, Number(mask) + 2))]);
  leave(manager, "manager");
  const token = await run(manager, ["docker", "swarm", "join-token", "-q", "worker"]);
  await Promise.all(
    workers.map(async (w) => {
      await run(w, ["docker", "swarm", "join", "--token", token, "--advertise-addr", w.underlayAddress, "--listen-addr", `${w.underlayAddress}:2377`, `${manager.underlayAddress}:2377`]);
      leave(w, "worker");
    }),
  );
  // Polled through the engines' APIs, not `docker` execs: under load each exec costs a second of CLI start-up.
  const deadline = Date.now() + 30_000;
  let last = "";
  for (;;) {
    const nodes = await manager.engine.swarmNodes(signal).catch(() => []);
    last = nodes.map((n) => `${n.hostname}\t${n.state}\t${n.availability}${n.leader ? "\tLeader" : ""}`).join("\n");
    const ready = nodes.filter((n) => n.state === "ready").length;
    const gossip = await Promise.all(workers.map((w) => w.engine.info(signal).then((i) => i.Swarm as { LocalNodeState?: string; RemoteManagers?: unknown[] } | undefined, () => undefined)));
    if (ready === hosts.length && gossip.every((g) => g?.LocalNodeState === "active" && (g.RemoteManagers?.length ?? 0) > 0)) break;
    if (Date.now() > deadline) throw new LabBringUpError(`the swarm: ${ready}/${hosts.length} nodes Ready after 30 s`, last);
    await sleep(250, signal);
  }
  return { manager, hosts, log, retriedAttaches: [], readyMs: Date.now() - t0 };
}

/** The attach failure a young swarm gives (moby: "attaching to network failed … context deadline exceeded"): worth one retry. */
export function isAttachTimeout(err: unknown): boolean {
  let e: unknown = err;
  for (let i = 0; i < 5 && e; i++) {
    if (/context deadline exceeded|attaching to network failed|could not attach to network/i.test(String((e as Error).message ?? e))) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
