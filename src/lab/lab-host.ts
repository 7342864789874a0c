import { readHostFile } from "../host/read-host-file.js";
import { Engine } from "../engine/engine.js";
import { execOk, type Host } from "../host/host.js";
import { LocalHost } from "../host/local-host.js";

export interface Uplink {
  name: string;
  /** The interface of the IPv6 default route, when there is one and it is another. */
  v6Name?: string;
  mtu: number;
  addresses: string[];
}

/**
 * One Docker host in a lab: the engine that runs its containers and the
 * command channel to the machine itself. A lab holds N of these (the local
 * machine today; docker-in-docker hosts, Vagrant VMs, the user's own hosts over ssh).
 */
export interface LabHost {
  name: string;
  kind: "local" | "dind" | "vm" | "ssh";
  engine: Engine;
  shell: Host;
  uplink: Uplink | undefined;
}

export async function localLabHost(signal?: AbortSignal): Promise<LabHost> {
  const shell = new LocalHost("local");
  const engine = Engine.fromEnv("local");
  await engine.ping(signal);
  return { name: "local", kind: "local", engine, shell, uplink: await findUplink(shell, signal) };
}

/** The interface of the default route: the host's way off the machine, which lab traffic must never take. */
export async function findUplink(shell: Host, signal?: AbortSignal): Promise<Uplink | undefined> {
  const route = await shell.exec(["ip", "-4", "route", "show", "default"], { signal });
  const dev = /\bdev (\S+)/.exec(route.stdout)?.[1];
  if (!dev) return undefined;
  const link = await execOk(shell, ["ip", "-o", "addr", "show", "dev", dev], { signal });
  const mtuOut = (await readHostFile(shell, `/sys/class/net/${dev}/mtu`, signal)) ?? "";
  const v6Dev = /\bdev (\S+)/.exec((await shell.exec(["ip", "-6", "route", "show", "default"], { signal })).stdout)?.[1];
  return {
    name: dev,
    ...(v6Dev && v6Dev !== dev ? { v6Name: v6Dev } : {}),
    mtu: Number(mtuOut.trim()) || 0,
    addresses: [...link.stdout.matchAll(/\binet6? (\S+)/g)].map((m) => m[1]!),
  };
}
