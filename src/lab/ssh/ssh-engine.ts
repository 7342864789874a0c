import { mkdtemp, rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Engine } from "../../engine/engine.js";
import { SshHost, type SshTarget } from "../../host/ssh-host.js";
import { UsageError, EnvironmentError } from "../../util/errors.js";
import { checkedHostKeyOptions, hostKeyError, hostKeyRefused } from "./known-hosts.js";

/** `ssh://[user@]host[:port]` → an ssh target; anything else is a usage error. */
export function parseSshUri(uri: string): SshTarget {
  const m = /^ssh:\/\/(?:([^@/]+)@)?(\[[^\]]+\]|[^:/]+)(?::(\d+))?\/?$/.exec(uri);
  if (!m) throw new UsageError(`not an ssh:// address: ${uri}`, { hint: "Use `netcheck doctor --host ssh://user@host[:port]`." });
  return { host: m[2]!.replace(/^\[|\]$/g, ""), user: m[1], port: m[3] ? Number(m[3]) : undefined };
}

/** `--hosts a,b --hosts c` → [a, b, c]. */
export function sshUris(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((h) => h.split(",")).map((h) => h.trim()).filter(Boolean);
}

export interface SshTargetOptions {
  identityFile?: string;
  options?: Record<string, string>;
  /** A lab host needs its engine: a host whose dockerd does not answer is an error (doctor reports it as a finding instead). */
  requireEngine?: boolean;
}

export interface RemoteDoctorTarget extends AsyncDisposable {
  host: SshHost;
  engine: Engine;
}

/**
 * A remote engine for doctor, over the same Host abstraction the VM lab uses:
 * commands through `SshHost`, the engine's socket forwarded to a private local
 * socket with `ssh -N -L` (dockerd never has to listen on TCP). Disposing stops
 * the forward and removes the socket's folder.
 */
export async function openSshTarget(uri: string, signal?: AbortSignal, extra: SshTargetOptions = {}): Promise<RemoteDoctorTarget> {
  const dir = await mkdtemp(join(tmpdir(), "netcheck-ssh-"));
  const sock = join(dir, "docker.sock");
  // ConnectTimeout 30: the VM lab's qemu TCG VMs under load took over 10 s to exchange ssh banners.
  // The forward is the connection's master: every command rides on it (no ssh handshake per command, which
  // took run overlay/swarm over two hosts from 109 s to 86 s); with it gone, a command connects on its own.
  const control = join(dir, "cm");
  // Host keys: accepted on first use into netcheck's own known_hosts, checked ever after (unless the caller says otherwise).
  const target: SshTarget = { ...parseSshUri(uri), identityFile: extra.identityFile, options: { ConnectTimeout: "30", ServerAliveInterval: "15", ...checkedHostKeyOptions(), ...extra.options, ControlPath: control, ControlMaster: "no" } };
  const host = new SshHost(`ssh:${target.user ? `${target.user}@` : ""}${target.host}`, target);
  const args = ["-N", "-o", "BatchMode=yes", "-o", "ExitOnForwardFailure=yes", "-o", "StreamLocalBindUnlink=yes", ...Object.entries({ ...target.options, ControlMaster: "yes" }).flatMap(([k, v]) => ["-o", `${k}=${v}`]), ...(target.identityFile ? ["-i", target.identityFile] : []), ...(target.port ? ["-p", String(target.port)] : []), "-L", `${sock}:/var/run/docker.sock`, target.user ? `${target.user}@${target.host}` : target.host];
  const { execa } = await import("execa"); // loaded only here: a local run does not pay for it
  const child = execa("ssh", args, { reject: false, stdin: "ignore" });
  const close = async () => {
    child.kill("SIGTERM");
    await child.catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };
  const engine = new Engine({ display: `${uri} (ssh -L → /var/run/docker.sock)`, socketPath: sock }, host.name);
  const deadline = Date.now() + 15_000;
  for (let failed = 0; Date.now() < deadline; ) {
    if (signal?.aborted || child.exitCode !== null) break;
    if (existsSync(sock)) {
      if (await engine.ping(AbortSignal.timeout(2000)).then(() => true, () => false)) return { host, engine, [Symbol.asyncDispose]: close };
      // The forward listens here whatever is at the far end: no socket there is no engine, not a slow one.
      if (failed++ % 3 === 0 && (await host.exec(["test", "-S", "/var/run/docker.sock"], { signal, timeoutMs: 10_000 })).exitCode === 1) break;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const res = child.exitCode !== null ? await child : undefined;
  await close();
  // The engine may be down while ssh works: doctor still runs, and its engine finding says so.
  const shell = await host.exec(["true"], { signal, timeoutMs: 15_000 });
  if (shell.exitCode !== 0 && hostKeyRefused(`${shell.stderr}\n${res?.stderr ?? ""}`)) {
    throw hostKeyError(uri, target.host, target.port, `${shell.stderr}\n${res?.stderr ?? ""}`, target.options?.UserKnownHostsFile);
  }
  if (shell.exitCode !== 0) {
    throw new EnvironmentError("NETCHECK_SSH_UNREACHABLE", `Cannot run commands on ${uri} over ssh: ${(shell.stderr || res?.stderr || "").trim() || `exit ${shell.exitCode}`}`, {
      hint: "Check that `ssh <user>@<host> true` works without a password prompt (key authentication; netcheck runs ssh with BatchMode=yes).",
    });
  }
  if (extra.requireEngine) {
    const docker = await host.exec(["docker", "version", "--format", "{{.Server.Version}}"], { signal, timeoutMs: 30_000 });
    // 255 is ssh's own failure (a dropped or timed-out connection), not the remote command's: no verdict on Docker.
    if (docker.exitCode === 255 || docker.timedOut) {
      throw new EnvironmentError("NETCHECK_SSH_UNREACHABLE", `${uri} answered ssh once, then not: ${docker.stderr.trim() || (docker.timedOut ? "timed out" : "exit 255")}; its Docker engine was not reached through the forwarded socket either.`, {
        hint: "Retry when the host answers ssh steadily (`ssh <user>@<host> docker version`).",
      });
    }
    const said = (docker.stderr || docker.stdout || res?.stderr || "").trim().split("\n").slice(-2).join(" | ");
    throw new EnvironmentError("NETCHECK_SSH_NO_DOCKER", `${uri} answers over ssh, but its Docker engine does not: /var/run/docker.sock could not be reached through ssh (${said || `docker version exited ${docker.exitCode}`}).`, {
      hint: `Install and start Docker on ${target.host} (\`ssh ${target.user ? `${target.user}@` : ""}${target.host} docker version\` must answer), or leave it out of --hosts.`,
    });
  }
  return { host, engine, [Symbol.asyncDispose]: async () => undefined };
}
