import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { execOk, type Host } from "../../host/host.js";
import { SshHost } from "../../host/ssh-host.js";
import { domainName, sshKey, type VmLabConfig } from "./vm-config.js";

/** The VM's management address, from libvirt's DHCP lease (fast; `vagrant ssh-config` takes seconds). */
export async function vmAddress(local: Host, cfg: VmLabConfig, vm: string, signal?: AbortSignal): Promise<string | undefined> {
  const res = await local.exec(["virsh", "-c", cfg.libvirtUri, "domifaddr", domainName(vm), "--source", "lease"], { signal });
  return /\b(10\.214\.89\.\d+)\//.exec(res.stdout)?.[1];
}

/** Root over ssh with the box's own key: no sudo in evidence, tcpdump/ip run as they do locally. */
export function vmSshHost(cfg: VmLabConfig, vm: string, address: string): SshHost {
  mkdirSync(join(cfg.stateDir, "run"), { recursive: true });
  // Measured at load 20–34: a fresh ssh to a TCG VM took 10–33 s (banner exchange), so one connection is
  // kept and shared (ControlMaster), and the connect deadline is a minute, not 10 s.
  return new SshHost(`vm:${vm}`, {
    host: address,
    user: "root",
    identityFile: sshKey(cfg),
    options: { ConnectTimeout: "60", ServerAliveInterval: "15", ControlMaster: "auto", ControlPath: join(cfg.stateDir, "run", `${vm}.ssh`), ControlPersist: "120" },
  });
}

export async function vmShell(local: Host, cfg: VmLabConfig, vm: string, signal?: AbortSignal): Promise<SshHost> {
  const address = await vmAddress(local, cfg, vm, signal);
  if (!address) throw new Error(`${domainName(vm)} has no address on netcheck-vm-mgt (is it running? \`netcheck vm status\`)`);
  const shell = vmSshHost(cfg, vm, address);
  await execOk(shell, ["true"], { signal, timeoutMs: 30_000 });
  return shell;
}
