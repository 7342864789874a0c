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
  return new SshHost(`vm:${vm}`, { host: address, user: "root", identityFile: sshKey(cfg), options: { ConnectTimeout: "10", ServerAliveInterval: "15" } });
}

export async function vmShell(local: Host, cfg: VmLabConfig, vm: string, signal?: AbortSignal): Promise<SshHost> {
  const address = await vmAddress(local, cfg, vm, signal);
  if (!address) throw new Error(`${domainName(vm)} has no address on netcheck-vm-mgt (is it running? \`netcheck vm status\`)`);
  const shell = vmSshHost(cfg, vm, address);
  await execOk(shell, ["true"], { signal, timeoutMs: 30_000 });
  return shell;
}
