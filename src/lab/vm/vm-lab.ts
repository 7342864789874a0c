import { existsSync } from "node:fs";
import { join } from "node:path";
import { execOk, type Host } from "../../host/host.js";
import { LocalHost } from "../../host/local-host.js";
import type { LabHost } from "../lab-host.js";
import { stopDockerForward } from "./docker-forward.js";
import { ensureLibvirtNetworks, removeLibvirtNetworks } from "./libvirt-networks.js";
import { boxFile, domainName, vmEnv, vmLabConfig, vmNames, type VmLabConfig } from "./vm-config.js";
import { vmLabHost, vmLabHosts } from "./vm-lab-host.js";
import { vmAddress, vmSshHost } from "./vm-shell.js";
import { provisionVms } from "./vm-provision.js";

export interface VmOpts {
  cfg?: VmLabConfig;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

const BOX = "netcheck/bookworm";

/** libvirtd and virtlogd, started by hand: this machine has no systemd. */
export async function ensureLibvirtd(local: Host, cfg: VmLabConfig, signal?: AbortSignal): Promise<void> {
  if ((await local.exec(["virsh", "-c", cfg.libvirtUri, "version"], { signal })).exitCode === 0) return;
  await local.exec(["virtlogd", "-d"], { signal });
  await execOk(local, ["libvirtd", "-d"], { signal });
  for (let i = 0; i < 50; i++) {
    if ((await local.exec(["virsh", "-c", cfg.libvirtUri, "version"], { signal })).exitCode === 0) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("libvirtd did not start (apt-get install libvirt-daemon-system qemu-system-x86 vagrant-libvirt)");
}

/** Build the box with vagrant/build-box.sh (debootstrap from the Debian mirror) and add it to Vagrant. */
export async function buildBox(opts: VmOpts & { force?: boolean } = {}): Promise<{ seconds: number }> {
  const cfg = opts.cfg ?? vmLabConfig();
  const local = new LocalHost();
  const t0 = Date.now();
  if (opts.force || !existsSync(boxFile(cfg))) await execOk(local, [join(cfg.vagrantDir, "build-box.sh"), cfg.stateDir], { signal: opts.signal, timeoutMs: 3_600_000 });
  await execOk(local, [...vmEnv(cfg), "vagrant", "box", "add", "--force", "--name", BOX, boxFile(cfg)], { signal: opts.signal, timeoutMs: 600_000 });
  // vagrant-libvirt caches the box as a pool volume: drop it so the new image is used.
  await removeVolumes(local, cfg, (v) => v.includes("VAGRANTSLASH"), opts.signal);
  return { seconds: (Date.now() - t0) / 1000 };
}

export async function vmUp(opts: VmOpts = {}): Promise<{ hosts: LabHost[]; timings: Record<string, number> }> {
  const cfg = opts.cfg ?? vmLabConfig();
  const log = opts.log ?? (() => {});
  const local = new LocalHost();
  const timings: Record<string, number> = {};
  await ensureLibvirtd(local, cfg, opts.signal);
  const boxes = await local.exec([...vmEnv(cfg), "vagrant", "box", "list"], { signal: opts.signal });
  if (!boxes.stdout.includes(BOX)) {
    log(`box ${BOX} not found: building it (debootstrap, a few minutes)`);
    timings.boxBuildS = (await buildBox({ ...opts, cfg })).seconds;
  }
  await ensureLibvirtNetworks(local, cfg.libvirtUri, opts.signal);
  let t = Date.now();
  log(`vagrant up ${vmNames(cfg).join(" ")} (qemu TCG)…`);
  await execOk(local, [...vmEnv(cfg), "vagrant", "up", "--no-tty", "--provider=libvirt"], { signal: opts.signal, timeoutMs: 1_800_000 });
  timings.vagrantUpS = (Date.now() - t) / 1000;
  t = Date.now();
  const hosts = await vmLabHosts({ cfg, signal: opts.signal });
  await provisionVms(hosts, { signal: opts.signal, log });
  timings.provisionS = (Date.now() - t) / 1000;
  return { hosts, timings };
}

/** Remove every VM, volume, libvirt network and socket forward of the lab, found by name (works after a kill -9). */
export async function vmDown(opts: VmOpts = {}): Promise<string[]> {
  const cfg = opts.cfg ?? vmLabConfig();
  const local = new LocalHost();
  const removed: string[] = [];
  for (const vm of vmNames(cfg)) if (stopDockerForward(cfg, vm)) removed.push(`docker socket forward ${vm}`);
  if ((await local.exec(["virsh", "-c", cfg.libvirtUri, "version"], { signal: opts.signal })).exitCode !== 0) return removed;
  await local.exec([...vmEnv(cfg), "vagrant", "destroy", "-f"], { signal: opts.signal, timeoutMs: 600_000 });
  const doms = await local.exec(["virsh", "-c", cfg.libvirtUri, "list", "--all", "--name"], { signal: opts.signal });
  for (const d of doms.stdout.split("\n").map((s) => s.trim()).filter((s) => s.startsWith("netcheck-"))) {
    await local.exec(["virsh", "-c", cfg.libvirtUri, "destroy", d], { signal: opts.signal });
    if ((await local.exec(["virsh", "-c", cfg.libvirtUri, "undefine", d, "--nvram"], { signal: opts.signal })).exitCode === 0) removed.push(`VM ${d}`);
  }
  removed.push(...(await removeVolumes(local, cfg, () => true, opts.signal)));
  removed.push(...(await removeLibvirtNetworks(local, cfg.libvirtUri, opts.signal)));
  return removed;
}

async function removeVolumes(local: Host, cfg: VmLabConfig, which: (name: string) => boolean, signal?: AbortSignal): Promise<string[]> {
  const removed: string[] = [];
  const vols = await local.exec(["virsh", "-c", cfg.libvirtUri, "vol-list", "default", "--details"], { signal });
  for (const m of vols.stdout.matchAll(/^\s*(netcheck-\S+)\s/gm)) {
    if (!which(m[1]!)) continue;
    if ((await local.exec(["virsh", "-c", cfg.libvirtUri, "vol-delete", "--pool", "default", m[1]!], { signal })).exitCode === 0) removed.push(`disk image ${m[1]}`);
  }
  return removed;
}

/**
 * For `netcheck clean`: the VMs that answer now (to sweep like the local
 * engine), and those that exist but do not answer (their ledgered undo steps
 * must wait). No libvirtd, or no VM defined: no VM lab, nothing to sweep.
 */
export async function vmLabHostsToSweep(opts: VmOpts = {}): Promise<{ hosts: LabHost[]; unreachable: string[] }> {
  const cfg = opts.cfg ?? vmLabConfig();
  const local = new LocalHost();
  const out: { hosts: LabHost[]; unreachable: string[] } = { hosts: [], unreachable: [] };
  if ((await local.exec(["virsh", "-c", cfg.libvirtUri, "version"], { signal: opts.signal, timeoutMs: 10_000 }).catch(() => undefined))?.exitCode !== 0) return out;
  for (const vm of vmNames(cfg)) {
    const st = await local.exec(["virsh", "-c", cfg.libvirtUri, "domstate", domainName(vm)], { signal: opts.signal });
    if (st.exitCode !== 0) continue;
    try {
      if (st.stdout.trim() !== "running") throw new Error(st.stdout.trim());
      out.hosts.push(await vmLabHost(vm, { cfg, local, signal: opts.signal }));
    } catch {
      out.unreachable.push(vm);
    }
  }
  return out;
}

export interface VmStatusLine {
  vm: string;
  state: string;
  address?: string;
  docker?: string;
  swarm?: string;
}

export async function vmStatus(opts: VmOpts = {}): Promise<VmStatusLine[]> {
  const cfg = opts.cfg ?? vmLabConfig();
  const local = new LocalHost();
  const out: VmStatusLine[] = [];
  for (const vm of vmNames(cfg)) {
    const st = await local.exec(["virsh", "-c", cfg.libvirtUri, "domstate", domainName(vm)], { signal: opts.signal });
    const line: VmStatusLine = { vm, state: st.exitCode === 0 ? st.stdout.trim() : "not created" };
    if (line.state === "running") {
      line.address = await vmAddress(local, cfg, vm, opts.signal);
      if (line.address) {
        const r = await vmSshHost(cfg, vm, line.address).exec(["sh", "-c", "systemctl is-active docker; docker info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null"], { signal: opts.signal, timeoutMs: 20_000 });
        const [docker, swarm] = r.stdout.trim().split("\n");
        Object.assign(line, { docker: docker || `unreachable (${r.stderr.trim()})`, swarm });
      }
    }
    out.push(line);
  }
  return out;
}
