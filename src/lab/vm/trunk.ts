import type { Host } from "../../host/host.js";

/**
 * The VM lab's wiring, fixed by vagrant/Vagrantfile and `netcheck vm up`:
 * every VM's eth1 sits on the isolated libvirt network netcheck-vm-trk (pure
 * L2 between the VMs, no host address, no <forward>), with vmN at
 * 10.214.90.(10+N). Scenarios put ipvlan/macvlan parents and the overlay
 * underlay there, never on a real NIC.
 */
export const VM_TRUNK = "eth1";
export const VM_UNDERLAY = "10.214.90.0/24";
export const VM_MGMT = "10.214.89.0/24";

export function vmUnderlayAddress(index: number): string {
  return `10.214.90.${10 + index}`;
}

/**
 * Give a VM an extra address on a link for the duration of `fn` (a peer on a
 * scenario's subnet), removed afterwards whatever happens. VM shells log in as root.
 */
export async function withAddress<T>(shell: Host, dev: string, cidr: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  const add = await shell.exec(["ip", "addr", "add", cidr, "dev", dev], { signal });
  if (add.exitCode !== 0 && !/File exists/.test(add.stderr)) throw new Error(`cannot add ${cidr} to ${dev} on ${shell.name}: ${add.stderr.trim()}`);
  try {
    return await fn();
  } finally {
    await shell.exec(["ip", "addr", "del", cidr, "dev", dev], { signal: AbortSignal.timeout(15_000) });
  }
}

/** A VLAN sub-interface `netcheck-v<id>` on a VM's trunk for the duration of `fn`. */
export async function withVlanPeer<T>(shell: Host, vlan: number, cidr: string, fn: (dev: string) => Promise<T>, signal?: AbortSignal): Promise<T> {
  const dev = `netcheck-v${vlan}`;
  const steps = [
    ["ip", "link", "add", "link", VM_TRUNK, "name", dev, "type", "vlan", "id", String(vlan)],
    ["ip", "addr", "add", cidr, "dev", dev],
    ["ip", "link", "set", dev, "up"],
  ];
  try {
    for (const s of steps) {
      const r = await shell.exec(s, { signal });
      if (r.exitCode !== 0) throw new Error(`\`${s.join(" ")}\` on ${shell.name}: ${r.stderr.trim()}`);
    }
    return await fn(dev);
  } finally {
    await shell.exec(["ip", "link", "del", dev], { signal: AbortSignal.timeout(15_000) });
  }
}
