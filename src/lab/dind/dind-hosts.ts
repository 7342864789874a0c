import type { Cleanup } from "../../util/cleanup.js";
import { probeImageTag } from "../../util/version.js";
import type { RunLab } from "../run-lab.js";
import { loadProbeImage, startDindHost, type DindHostSpec, type DindLabHost } from "./dind-host.js";
import { createDindUnderlay } from "./underlay.js";
import { ensureEngineRoot } from "./engine-fetch.js";
import { startKvStore, type KvStore } from "./kv-store.js";
import type { PhaseClock } from "../../util/phases.js";

export interface StartedDindHosts {
  hosts: DindLabHost[];
  /** The key-value store of a classic overlay (hosts with `clusterStore`), on the underlay. */
  kvStore?: KvStore;
  /** The probe image going into every host (save | load), overlapping whatever comes next (a swarm). */
  imagesLoaded: Promise<void>;
}

/**
 * N dind hosts on one new underlay bridge, started side by side. Each one's
 * resources are in `cleanup` the moment they exist; every start is awaited
 * (settled) before a failure is rethrown, so nothing registers after the
 * caller's cleanup has run.
 */
export async function startDindHosts(run: RunLab, specs: (DindHostSpec & { engine?: string; clusterStore?: "etcd" })[], owner: string, scenarioId: string, cleanup: Cleanup, signal?: AbortSignal, clock?: PhaseClock): Promise<StartedDindHosts> {
  const time = <T>(name: string, work: () => Promise<T>) => (clock ? clock.time(name, work) : work());
  const underlay = await time("dind underlay", () => createDindUnderlay(run, owner, scenarioId, cleanup, signal, { ipv6: specs.some((s) => s.daemon?.ipv6 === true) }));
  // Classic overlay (Docker ≤ 20.10): the store must answer before the engines that name it start.
  const kvStore = specs.some((s) => s.clusterStore) ? await time("kv store up", () => startKvStore(run, underlay, owner, cleanup, signal)) : undefined;
  for (const s of specs) if (s.clusterStore && kvStore) s.daemon = { ...s.daemon, "cluster-store": kvStore.url, "cluster-advertise": "eth0:2376" };
  const hostEngine = (await run.primary.engine.version()).Version;
  for (const s of specs) if (s.engine) s.engineRoot = await ensureEngineRoot(s.engine, hostEngine, signal);
  const image = time("probe image save", () => probeArchive(run));
  image.catch(() => undefined);
  const hosts = await settleAll(specs.map((s) => time(`dind host ${s.name} up`, () => startDindHost(run, underlay, s, owner, cleanup, signal))));
  const imagesLoaded = image.then((buf) => settleAll(hosts.map((h) => time(`probe image load ${h.name}`, () => loadProbeImage(h, buf))))).then(() => undefined);
  imagesLoaded.catch(() => undefined);
  return { hosts, imagesLoaded, ...(kvStore ? { kvStore } : {}) };
}

const probeArchives = new WeakMap<RunLab, Promise<Buffer>>();

/**
 * The probe image's `docker save` archive, made once per run and loaded into
 * every dind host of every scenario (`run overlay` starts two scenarios of two
 * hosts each at once: one save instead of two). A failed save is not kept.
 */
function probeArchive(run: RunLab): Promise<Buffer> {
  let archive = probeArchives.get(run);
  if (!archive) {
    archive = run.primary.engine.saveImage(probeImageTag()).then(readAll);
    probeArchives.set(run, archive);
    archive.catch(() => probeArchives.delete(run));
  }
  return archive;
}

async function settleAll<T>(work: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(work);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<T>).value);
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

export type { DindLabHost, DindHostSpec };
