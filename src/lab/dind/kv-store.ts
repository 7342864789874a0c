import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { execOk } from "../../host/host.js";
import { LocalHost } from "../../host/local-host.js";
import { sleep } from "../../util/abort.js";
import type { Cleanup } from "../../util/cleanup.js";
import { EnvironmentError } from "../../util/errors.js";
import { dockerName, LABEL_ROLE } from "../../util/labels.js";
import { dindHostImageTag } from "../../util/version.js";
import { LabBringUpError } from "../errors.js";
import type { RunLab } from "../run-lab.js";
import type { DindUnderlay } from "./underlay.js";

/** Where Debian's etcd-server is unpacked (kept across runs): <root>/usr/bin/etcd. */
export const ETCD_CACHE = process.env.NETCHECK_ETCD_CACHE ?? "/var/cache/netcheck/etcd";

/** The key-value store classic (pre-swarm) overlay networks keep their state in: etcd on the dind hosts' underlay. */
export interface KvStore {
  containerName: string;
  address: string;
  /** What the hosts' daemon.json names as `cluster-store`. */
  url: string;
  readyMs: number;
}

/**
 * Debian's etcd-server, fetched once with `apt-get download` (the host's own
 * sources; nothing is installed on the host) and unpacked with `dpkg-deb -x`.
 */
async function ensureEtcdRoot(signal?: AbortSignal): Promise<string> {
  const root = join(ETCD_CACHE, "root");
  if (existsSync(join(root, "usr", "bin", "etcd"))) return root;
  const debs = join(ETCD_CACHE, "debs");
  mkdirSync(debs, { recursive: true });
  const local = new LocalHost();
  try {
    await execOk(local, ["sh", "-c", 'cd "$1" && apt-get -o APT::Sandbox::User=root download etcd-server && mkdir -p "$2" && dpkg-deb -x etcd-server_*.deb "$2"', "sh", debs, root], { signal, timeoutMs: 300_000 });
  } catch (err) {
    throw new EnvironmentError("NETCHECK_ETCD_FETCH", "Could not fetch etcd (Debian's etcd-server) for the classic overlay's key-value store.", {
      hint: "It needs the Debian mirror (apt-get download etcd-server) and root; nothing is installed on the host. Run again, or skip overlay/classic-kv.",
      cause: err,
    });
  }
  return root;
}

/**
 * etcd in a container of the local engine on the dind hosts' underlay (the
 * host image: the host's /usr read-only, etcd's own root at /opt/engine), with
 * the v2 API the 20.10 engine's libkv speaks. Labelled with the run: `netcheck
 * clean` removes it like every lab container.
 */
export async function startKvStore(run: RunLab, underlay: DindUnderlay, owner: string, cleanup: Cleanup, signal?: AbortSignal): Promise<KvStore> {
  const t0 = Date.now();
  const root = await ensureEtcdRoot(signal);
  const local = run.primary;
  const containerName = dockerName(run.runId, `${owner}-etcd`);
  const etcd =
    'ip=$(hostname -i | cut -d" " -f1); exec /opt/engine/usr/bin/etcd --name kv --data-dir /tmp/etcd --enable-v2=true ' +
    "--listen-client-urls http://0.0.0.0:2379 --advertise-client-urls http://$ip:2379 " +
    "--listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 --initial-cluster kv=http://127.0.0.1:2380 >/tmp/etcd.log 2>&1";
  let id: string;
  try {
    id = await local.engine.runContainer({
      name: containerName,
      image: dindHostImageTag(),
      cmd: ["sh", "-c", etcd],
      networkMode: underlay.dockerName,
      hostname: "kv",
      dns: run.dnsServers,
      binds: ["/usr:/usr:ro", "/etc/alternatives:/etc/alternatives:ro", `${root}:/opt/engine:ro`],
      labels: { ...underlay.labels, [LABEL_ROLE]: "kv-store" },
    }, signal);
  } catch (err) {
    throw new LabBringUpError("the classic overlay's key-value store (etcd)", err);
  }
  cleanup.defer(`kv store ${containerName}`, () => local.engine.removeContainer(id));
  const info = await local.engine.inspectContainer(id, signal);
  const address = info.NetworkSettings?.Networks?.[underlay.dockerName]?.IPAddress ?? "";
  run.addLabAddress(address);
  const url = `http://${address}:2379`;
  const deadline = Date.now() + 30_000;
  let last = "";
  while (Date.now() < deadline) {
    // The v2 keys API is what the engines will use: wait for it, not just for the process.
    const r = await fetch(`${url}/v2/keys/`, { signal: AbortSignal.timeout(2000) }).then((res) => `${res.status}`, (e: unknown) => String(e));
    if (r === "200") return { containerName, address, url: `etcd://${address}:2379`, readyMs: Date.now() - t0 };
    last = r;
    await sleep(200, signal);
  }
  const log = await local.engine.exec(id, ["sh", "-c", "tail -n 15 /tmp/etcd.log"], containerName, { timeoutMs: 5000 }).then((r) => r.stdout, () => "(no log)");
  throw new LabBringUpError(`the classic overlay's key-value store (etcd at ${url}) did not answer within 30 s (${last})`, log);
}
