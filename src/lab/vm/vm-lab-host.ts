import type { Host } from "../../host/host.js";
import { EnvironmentError } from "../../util/errors.js";
import { LocalHost } from "../../host/local-host.js";
import { findUplink, type LabHost } from "../lab-host.js";
import { forwardDocker } from "./docker-forward.js";
import { vmLabConfig, vmNames, type VmLabConfig } from "./vm-config.js";
import { vmShell } from "./vm-shell.js";

/** One running VM as a lab host: commands over ssh as root, its dockerd through a forwarded socket. */
export async function vmLabHost(vm: string, opts: { cfg?: VmLabConfig; local?: Host; signal?: AbortSignal } = {}): Promise<LabHost> {
  const cfg = opts.cfg ?? vmLabConfig();
  const shell = await vmShell(opts.local ?? new LocalHost(), cfg, vm, opts.signal);
  const engine = await forwardDocker(cfg, vm, shell, opts.signal);
  return { name: vm, kind: "vm", engine, shell, uplink: await findUplink(shell, opts.signal) };
}

/** Every VM of the lab (vm1..vmN), in order; fails with what to do when one is not up. */
export async function vmLabHosts(opts: { cfg?: VmLabConfig; signal?: AbortSignal } = {}): Promise<LabHost[]> {
  const cfg = opts.cfg ?? vmLabConfig();
  const local = new LocalHost();
  const hosts: LabHost[] = [];
  for (const vm of vmNames(cfg)) {
    try {
      hosts.push(await vmLabHost(vm, { cfg, local, signal: opts.signal }));
    } catch (err) {
      throw new EnvironmentError("NETCHECK_VM_NOT_UP", `VM lab host ${vm} is not usable: ${(err as Error).message}.`, {
        hint: "Run `netcheck vm up` first (it builds the box on first use), then retry with --lab vm.",
        cause: err,
      });
    }
  }
  return hosts;
}
