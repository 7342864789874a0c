import { errorMessage } from "../util/errors.js";
import { PassThrough, type Readable } from "node:stream";
import type Docker from "dockerode";
import { DockerClient } from "./dockerode-lean.js";
import type { ExecResult } from "../host/host.js";
import { LABEL_RUN } from "../util/labels.js";
import { resolveEndpoint, type EngineEndpoint } from "./endpoint.js";
import { EngineRequestError, EngineUnreachableError, ImageMissingError, SubnetConflictError, statusCodeOf, engineMessage } from "./errors.js";

export interface NetworkSpec {
  name: string;
  driver: string;
  subnet?: string;
  gateway?: string;
  internal?: boolean;
  /** `--ipv6` with this subnet and gateway. */
  ipv6?: { subnet: string; gateway: string };
  options?: Record<string, string>;
  /** Addresses IPAM must never hand to a container (name → IP): a lab peer or router already holds them. */
  auxAddresses?: Record<string, string>;
  /** Further IPv4 subnets of the same network (no gateway of their own). */
  moreSubnets?: string[];
  labels: Record<string, string>;
}

export interface PortPublish {
  host: number;
  container: number;
  protocol?: "tcp" | "udp";
  hostIp?: string;
}

export interface ContainerSpec {
  name: string;
  image: string;
  cmd: string[];
  /** "bridge", "host", "none", "container:<id>", or a network name. */
  networkMode: string;
  /** Extra networks to connect after the first (name → optional fixed IPv4). */
  extraNetworks?: { network: string; ipv4?: string; aliases?: string[] }[];
  ipv4?: string;
  aliases?: string[];
  hostname?: string;
  dns?: string[];
  capAdd?: string[];
  capDrop?: string[];
  /** /etc/hosts entries as `name:address` (address may be "host-gateway"). */
  extraHosts?: string[];
  /** Legacy links (`--link name:alias`), default bridge only. */
  links?: string[];
  /** TCP ports the image would EXPOSE (`--expose`): what a legacy link opens under icc=false. */
  expose?: number[];
  dnsOptions?: string[];
  dnsSearch?: string[];
  publish?: PortPublish[];
  env?: Record<string, string>;
  sysctls?: Record<string, string>;
  binds?: string[];
  labels: Record<string, string>;
  /** Lab hosts only (docker-in-docker): the privileges an inner dockerd needs, since --privileged is not available everywhere. */
  privileges?: HostPrivileges;
}

/** What a docker-in-docker lab host runs with: every capability but the dropped ones, unconfined, all devices. */
export interface HostPrivileges {
  capDrop?: string[];
  securityOpt?: string[];
  /** Empty: /proc and /sys are not masked (systempaths=unconfined). */
  unmaskPaths?: boolean;
  deviceCgroupRules?: string[];
  /** Anonymous volumes (removed with the container). */
  volumes?: string[];
  tmpfs?: Record<string, string>;
  /** Run an init (docker-init) as PID 1 that reaps the host's processes. */
  init?: boolean;
}

export interface EngineExecOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  input?: string;
}

/**
 * The only importer of dockerode. Typed calls, engine errors mapped to
 * NetcheckError codes, and every call takes an AbortSignal.
 */
export class Engine {
  readonly docker: Docker;
  constructor(
    readonly endpoint: EngineEndpoint,
    /** Which lab host this engine belongs to ("local", "vm1"...). */
    readonly hostName = "local",
  ) {
    this.docker = new DockerClient(
      endpoint.socketPath ? { socketPath: endpoint.socketPath } : { host: endpoint.host, port: endpoint.port, protocol: endpoint.protocol },
    );
  }

  static fromEnv(hostName = "local"): Engine {
    return new Engine(resolveEndpoint(), hostName);
  }

  async ping(signal?: AbortSignal): Promise<void> {
    try {
      await this.docker.ping({ abortSignal: signal } as never);
    } catch (err) {
      throw new EngineUnreachableError(this.endpoint.display, err);
    }
  }

  async version(signal?: AbortSignal): Promise<Docker.DockerVersion> {
    return this.call("docker version", () => (this.docker.version as (o: object) => Promise<Docker.DockerVersion>).call(this.docker, abortable(signal)));
  }

  async info(signal?: AbortSignal): Promise<Record<string, unknown>> {
    return this.call("docker info", () => (this.docker.info as (o: object) => Promise<Record<string, unknown>>).call(this.docker, abortable(signal)));
  }

  /** `docker node ls` of a swarm manager, as the API gives it. */
  async swarmNodes(signal?: AbortSignal): Promise<{ hostname: string; state: string; availability: string; leader: boolean }[]> {
    const nodes = await this.call("docker node ls", () => (this.docker.listNodes as (o: object) => Promise<Record<string, never>[]>).call(this.docker, abortable(signal)));
    return nodes.map((n: { Description?: { Hostname?: string }; Status?: { State?: string }; Spec?: { Availability?: string }; ManagerStatus?: { Leader?: boolean } }) => ({
      hostname: n.Description?.Hostname ?? "",
      state: n.Status?.State ?? "",
      availability: n.Spec?.Availability ?? "",
      leader: n.ManagerStatus?.Leader === true,
    }));
  }

  async imageExists(tag: string, signal?: AbortSignal): Promise<boolean> {
    try {
      await this.docker.getImage(tag).inspect(abortable(signal));
      return true;
    } catch (err) {
      if (statusCodeOf(err) === 404) return false;
      throw new EngineRequestError(`inspect image ${tag}`, statusCodeOf(err), err);
    }
  }

  /** The image's id, or undefined when the engine does not have it. */
  async imageId(tag: string, signal?: AbortSignal): Promise<string | undefined> {
    try {
      return (await this.docker.getImage(tag).inspect(abortable(signal))).Id;
    } catch (err) {
      if (statusCodeOf(err) === 404) return undefined;
      throw new EngineRequestError(`inspect image ${tag}`, statusCodeOf(err), err);
    }
  }

  async imageLabels(tag: string): Promise<Record<string, string> | undefined> {
    try {
      const img = await this.docker.getImage(tag).inspect();
      return img.Config?.Labels ?? {};
    } catch (err) {
      if (statusCodeOf(err) === 404) return undefined;
      throw new EngineRequestError(`inspect image ${tag}`, statusCodeOf(err), err);
    }
  }

  async requireImage(tag: string, signal?: AbortSignal): Promise<void> {
    if (!(await this.imageExists(tag, signal))) throw new ImageMissingError(tag);
  }

  /** Build from a tar stream of the context; resolves when the engine reports the build finished. */
  async buildImage(context: Readable, tag: string, labels: Record<string, string>, signal?: AbortSignal): Promise<string[]> {
    const stream = await this.call(`build image ${tag}`, () =>
      this.docker.buildImage(context, { t: tag, labels, forcerm: true, abortSignal: signal } as Docker.ImageBuildOptions),
    );
    const log: string[] = [];
    await new Promise<void>((resolve, reject) => {
      this.docker.modem.followProgress(
        stream,
        (err: Error | null, output: { error?: string }[]) => {
          const failed = err ?? output.find((o) => o.error)?.error;
          if (failed) reject(new EngineRequestError(`build image ${tag}`, undefined, failed));
          else resolve();
        },
        (event: { stream?: string; error?: string }) => {
          if (event.stream) log.push(event.stream.trimEnd());
          if (event.error) log.push(event.error);
        },
      );
    });
    return log;
  }

  async createNetwork(spec: NetworkSpec, signal?: AbortSignal): Promise<string> {
    try {
      const net = await this.docker.createNetwork({
        Name: spec.name,
        Driver: spec.driver,
        Internal: spec.internal ?? false,
        // Swarm-scoped overlay networks refuse plain `docker run` unless attachable.
        Attachable: spec.driver === "overlay",
        CheckDuplicate: true,
        Labels: spec.labels,
        Options: spec.options ?? {},
        ...(spec.ipv6 ? { EnableIPv6: true } : {}),
        IPAM: spec.subnet
          ? {
              Driver: "default",
              Config: [
                { Subnet: spec.subnet, ...(spec.gateway ? { Gateway: spec.gateway } : {}), ...(spec.auxAddresses ? { AuxiliaryAddresses: spec.auxAddresses } : {}) },
                ...(spec.moreSubnets ?? []).map((s) => ({ Subnet: s })),
                ...(spec.ipv6 ? [{ Subnet: spec.ipv6.subnet, Gateway: spec.ipv6.gateway }] : []),
              ],
            }
          : undefined,
        abortSignal: signal,
      } as Docker.NetworkCreateOptions);
      return net.id;
    } catch (err) {
      if (spec.subnet && /overlap/i.test(engineMessage(err))) throw new SubnetConflictError(spec.name, spec.subnet, err);
      throw new EngineRequestError(`create network ${spec.name} (driver ${spec.driver})`, statusCodeOf(err), err);
    }
  }

  async inspectNetwork(idOrName: string, signal?: AbortSignal): Promise<Docker.NetworkInspectInfo> {
    return this.call(`inspect network ${idOrName}`, () => {
      const net = this.docker.getNetwork(idOrName);
      return (net.inspect as (o: object) => Promise<Docker.NetworkInspectInfo>).call(net, abortable(signal));
    });
  }

  async listNetworks(filters?: Record<string, string[]>, signal?: AbortSignal): Promise<Docker.NetworkInspectInfo[]> {
    return this.call("list networks", () => this.docker.listNetworks({ ...(filters ? { filters } : {}), abortSignal: signal }));
  }

  async removeNetwork(id: string, signal?: AbortSignal): Promise<void> {
    try {
      await this.docker.getNetwork(id).remove(abortable(signal));
    } catch (err) {
      if (statusCodeOf(err) === 404) return;
      throw new EngineRequestError(`remove network ${id}`, statusCodeOf(err), err);
    }
  }

  /**
   * Create and start; a container that fails to start (or whose start is
   * aborted) is removed, under a signal of its own, before the error is rethrown.
   */
  async runContainer(spec: ContainerSpec, signal?: AbortSignal): Promise<string> {
    const exposed: Record<string, object> = {};
    const bindings: Record<string, { HostIp?: string; HostPort: string }[]> = {};
    for (const p of spec.publish ?? []) {
      const key = `${p.container}/${p.protocol ?? "tcp"}`;
      exposed[key] = {};
      (bindings[key] ??= []).push({ HostIp: p.hostIp ?? "", HostPort: String(p.host) });
    }
    for (const port of spec.expose ?? []) exposed[`${port}/tcp`] = {};
    const userNetwork = !["bridge", "host", "none", "default"].includes(spec.networkMode) && !spec.networkMode.startsWith("container:");
    const create = (privileges: HostPrivileges | undefined) => this.call(`create container ${spec.name}`, () =>
      this.docker.createContainer({
        name: spec.name,
        Image: spec.image,
        Cmd: spec.cmd,
        Hostname: spec.networkMode === "host" || spec.networkMode.startsWith("container:") ? undefined : spec.hostname,
        Labels: spec.labels,
        Env: Object.entries(spec.env ?? {}).map(([k, v]) => `${k}=${v}`),
        ExposedPorts: exposed,
        HostConfig: {
          NetworkMode: spec.networkMode,
          // container:<id> joiners share their target's resolv.conf; the engine refuses --dns for them.
          Dns: spec.networkMode.startsWith("container:") ? undefined : spec.dns,
          CapAdd: spec.capAdd,
          CapDrop: spec.capDrop,
          ExtraHosts: spec.extraHosts,
          Links: spec.links,
          DnsOptions: spec.networkMode.startsWith("container:") ? undefined : spec.dnsOptions,
          DnsSearch: spec.networkMode.startsWith("container:") ? undefined : spec.dnsSearch,
          PortBindings: bindings,
          Sysctls: spec.sysctls,
          Binds: spec.binds,
          Init: privileges?.init ?? false,
          ...(privileges ? privilegedHostConfig(privileges) : {}),
        },
        ...(spec.privileges?.volumes ? { Volumes: Object.fromEntries(spec.privileges.volumes.map((v) => [v, {}])) } : {}),
        NetworkingConfig: userNetwork
          ? { EndpointsConfig: { [spec.networkMode]: { Aliases: spec.aliases, IPAMConfig: spec.ipv4 ? { IPv4Address: spec.ipv4 } : undefined } } }
          : undefined,
        abortSignal: signal,
      } as Docker.ContainerCreateOptions),
    );
    const container = await create(spec.privileges).catch((err: unknown) => {
      // An engine that itself runs without a capability (a dind host inside a dind host: no CAP_SYS_RESOURCE in
      // its bounding set) refuses to drop it (Docker ≥ 23 validates CapDrop). It can grant it to no one, so
      // creating without the drop gives the container exactly the same capabilities.
      if (spec.privileges?.capDrop?.length && err instanceof EngineRequestError && err.statusCode === 400 && /invalid CapDrop: .*not available in the current environment/i.test(err.message)) {
        return create({ ...spec.privileges, capDrop: undefined });
      }
      throw err;
    });
    try {
      for (const extra of spec.extraNetworks ?? []) {
        await this.call(`connect ${spec.name} to ${extra.network}`, () =>
          this.docker.getNetwork(extra.network).connect({
            Container: container.id,
            EndpointConfig: { Aliases: extra.aliases, IPAMConfig: extra.ipv4 ? { IPv4Address: extra.ipv4 } : undefined },
            ...abortable(signal),
          }),
        );
      }
      await this.call(`start container ${spec.name}`, () => container.start(abortable(signal)));
    } catch (err) {
      await this.removeContainer(container.id, AbortSignal.timeout(30_000)).catch(() => undefined);
      throw err;
    }
    return container.id;
  }

  async inspectContainer(id: string, signal?: AbortSignal): Promise<Docker.ContainerInspectInfo> {
    return this.call(`inspect container ${id}`, () => this.docker.getContainer(id).inspect(abortable(signal)));
  }

  async listContainers(filters?: Record<string, string[]>, signal?: AbortSignal): Promise<Docker.ContainerInfo[]> {
    return this.call("list containers", () => this.docker.listContainers({ all: true, filters, abortSignal: signal }));
  }

  async removeContainer(id: string, signal?: AbortSignal): Promise<void> {
    try {
      await this.docker.getContainer(id).remove({ force: true, v: true, abortSignal: signal });
    } catch (err) {
      const code = statusCodeOf(err);
      if (code === 404) return;
      // 409 "removal already in progress" is fine: someone else is removing it.
      if (code === 409 && /in progress/i.test(engineMessage(err))) return;
      throw new EngineRequestError(`remove container ${id}`, code, err);
    }
  }

  async containerLogs(id: string, signal?: AbortSignal): Promise<string> {
    const buf = (await this.call(`logs of ${id}`, () =>
      this.docker.getContainer(id).logs({ stdout: true, stderr: true, follow: false, tail: 200, abortSignal: signal }),
    )) as unknown as Buffer;
    return demuxBuffer(buf);
  }

  /**
   * Run a command in a running container. A timeout is enforced inside the
   * container with `timeout -s KILL` (the engine API cannot kill an exec), and
   * on the client as a backstop.
   */
  async exec(containerId: string, command: string[], where: string, options: EngineExecOptions = {}): Promise<ExecResult & { stdoutBytes: Buffer }> {
    const startedAt = new Date();
    const cmd = options.timeoutMs ? ["timeout", "-s", "KILL", String(Math.max(1, Math.ceil(options.timeoutMs / 1000))), ...command] : command;
    const exec = await this.call(`exec in ${where}`, () =>
      this.docker.getContainer(containerId).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true, AttachStdin: options.input !== undefined, abortSignal: options.signal }),
    );
    const stream = (await this.call(`exec in ${where}`, () =>
      exec.start({ hijack: true, stdin: options.input !== undefined }),
    )) as unknown as NodeJS.ReadWriteStream & { destroy(): void };
    const out: Buffer[] = [];
    const errOut: Buffer[] = [];
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    stdout.on("data", (c: Buffer) => out.push(c));
    stderr.on("data", (c: Buffer) => errOut.push(c));
    this.docker.modem.demuxStream(stream, stdout, stderr);
    if (options.input !== undefined) {
      stream.write(options.input);
      stream.end();
    }
    let timedOut = false;
    await new Promise<void>((resolve, reject) => {
      const backstop = options.timeoutMs ? setTimeout(() => ((timedOut = true), stream.destroy(), resolve()), options.timeoutMs + 5000) : undefined;
      const onAbort = () => {
        stream.destroy();
        reject(options.signal?.reason ?? new Error("aborted"));
      };
      options.signal?.addEventListener("abort", onAbort, { once: true });
      const done = () => {
        if (backstop) clearTimeout(backstop);
        options.signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      stream.on("end", done);
      stream.on("close", done);
      stream.on("error", (e) => (backstop && clearTimeout(backstop), reject(e)));
    });
    const info = await this.call(`exec in ${where}`, () => exec.inspect());
    let exitCode = info.ExitCode ?? (timedOut ? 137 : -1);
    if (options.timeoutMs && exitCode === 137) timedOut = true;
    const stdoutBytes = Buffer.concat(out);
    return {
      where,
      command,
      exitCode,
      stdout: stdoutBytes.toString("utf8"),
      stdoutBytes,
      stderr: Buffer.concat(errOut).toString("utf8"),
      durationMs: Date.now() - startedAt.getTime(),
      startedAt: startedAt.toISOString(),
      timedOut,
    };
  }

  /** `docker save` of one image, as a tar stream (to load it into another engine). */
  async saveImage(tag: string): Promise<NodeJS.ReadableStream> {
    return this.call(`save image ${tag}`, () => this.docker.getImage(tag).get());
  }

  /** `docker load` from a tar stream; resolves when the engine has read it all. */
  async loadImage(tar: NodeJS.ReadableStream, what: string): Promise<void> {
    const res = await this.call(`load image ${what}`, () => this.docker.loadImage(tar as never, { quiet: true } as never) as unknown as Promise<NodeJS.ReadableStream>);
    const chunks: Buffer[] = [];
    for await (const c of res as AsyncIterable<Buffer>) chunks.push(c);
    const text = Buffer.concat(chunks).toString("utf8");
    if (/"error"/.test(text)) throw new EngineRequestError(`load image ${what}`, undefined, new Error(text.slice(0, 500)));
  }

  /** A file from a container, through the archive API (binary-safe). */
  async readContainerFile(containerId: string, path: string, signal?: AbortSignal): Promise<Buffer> {
    const stream = await this.call(`copy ${path} out of ${containerId}`, () => this.docker.getContainer(containerId).getArchive({ path, abortSignal: signal }));
    const chunks: Buffer[] = [];
    for await (const c of stream as AsyncIterable<Buffer>) chunks.push(c);
    return firstFileInTar(Buffer.concat(chunks));
  }

  /** Containers and networks labelled with the given run (or any run). */
  async listLabelled(runId?: string, signal?: AbortSignal): Promise<{ containers: Docker.ContainerInfo[]; networks: Docker.NetworkInspectInfo[] }> {
    const filters = { label: [runId ? `${LABEL_RUN}=${runId}` : LABEL_RUN] };
    return { containers: await this.listContainers(filters, signal), networks: await this.listNetworks(filters, signal) };
  }

  /**
   * Remove, in bulk, every container and then every network carrying all these
   * labels: found by label, not by trusting memory, so a container whose start
   * raced a failure is removed too. Returns what could not be removed.
   */
  async removeLabelled(labels: Record<string, string>, signal?: AbortSignal): Promise<{ what: string; error: unknown }[]> {
    const filters = { label: Object.entries(labels).map(([k, v]) => `${k}=${v}`) };
    const failures: { what: string; error: unknown }[] = [];
    const removeAll = async <T>(items: T[], what: (x: T) => string, remove: (x: T) => Promise<void>) => {
      const settled = await Promise.allSettled(items.map(remove));
      settled.forEach((s, i) => s.status === "rejected" && failures.push({ what: what(items[i]!), error: s.reason }));
    };
    const containers = await this.listContainers(filters, signal);
    await removeAll(containers, (c) => `container ${c.Names?.[0] ?? c.Id}`, (c) => this.removeContainer(c.Id, signal));
    const networks = await this.listNetworks(filters, signal);
    // A swarm worker lists the swarm's overlays it has joined but cannot remove them (HTTP 503 "not a swarm
    // manager"): the manager's own sweep does. Not a failure of the worker's.
    await removeAll(networks, (n) => `network ${n.Name}`, (n) => this.removeNetwork(n.Id, signal).catch((e: unknown) => {
      if (!(n.Scope === "swarm" && /not a swarm manager/i.test(errorMessage(e)))) throw e;
    }));
    return failures;
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof EngineRequestError) throw err;
      const code = (err as { code?: string }).code;
      if (code === "ENOENT" || code === "ECONNREFUSED" || code === "EACCES") throw new EngineUnreachableError(this.endpoint.display, err);
      throw new EngineRequestError(what, statusCodeOf(err), err);
    }
  }
}

function privilegedHostConfig(p: HostPrivileges): Record<string, unknown> {
  return {
    CapAdd: ["ALL"],
    CapDrop: p.capDrop,
    SecurityOpt: p.securityOpt,
    ...(p.unmaskPaths ? { MaskedPaths: [], ReadonlyPaths: [] } : {}),
    DeviceCgroupRules: p.deviceCgroupRules,
    Tmpfs: p.tmpfs,
  };
}

/** dockerode passes `abortSignal` through every call's options; its typings omit it on some. */
function abortable(signal: AbortSignal | undefined): Record<string, never> {
  return { abortSignal: signal } as unknown as Record<string, never>;
}

/** Split the engine's multiplexed log/exec framing (8-byte headers) into text. */
export function demuxBuffer(buf: Buffer): string {
  let out = "";
  let off = 0;
  while (off + 8 <= buf.length && buf[off]! <= 2 && buf[off + 1] === 0) {
    const len = buf.readUInt32BE(off + 4);
    out += buf.subarray(off + 8, off + 8 + len).toString("utf8");
    off += 8 + len;
  }
  return off === 0 ? buf.toString("utf8") : out;
}

/** The data of the first regular file in a tar archive (ustar headers, 512-byte blocks). */
export function firstFileInTar(tar: Buffer): Buffer {
  let off = 0;
  while (off + 512 <= tar.length) {
    const header = tar.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    const size = parseInt(header.subarray(124, 136).toString("ascii").replace(/\0.*$/, "").trim() || "0", 8);
    const type = String.fromCharCode(header[156] ?? 48);
    const start = off + 512;
    if (type === "0" || type === "\0") return tar.subarray(start, start + size);
    off = start + Math.ceil(size / 512) * 512;
  }
  throw new Error("archive holds no regular file");
}
