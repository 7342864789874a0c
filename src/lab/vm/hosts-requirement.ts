/**
 * `hosts.*` requirement ids, judged from the lab's host list alone:
 * - `hosts.N`   at least N Docker hosts in the lab (local and VMs alike);
 * - `hosts.vm`  at least one VM host (scenarios that put networks on the VM's isolated trunk);
 * - `hosts.vmN` at least N VM hosts (overlay across machines, a peer on the trunk).
 * Pure: no I/O, so the skip reasons are unit-tested.
 */
export interface HostsVerdict {
  met: boolean;
  reason: string;
}

export const VM_LAB_HINT = "run with --lab vm after `netcheck vm up`";

export function hostsRequirement(what: string, hosts: readonly { name: string; kind: string }[]): HostsVerdict {
  const vms = hosts.filter((h) => h.kind === "vm");
  const names = hosts.map((h) => h.name).join(", ") || "none";
  const total = /^\d+$/.exec(what);
  if (total) {
    const need = Number(what);
    return hosts.length >= need
      ? { met: true, reason: `hosts.${what}: the lab has ${hosts.length} Docker hosts (${names})` }
      : { met: false, reason: `needs ≥${need} Docker hosts; this lab has ${hosts.length} (${names}) (${VM_LAB_HINT})` };
  }
  const vm = /^vm(\d*)$/.exec(what);
  if (vm) {
    const need = vm[1] ? Number(vm[1]) : 1;
    if (vms.length >= need) return { met: true, reason: `hosts.${what}: the lab has ${vms.length} VM hosts (${vms.map((h) => h.name).join(", ")})` };
    const what2 = need === 1 ? "a VM Docker host (its networks go on the VM's isolated trunk, never on a real NIC)" : `≥${need} VM Docker hosts`;
    return { met: false, reason: `needs ${what2}; this lab has ${vms.length} VM and ${hosts.length} Docker host${hosts.length === 1 ? "" : "s"} (${names}) (${VM_LAB_HINT})` };
  }
  return { met: false, reason: `unknown requirement "hosts.${what}" (known: hosts.<N>, hosts.vm, hosts.vm<N>)` };
}
