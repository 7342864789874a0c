import type { EngineEndpoint } from "../engine/endpoint.js";
import { Engine } from "../engine/engine.js";
import type { Host } from "../host/host.js";
import { execOk } from "../host/host.js";
import { LocalHost } from "../host/local-host.js";
import { EnvironmentError } from "../util/errors.js";
import { assessDaemonLeftovers, DEFAULT_DAEMON_PATHS, isLiveDockerd, listDockerdPids, removeLeftovers } from "./daemon-leftovers.js";
import { spawnDockerd, waitForEngine, DOCKERD_LOG, type SpawnedDaemon } from "./dockerd.js";
import { gatherHostFacts, isDebianLike, type HostFacts } from "./host-facts.js";
import { aptInstall, ENGINE_REQUIREMENTS, findMissing, TOOL_REQUIREMENTS } from "./packages.js";
import { withTimeout } from "../util/abort.js";

export interface EngineFacts {
  endpoint: EngineEndpoint;
  reachable: boolean;
  /** The socket error when the engine did not answer (EACCES: it runs, we may not talk to it). */
  unreachableCode?: string;
  host: HostFacts;
  /** Debian package names still to install (tools always; engine packages when the engine is local). */
  missing: string[];
}

export type EnginePlan =
  | { kind: "ready"; install: string[] }
  | { kind: "start"; install: string[]; via: "systemd" | "spawn" }
  | { kind: "manual"; error: EnvironmentError };

/** True for the default local socket: the only engine netcheck starts itself. */
export function isDefaultLocalSocket(endpoint: EngineEndpoint): boolean {
  return endpoint.socketPath === DEFAULT_DAEMON_PATHS.socket || endpoint.socketPath === "/run/docker.sock";
}

/** What to do, decided from facts alone (unit-tested without touching the machine). */
export function planEngineSetup(facts: EngineFacts, options: { install: boolean }): EnginePlan {
  const { host, endpoint, missing } = facts;
  const canInstall = options.install && host.isRoot && isDebianLike(host.os);
  if (missing.length > 0 && !canInstall) return { kind: "manual", error: installInstructions(facts, options.install) };
  const install = missing;
  if (facts.reachable) return { kind: "ready", install };
  if (facts.unreachableCode === "EACCES") {
    return {
      kind: "manual",
      error: new EnvironmentError("NETCHECK_ENGINE_PERMISSION", `The Docker engine at ${endpoint.display} refused this user (permission denied on the socket).`, {
        hint: "Run netcheck with sudo, or add the user to the docker group (`sudo usermod -aG docker $USER`, then log in again).",
      }),
    };
  }
  if (!isDefaultLocalSocket(endpoint)) {
    return {
      kind: "manual",
      error: new EnvironmentError("NETCHECK_ENGINE_UNREACHABLE", `No Docker engine answers at ${endpoint.display} (from DOCKER_HOST), and netcheck only starts the local default one.`, {
        hint: "Start the engine DOCKER_HOST points at, or unset DOCKER_HOST to use /var/run/docker.sock.",
      }),
    };
  }
  if (!host.isRoot) {
    return {
      kind: "manual",
      error: new EnvironmentError("NETCHECK_ENGINE_NOT_RUNNING", `No Docker engine answers at ${endpoint.display}, and starting dockerd needs root.`, {
        hint: host.hasSystemd ? "Run `sudo systemctl start docker` (or `sudo netcheck setup`)." : `Run \`sudo netcheck setup\`, or start it yourself: \`sudo dockerd >${DOCKERD_LOG} 2>&1 &\`.`,
      }),
    };
  }
  return { kind: "start", install, via: host.hasSystemd ? "systemd" : "spawn" };
}

function installInstructions(facts: EngineFacts, installAllowed: boolean): EnvironmentError {
  const { host, missing } = facts;
  const why = !installAllowed ? "--no-install was given" : !host.isRoot ? "it is not running as root" : `${host.os.prettyName} is not Debian or Ubuntu`;
  const how = isDebianLike(host.os)
    ? `Install them: \`sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y ${missing.join(" ")}\`${host.isRoot ? "" : ", or run `sudo netcheck setup`"}.`
    : `Install the equivalents with your package manager (Docker Engine with dockerd, iptables, iperf3, tcpdump, a static busybox), start dockerd, then rerun \`netcheck setup\`.`;
  return new EnvironmentError("NETCHECK_PACKAGES_MISSING", `The host lacks ${missing.join(", ")}, and netcheck will not install them because ${why}.`, { hint: how });
}

export interface EnsureEngineOptions {
  signal?: AbortSignal;
  log?: (line: string) => void;
  /** Install missing packages with apt-get (root on Debian/Ubuntu only). */
  install: boolean;
  /** How long to wait for a started engine's API. */
  startTimeoutMs?: number;
}

export interface EnsuredEngine {
  engine: Engine;
  endpoint: string;
  version: string;
  apiVersion: string;
  installed: string[];
  /** How the engine came to answer: it already did, we spawned dockerd, systemd started it, or a starting dockerd finished. */
  started: "already-running" | "spawned" | "systemd" | "waited";
}

/** Find the engine; on a fresh root Debian install the packages and start dockerd. Idempotent. */
export async function ensureEngine(options: EnsureEngineOptions): Promise<EnsuredEngine> {
  const { signal, log = () => undefined } = options;
  const local = new LocalHost();
  const engine = Engine.fromEnv();
  const host = await gatherHostFacts();
  const pingError = await engine.ping(withTimeout(5000, signal)).then(
    () => undefined,
    (err: unknown) => err,
  );
  const reachable = pingError === undefined;
  const unreachableCode = ((pingError as { cause?: { code?: string } } | undefined)?.cause?.code);
  const reqs = [...TOOL_REQUIREMENTS, ...(isDefaultLocalSocket(engine.endpoint) ? ENGINE_REQUIREMENTS : [])];
  const missing = await findMissing(local, reqs, isDebianLike(host.os), signal);
  log(`engine at ${engine.endpoint.display}: ${reachable ? "answering" : "not answering"}; missing packages: ${missing.join(", ") || "none"}`);
  const plan = planEngineSetup({ endpoint: engine.endpoint, reachable, unreachableCode, host, missing }, options);
  if (plan.kind === "manual") throw plan.error;
  if (plan.install.length > 0) await aptInstall(local, plan.install, { signal, log });
  let started: EnsuredEngine["started"] = "already-running";
  // apt's postinst may have started the daemon already (systemd, or sysvinit's invoke-rc.d).
  if (plan.kind === "start" && !(await engine.ping(AbortSignal.timeout(3000)).then(() => true, () => false))) {
    started = await startEngine(local, engine, plan.via, { ...options, log });
  }
  const v = await engine.version();
  return { engine, endpoint: engine.endpoint.display, version: v.Version, apiVersion: v.ApiVersion, installed: plan.install, started };
}

async function startEngine(local: Host, engine: Engine, via: "systemd" | "spawn", options: EnsureEngineOptions & { log: (l: string) => void }): Promise<EnsuredEngine["started"]> {
  const { signal, log } = options;
  const wait = (daemon?: SpawnedDaemon) => waitForEngine(engine, { signal, daemon, timeoutMs: options.startTimeoutMs ?? 60_000, startedHere: daemon !== undefined || via === "systemd" });
  if (via === "systemd") {
    log("systemctl start docker");
    await execOk(local, ["systemctl", "start", "docker"], { signal, timeoutMs: 120_000 });
    await wait();
    return "systemd";
  }
  // A dockerd that init (or apt's postinst) just launched may not have written its pid file yet.
  const running = await listDockerdPids();
  if (running.length > 0) {
    log(`dockerd (pid ${running.join(", ")}) is running but not answering yet; waiting for it`);
    await wait();
    return "waited";
  }
  const leftovers = await assessDaemonLeftovers(DEFAULT_DAEMON_PATHS, (pid) => isLiveDockerd(pid));
  if (leftovers.kind === "running") {
    log(`dockerd (pid ${leftovers.pid}) is running but not answering yet; waiting for it`);
    await wait();
    return "waited";
  }
  if (leftovers.remove.length > 0) log(`removing what a dead dockerd left behind: ${leftovers.remove.join(", ")}`);
  await removeLeftovers(leftovers);
  const daemon = spawnDockerd();
  log(`started dockerd (pid ${daemon.pid}), log in ${DOCKERD_LOG}; waiting for its API`);
  await wait(daemon);
  return "spawned";
}
