import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { Engine } from "../../engine/engine.js";
import type { SshHost } from "../../host/ssh-host.js";
import { dockerSocket, type VmLabConfig } from "./vm-config.js";

/**
 * The VM's dockerd as a local unix socket, forwarded over ssh (`ssh -N -L
 * sock:/var/run/docker.sock`): dockerd never listens on TCP, not even on the
 * isolated network. The ssh process is detached and its pid kept next to the
 * socket so `vm down` (and a later run) can find and stop exactly it.
 */
export async function forwardDocker(cfg: VmLabConfig, vm: string, shell: SshHost, signal?: AbortSignal): Promise<Engine> {
  const sock = dockerSocket(cfg, vm);
  const engine = new Engine({ display: `unix://${sock} (ssh → ${vm}:/var/run/docker.sock)`, socketPath: sock }, vm);
  if (existsSync(sock) && (await engine.ping(signal).then(() => true, () => false))) return engine;
  stopDockerForward(cfg, vm);
  mkdirSync(dirname(sock), { recursive: true });
  const t = shell.target;
  const { execa } = await import("execa"); // loaded only here: a local run does not pay for it
  const child = execa(
    "ssh",
    ["-N", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "ExitOnForwardFailure=yes",
      "-o", "StreamLocalBindUnlink=yes", "-o", "ServerAliveInterval=15", "-i", t.identityFile!, "-L", `${sock}:/var/run/docker.sock`, `${t.user}@${t.host}`],
    { detached: true, stdio: "ignore", reject: false },
  );
  child.unref();
  writeFileSync(`${sock}.pid`, String(child.pid));
  for (let i = 0; i < 100; i++) {
    if (existsSync(sock) && (await engine.ping(signal).then(() => true, () => false))) return engine;
    await new Promise((r) => setTimeout(r, 200));
  }
  stopDockerForward(cfg, vm);
  throw new Error(`dockerd on ${vm} did not answer through ${sock} within 20s (is docker running in the VM? \`netcheck vm status\`)`);
}

export function stopDockerForward(cfg: VmLabConfig, vm: string): boolean {
  const sock = dockerSocket(cfg, vm);
  let stopped = false;
  if (existsSync(`${sock}.pid`)) {
    const pid = Number(readFileSync(`${sock}.pid`, "utf8"));
    try {
      if (pid > 0) process.kill(pid, "SIGTERM");
      stopped = true;
    } catch {
      // already gone
    }
    rmSync(`${sock}.pid`, { force: true });
  }
  rmSync(sock, { force: true });
  return stopped;
}
