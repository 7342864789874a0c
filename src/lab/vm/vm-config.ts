import { join } from "node:path";
import { projectRoot } from "../../util/version.js";

/** Where the VM lab keeps its box, key, Vagrant state and socket forwards (outside the repo). */
export interface VmLabConfig {
  stateDir: string;
  /** The folder holding vagrant/Vagrantfile. */
  vagrantDir: string;
  /** How many VMs `vm up` brings up (vm1..vmN). */
  count: number;
  libvirtUri: string;
}

export function vmLabConfig(overrides: Partial<VmLabConfig> = {}): VmLabConfig {
  return {
    stateDir: process.env.NETCHECK_VM_STATE ?? "/var/lib/netcheck/vm",
    vagrantDir: join(projectRoot(), "vagrant"),
    count: Number(process.env.NETCHECK_VMS ?? 2),
    libvirtUri: "qemu:///system",
    ...overrides,
  };
}

export const vmNames = (cfg: VmLabConfig): string[] => Array.from({ length: cfg.count }, (_, i) => `vm${i + 1}`);
export const domainName = (vm: string): string => `netcheck-${vm}`;
export const sshKey = (cfg: VmLabConfig): string => join(cfg.stateDir, "ssh", "id_ed25519");
export const boxFile = (cfg: VmLabConfig): string => join(cfg.stateDir, "box", "netcheck-bookworm.box");
export const dockerSocket = (cfg: VmLabConfig, vm: string): string => join(cfg.stateDir, "run", `${vm}-docker.sock`);

/** argv prefix for vagrant/virsh: state under stateDir, never ~/.vagrant.d or the repo. */
export function vmEnv(cfg: VmLabConfig): string[] {
  return [
    "env",
    `VAGRANT_HOME=${join(cfg.stateDir, "vagrant.d")}`,
    `VAGRANT_DOTFILE_PATH=${join(cfg.stateDir, "dot")}`,
    `VAGRANT_CWD=${cfg.vagrantDir}`,
    "VAGRANT_DEFAULT_PROVIDER=libvirt",
    `LIBVIRT_DEFAULT_URI=${cfg.libvirtUri}`,
    `NETCHECK_VM_STATE=${cfg.stateDir}`,
    `NETCHECK_VMS=${cfg.count}`,
  ];
}
