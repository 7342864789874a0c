import { Readable } from "node:stream";
import type { Engine } from "../../engine/engine.js";
import { execOk, type Host } from "../../host/host.js";
import type { SshHost } from "../../host/ssh-host.js";
import { EnvironmentError, errorMessage } from "../../util/errors.js";
import { probeImageTag } from "../../util/version.js";
import { findUplink, type LabHost } from "../lab-host.js";
import { openSshTarget, parseSshUri, type SshTargetOptions } from "./ssh-engine.js";

/**
 * A Docker host the user named with `--hosts ssh://…`: commands over ssh, its
 * dockerd through a forwarded socket (dockerd never listens on TCP), exactly
 * as `doctor --host` reaches it. Its underlay is the address it uses toward
 * the other named hosts (its swarm address when it is in a swarm): VXLAN and
 * ESP between the hosts are captured there, on the host itself.
 */
export interface SshLabHost extends LabHost, AsyncDisposable {
  kind: "ssh";
  /** What the user wrote: ssh://root@h1. */
  uri: string;
  shell: SshHost;
  /** The address it uses toward the other named hosts, and the link holding it (where its underlay is captured). */
  underlayAddress: string;
  underlayIface: string;
  /** Its swarm, as found: "inactive", or active with the cluster it belongs to. */
  swarm: { state: string; clusterId?: string; nodeAddr?: string };
  engineVersion: string;
  /** The probe image as netcheck loaded it here (absent: it was already there, same id): removed when the run ends. */
  loadedProbeImage?: LoadedImage;
}

/** An image netcheck put on a host: its tag, the id it loaded, and the id the tag named before (then put back). */
export interface LoadedImage {
  tag: string;
  id: string;
  previous?: string;
}

/** Open every `ssh://` host; on any failure the ones already open are closed before the error is rethrown. */
export async function openSshLabHosts(uris: string[], opts: SshTargetOptions & { local: LabHost; signal?: AbortSignal }): Promise<SshLabHost[]> {
  const opened: { uri: string; host: SshHost; engine: Engine; close: () => Promise<void> }[] = [];
  try {
    // Side by side; every one that opened is in `opened` before a failure is rethrown (and closed then).
    const settled = await Promise.allSettled(
      uris.map(async (uri) => {
        const t = await openSshTarget(uri, opts.signal, { ...opts, requireEngine: true });
        opened.push({ uri, host: t.host, engine: t.engine, close: async () => t[Symbol.asyncDispose]() });
      }),
    );
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw failed.reason;
    opened.sort((x, y) => uris.indexOf(x.uri) - uris.indexOf(y.uri));
    const peers = opened.map((o) => parseSshUri(o.uri).host);
    return await Promise.all(opened.map(async (o, i): Promise<SshLabHost> => {
      const info = await o.engine.info(opts.signal);
      const swarm = info.Swarm as { LocalNodeState?: string; NodeAddr?: string; Cluster?: { ID?: string } } | undefined;
      const state = { state: swarm?.LocalNodeState ?? "inactive", clusterId: swarm?.Cluster?.ID, nodeAddr: swarm?.NodeAddr || undefined };
      const peer = peers[(i + 1) % peers.length]!;
      const underlay = await underlayOn(o.host, state.nodeAddr, peer, opts.signal);
      const loaded = await ensureProbeImage(opts.local.engine, o.engine, o.uri, opts.signal);
      return {
        ...(loaded ? { loadedProbeImage: loaded } : {}),
        name: o.host.name,
        kind: "ssh",
        uri: o.uri,
        engine: o.engine,
        shell: o.host,
        uplink: await findUplink(o.host, opts.signal),
        underlayAddress: underlay.address,
        underlayIface: underlay.iface,
        swarm: state,
        engineVersion: (await o.engine.version(opts.signal)).Version,
        [Symbol.asyncDispose]: o.close,
      };
    }));
  } catch (err) {
    await Promise.all(opened.map((o) => o.close().catch(() => undefined)));
    throw err;
  }
}

/**
 * The address a host uses toward the others: its swarm address when it has
 * one, else the source of its route to the next named host; and the link
 * that holds it.
 */
async function underlayOn(shell: Host, nodeAddr: string | undefined, peer: string, signal?: AbortSignal): Promise<{ address: string; iface: string }> {
  let address = nodeAddr;
  if (!address) {
    const ip = /^\d+\.\d+\.\d+\.\d+$/.test(peer) ? peer : (await shell.exec(["getent", "ahostsv4", peer], { signal })).stdout.split(/\s/)[0];
    const route = ip ? await shell.exec(["ip", "-4", "route", "get", ip], { signal }) : undefined;
    address = /\bsrc (\d+\.\d+\.\d+\.\d+)/.exec(route?.stdout ?? "")?.[1];
    // The host itself was the peer (one host named): its route to itself says lo; take its uplink's address.
    if (address?.startsWith("127.")) address = undefined;
  }
  const addrs = await execOk(shell, ["ip", "-4", "-o", "addr", "show"], { signal });
  const line = address ? addrs.stdout.split("\n").find((l) => l.includes(` inet ${address}/`)) : undefined;
  const iface = line ? /^\d+:\s+(\S+?)(@\S+)?\s/.exec(line)?.[1] : undefined;
  if (!address || !iface) {
    throw new EnvironmentError("NETCHECK_SSH_NO_UNDERLAY", `${shell.name}: cannot tell which of its addresses the other --hosts reach it on (no swarm address, no route to ${peer}).`, {
      hint: "Name the hosts by the addresses they use toward each other (e.g. the swarm's advertise addresses), or join them in one swarm first.",
    });
  }
  return { address, iface };
}

/**
 * No registry: the probe image goes in with save | load over the forwarded
 * socket, unless the same image is there. What was loaded is said, so the run
 * takes it away again (ledgered: `netcheck clean --hosts` finishes a killed run).
 */
async function ensureProbeImage(local: Engine, remote: Engine, uri: string, signal?: AbortSignal): Promise<LoadedImage | undefined> {
  const tag = probeImageTag();
  const want = await local.imageId(tag, signal);
  const had = await remote.imageId(tag, signal);
  if (want !== undefined && had === want) return undefined;
  try {
    const chunks: Buffer[] = [];
    for await (const c of (await local.saveImage(tag)) as AsyncIterable<Buffer>) chunks.push(c);
    await remote.loadImage(Readable.from([Buffer.concat(chunks)]), tag);
    const id = (await remote.imageId(tag, signal)) ?? want ?? tag;
    return { tag, id, ...(had !== undefined ? { previous: had } : {}) };
  } catch (err) {
    throw new EnvironmentError("NETCHECK_SSH_IMAGE_LOAD", `could not load the probe image ${tag} into ${uri}: ${errorMessage(err)}`, { hint: "Check the host's free disk space and that its engine accepts `docker load`.", cause: err });
  }
}
