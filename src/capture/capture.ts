import { rm, writeFile } from "node:fs/promises";
import { basename } from "node:path";
import { commandLine, type Host } from "../host/host.js";
import { PidNetnsHost } from "../host/pid-netns-host.js";
import type { LabHost } from "../lab/lab-host.js";
import type { RunLab } from "../lab/run-lab.js";
import type { ScenarioLab } from "../lab/scenario-lab.js";
import type { StartedNode } from "../lab/started.js";
import { Capture } from "../pcap/index.js";
import type { Artifact } from "../report/model.js";
import { errorMessage } from "../util/errors.js";
import { startTcpdump, type TcpdumpProcess } from "./capture-process.js";
import { reserveCapturePath } from "./capture-file.js";
import { CaptureError, UnsafeCaptureError } from "./errors.js";
import { startSidecar, type CaptureSidecar } from "./sidecar.js";
import type { TcpdumpLog } from "./tcpdump.js";

/** Where to listen: inside a node's namespace, on a lab host's interface, or in the external host. */
export type CapturePoint =
  /** Nodes on this machine or a VM are entered with nsenter; others (or `sidecar: true`) get a capture sidecar in their namespace. */
  | { kind: "node"; node: StartedNode; iface?: string; sidecar?: boolean }
  | { kind: "host"; labHost: LabHost; iface: string }
  | { kind: "external"; iface?: string }
  /** A namespace the lab built (a segment's switch/peer, a router), entered through its own shell. */
  | { kind: "netns"; shell: Host; labHost: LabHost; iface: string };

/** What a capture needs from the running scenario; a CheckContext is one. */
export interface CaptureEnv {
  run: RunLab;
  lab: ScenarioLab;
  reportDir: string;
}

export interface CaptureOptions {
  /** File stem: `<reportDir>/<scenario slug>/<name>.pcap`. */
  name: string;
  filter?: string;
  /** `timeout` bound on tcpdump (default 120 s). */
  maxSeconds?: number;
  /** Words for the artifact list ("external host eth0: the published-port flow"). */
  description?: string;
  signal?: AbortSignal;
}

export interface CaptureFile {
  name: string;
  /** Absolute path, and the path relative to the report folder (Artifact.path). */
  path: string;
  relPath: string;
  /** "container:nc-…-server eth0", "netns:netcheck-ext-… eth0". */
  where: string;
  capture: Capture;
  log: TcpdumpLog;
  artifact: Artifact;
}

export interface StartedCapture extends AsyncDisposable {
  readonly name: string;
  readonly where: string;
  readonly relPath: string;
  /** Flush and close the file, copy it out, decode it. Idempotent. */
  stop(): Promise<CaptureFile>;
}

/**
 * Start tcpdump at `point` and resolve once it is listening, so no packet sent
 * afterwards is missed. Always bounded by `timeout`, registered in the
 * scenario's cleanup; `await using` stops it at the end of the block.
 */
export async function startCapture(env: CaptureEnv, point: CapturePoint, opts: CaptureOptions): Promise<StartedCapture> {
  const maxSeconds = opts.maxSeconds ?? 120;
  const { path, relPath } = await reserveCapturePath(env.reportDir, env.lab.slug, opts.name);
  let sidecar: CaptureSidecar | undefined;
  let shell: Host;
  let iface: string;
  let remoteFile = path;
  let remote: { shell: Host; file: string } | undefined;
  if (point.kind === "node") {
    iface = point.iface ?? "eth0";
    // A host-network node's namespace is the host's: its eth0 is the real uplink.
    if (point.node.networkMode === "host") refuseUplink(iface, point.node.labHost, `node ${point.node.name} (host network)`, !point.iface);
    const labHost = point.node.labHost;
    if ((labHost.kind === "local" || labHost.kind === "vm") && !point.sidecar) {
      // Enter the node's namespace from its host (root there: this machine, or a VM over ssh): no sidecar
      // container to start (~0.5 s here; on a TCG VM 4–8 s alone and 43 s each with four at once, measured),
      // and on a VM each step is an ssh round trip, not a `docker exec` (2.5–10 s there).
      const pid = (await labHost.engine.inspectContainer(point.node.containerId, opts.signal)).State.Pid;
      if (!pid) throw new CaptureError(`cannot capture in node ${point.node.name}: its container is not running`);
      shell = new PidNetnsHost(labHost.shell, pid, point.node.shell.name);
      // A VM writes on its own disk; the file is copied out over ssh at stop.
      if (labHost.kind === "vm") remote = { shell: labHost.shell, file: `/tmp/netcheck-cap-${basename(relPath, ".pcap")}-${process.pid}.pcap` };
    } else {
      // The reserved stem (name, name-2…) keeps a retry's sidecar and file apart from the last attempt's.
      const stem = basename(relPath, ".pcap");
      sidecar = await startSidecar(env.lab, point.node, stem, maxSeconds + 30);
      shell = sidecar.shell;
      remoteFile = `/tmp/${stem}.pcap`;
    }
  } else if (point.kind === "host") {
    iface = point.iface;
    refuseUplink(iface, point.labHost, `lab host ${point.labHost.name}`, false);
    shell = point.labHost.shell;
    // A VM or dind host writes on its own disk; the file is copied out over its command channel at stop.
    if (point.labHost.kind !== "local") remote = { shell, file: `/tmp/netcheck-cap-${basename(relPath, ".pcap")}-${process.pid}.pcap` };
  } else if (point.kind === "netns") {
    iface = point.iface;
    shell = point.shell;
    if (point.labHost.kind !== "local") remote = { shell, file: `/tmp/netcheck-cap-${basename(relPath, ".pcap")}-${process.pid}.pcap` };
  } else {
    iface = point.iface ?? "eth0";
    shell = env.run.external.shell;
    if (env.run.external.labHost.kind !== "local") remote = { shell, file: `/tmp/netcheck-cap-${basename(relPath, ".pcap")}-${process.pid}.pcap` };
  }
  if (remote) remoteFile = remote.file;
  const where = `${shell.name} ${iface}`;
  const logFile = sidecar || remote ? remoteFile.replace(/\.pcap$/, ".log") : `${path}.log`;
  let proc: TcpdumpProcess;
  try {
    proc = await startTcpdump(shell, { iface, file: remoteFile, filter: opts.filter, maxSeconds, logFile, signal: opts.signal });
  } catch (err) {
    await sidecar?.remove().catch(() => undefined);
    throw err instanceof CaptureError ? err : new CaptureError(`could not start tcpdump at ${where}: ${errorMessage(err)}`, { cause: err });
  }
  let result: Promise<CaptureFile> | undefined;
  const finish = async (): Promise<CaptureFile> => {
    const log = await proc.stop();
    try {
      if (sidecar) {
        await writeFile(path, await sidecar.shell.engine.readContainerFile(sidecar.id, remoteFile));
        // Its file is out: the container goes in the background (a second or more on a busy dind host, and the
        // check waited for it). The scenario's teardown awaits the same removal and reports it if it failed.
        sidecar.remove().catch(() => undefined);
      } else if (remote) {
        await writeFile(path, await copyOut(remote.shell, remote.file));
      } else {
        await rm(logFile, { force: true });
      }
    } catch (err) {
      throw new CaptureError(`could not copy the capture from ${where} to ${path}: ${errorMessage(err)}`, { cause: err });
    }
    const capture = await Capture.fromFile(path);
    const description = opts.description ?? `tcpdump at ${where}${opts.filter ? ` (${opts.filter})` : ""}`;
    return { name: opts.name, path, relPath, where, capture, log, artifact: { kind: "pcap", path: relPath, description } };
  };
  const stop = () => (result ??= finish());
  env.lab.cleanup.defer(`capture ${opts.name}`, () => stop().catch(() => undefined));
  return {
    name: opts.name,
    where,
    relPath,
    stop,
    async [Symbol.asyncDispose]() {
      await stop().catch(() => undefined);
    },
  };
}

function refuseUplink(iface: string, labHost: LabHost, where: string, defaulted: boolean): void {
  // A host the user named with --hosts: its link toward the other named hosts is the underlay they asked to
  // test (its every capture is filtered to the pair of host addresses), even when it is the host's uplink.
  if (labHost.kind === "ssh" && !defaulted && iface === (labHost as { underlayIface?: string }).underlayIface) return;
  const uplink = labHost.uplink?.name;
  if (defaulted || iface === "any" || iface === uplink || (!uplink && iface === "eth0")) throw new UnsafeCaptureError(iface, where);
}

/** A capture file on a remote lab host, read over its command channel (ExecResult is text: base64) and removed there. */
async function copyOut(shell: Host, file: string): Promise<Buffer> {
  // One round trip: on a TCG VM each costs seconds.
  const b64 = await shell.exec(["sh", "-c", `base64 -w0 ${commandLine([file])}; s=$?; rm -f ${commandLine([file, file.replace(/\.pcap$/, ".log")])}; exit $s`], { timeoutMs: 60_000 });
  if (b64.exitCode !== 0) throw new Error(`no capture file on ${shell.name}: ${b64.stderr.trim()}`);
  return Buffer.from(b64.stdout.trim(), "base64");
}
