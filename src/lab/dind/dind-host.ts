import { mkdir, readFile, writeFile } from "node:fs/promises";
import { Readable } from "node:stream";
import { join } from "node:path";
import { ContainerHost } from "../../engine/container-host.js";
import { execOk } from "../../host/host.js";
import { Engine } from "../../engine/engine.js";
import { sleep } from "../../util/abort.js";
import type { Cleanup, UndoStep } from "../../util/cleanup.js";
import { dockerName } from "../../util/labels.js";
import { dindHostImageTag, probeImageTag } from "../../util/version.js";
import { LabBringUpError } from "../errors.js";
import type { LabHost } from "../lab-host.js";
import { STATE_DIR } from "../ledger.js";
import { own } from "../owned.js";
import type { RunLab } from "../run-lab.js";
import { cgroupSweepCommand, DIND_STATE_MOUNT, dindCgroupParent, dindDaemonConfig } from "./daemon-config.js";
import type { DindUnderlay } from "./underlay.js";

/** A docker-in-docker lab host: its own dockerd (own daemon.json, own engine version) in a container of the local engine. */
export interface DindLabHost extends LabHost {
  kind: "dind";
  containerId: string;
  containerName: string;
  /** Its address on the lab-owned underlay bridge (what swarm advertises, what VXLAN's outer header carries). */
  underlayAddress: string;
  /** Its IPv6 address on the underlay, when the underlay is dual-stack (an inner daemon with `ipv6: true`). */
  underlayAddress6?: string;
  underlay: DindUnderlay;
  /** The inner engine's version, as it reports it. */
  engineVersion: string;
  /** The daemon.json it was started with. */
  daemon: Record<string, unknown>;
  /** Milliseconds from `docker create` to an answering inner engine. */
  readyMs: number;
  /**
   * Remove the host container with its volume (idempotent). Everything inside
   * goes with it: its PID namespace takes every inner process, its mount and
   * network namespaces every inner mount, netns, bridge and VXLAN device, its
   * volume the inner /var/lib/docker (swarm state included); the inner
   * containers' cgroups are swept by the undo registered before it.
   */
  remove(signal?: AbortSignal): Promise<void>;
  /** True once remove() began: undo steps inside it have nothing left to undo. */
  readonly gone: boolean;
}

export interface DindHostSpec {
  name: string;
  daemon?: Record<string, unknown>;
  /** An extracted engine (usr/sbin/dockerd, containerd, runc) bound at /opt/engine, first on PATH; default: the host's /usr. */
  engineRoot?: string;
}

/**
 * The docker-in-docker recipe that works where --privileged does not (no
 * CAP_SYS_RESOURCE): every other capability, unconfined seccomp/apparmor and
 * system paths, all devices, the host's cgroup tree, the host's /usr read-only
 * (the inner engine is the host's own binaries), and an anonymous volume for
 * /var/lib/docker (overlay2 cannot sit on overlay2).
 */
export const DIND_PRIVILEGES = {
  capDrop: ["SYS_RESOURCE"],
  securityOpt: ["seccomp=unconfined", "apparmor=unconfined"],
  unmaskPaths: true,
  deviceCgroupRules: ["a *:* rwm"],
  volumes: ["/var/lib/docker"],
  tmpfs: { "/run": "rw,exec,mode=755", "/tmp": "rw,exec,mode=1777" },
};

/**
 * Start one dind host on `underlay` and wait until its engine answers. Everything it owns is registered in `cleanup` (and, outside
 * Docker, in the run's ledger) before the next step, in the order teardown
 * needs: the inner containers go with their engine, then the host container
 * with its volume, then the cgroups and the state folder.
 */
export async function startDindHost(run: RunLab, underlay: DindUnderlay, spec: DindHostSpec, owner: string, cleanup: Cleanup, signal?: AbortSignal): Promise<DindLabHost> {
  const t0 = Date.now();
  const local = run.primary;
  const containerName = dockerName(run.runId, `${owner}-${spec.name}`);
  const cgroupParent = dindCgroupParent(containerName);
  const stateDir = dindStateDir(containerName);
  const bridgeSubnet = await run.allocateSubnet(local, cleanup, signal, { innerOnly: true });
  const poolSubnet = await run.allocateSubnet(local, cleanup, signal, { innerOnly: true });
  own(local, cleanup, run.ledger, `dind state ${stateDir}`, ["rm", "-rf", stateDir]);
  await mkdir(stateDir, { recursive: true });
  // `"fixed-cidr-v6": "auto"`: a /64 of the run's guarded /48 for the inner default bridge (never a constant).
  const user = spec.daemon?.["fixed-cidr-v6"] === "auto" ? { ...spec.daemon, "fixed-cidr-v6": run.allocateSubnet6() } : spec.daemon;
  const daemon = dindDaemonConfig({ user, bridgeSubnet, poolSubnet, dns: run.dnsServers, cgroupParent });
  await writeFile(join(stateDir, "daemon.json"), JSON.stringify(daemon, null, 2));
  // On a user-defined bridge the host would get 127.0.0.11, which the inner dockerd drops, falling back to
  // public resolvers for its sandboxes: name the lab DNS itself, so no query can ever leave the machine.
  await writeFile(join(stateDir, "resolv.conf"), run.dnsServers.map((d) => `nameserver ${d}\n`).join(""));
  // Registered before the container exists: it runs after the container is gone (cleanup is LIFO).
  own(local, cleanup, run.ledger, `cgroups /${cgroupParent}`, cgroupSweepCommand(cgroupParent));
  let id: string;
  try {
    // Built by `netcheck setup`: a missing image says so (and how to get it), not "HTTP 404".
    await local.engine.requireImage(dindHostImageTag(), signal);
    id = await local.engine.runContainer({
      name: containerName,
      image: dindHostImageTag(),
      // The host's docker-init (tini) reaps as PID 1; the engine's --init cannot mount it over the /sbin → usr/sbin link.
      cmd: ["/usr/bin/docker-init", "--", "sh", "-c", `exec dockerd --config-file ${DIND_STATE_MOUNT}/daemon.json >${DIND_STATE_MOUNT}/dockerd.log 2>&1`],
      networkMode: underlay.dockerName,
      hostname: spec.name,
      dns: run.dnsServers,
      binds: ["/usr:/usr:ro", "/etc/alternatives:/etc/alternatives:ro", "/sys/fs/cgroup:/sys/fs/cgroup", `${stateDir}:${DIND_STATE_MOUNT}`, `${join(stateDir, "resolv.conf")}:/etc/resolv.conf:ro`, ...(spec.engineRoot ? [`${spec.engineRoot}:/opt/engine:ro`] : [])],
      labels: { ...underlay.labels, "io.netcheck.role": `dind-host:${spec.name}` },
      privileges: DIND_PRIVILEGES,
    });
  } catch (err) {
    throw new LabBringUpError(`dind host "${spec.name}"`, err);
  }
  let removal: Promise<void> | undefined;
  const remove = (s?: AbortSignal) => (removal ??= local.engine.removeContainer(id, s).catch((err: unknown) => {
    removal = undefined;
    throw err;
  }));
  cleanup.defer(`dind host ${containerName}`, (s) => remove(s));
  const info = await local.engine.inspectContainer(id);
  const endpoint = info.NetworkSettings?.Networks?.[underlay.dockerName];
  const underlayAddress = endpoint?.IPAddress ?? "";
  run.addLabAddress(underlayAddress);
  const underlayAddress6 = endpoint?.GlobalIPv6Address || undefined;
  const fixed6 = typeof daemon["fixed-cidr-v6"] === "string" ? daemon["fixed-cidr-v6"] : undefined;
  if (underlayAddress6 && fixed6) {
    // The inner default bridge's /64 is routed (not NATed, unless the inner daemon has ip6tables) toward the
    // external host: the way back to it is this host's underlay address. Ledgered before it exists (see guardRoute).
    const route = ["ip", "-6", "route", "replace", fixed6, "via", underlayAddress6];
    own(local, cleanup, run.ledger, `route ${fixed6} via dind host ${spec.name}`, ["ip", "-6", "route", "del", fixed6, "via", underlayAddress6]);
    await execOk(local.shell, route, { signal });
  }
  const socket = join(stateDir, "docker.sock");
  const engine = new Engine({ display: `unix://${socket}`, socketPath: socket }, spec.name);
  await waitForEngine(engine, stateDir, spec.name, signal);
  const version = await engine.version();
  return {
    name: spec.name,
    kind: "dind",
    engine,
    shell: new ContainerHost(local.engine, id, containerName),
    // Its way off the machine is the underlay, a lab bridge that the local host already guards.
    uplink: undefined,
    containerId: id,
    containerName,
    underlayAddress,
    ...(underlayAddress6 ? { underlayAddress6 } : {}),
    underlay,
    engineVersion: version.Version,
    daemon,
    readyMs: Date.now() - t0,
    remove,
    get gone() {
      return removal !== undefined;
    },
  };
}

/**
 * An undo step for something inside a lab host: skipped once that host is a
 * dind host being removed as a whole (teardown removes dind hosts first, in
 * parallel, instead of their containers, networks and swarm one by one).
 */
export function unlessHostGone(host: LabHost, undo: UndoStep): UndoStep {
  return (signal) => (host.kind === "dind" && (host as DindLabHost).gone ? Promise.resolve() : undo(signal));
}

/** Where a dind host's daemon.json, socket and dockerd log live on this machine: /run/netcheck/dind/nc-<run>-…. */
export function dindStateDir(containerName: string): string {
  return join(STATE_DIR, "dind", containerName);
}

async function waitForEngine(engine: Engine, stateDir: string, name: string, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (await engine.ping(signal).then(() => true, () => false)) return;
    await sleep(100, signal);
  }
  const log = await readFile(join(stateDir, "dockerd.log"), "utf8").catch(() => "(no dockerd.log)");
  throw new LabBringUpError(`dind host "${name}": its dockerd did not answer within 30 s`, log.split("\n").slice(-15).join("\n"));
}

/** `docker save | docker load` of the probe image into a dind host (no registry anywhere). */
export async function loadProbeImage(host: DindLabHost, image: Buffer): Promise<void> {
  await host.engine.loadImage(Readable.from([image]), probeImageTag());
}
