import { execOk, type Host } from "../../host/host.js";

/**
 * The VM lab's two libvirt networks, both ISOLATED: no <forward> element (no
 * NAT, no route to the uplink), bridges named netcheck-vm-* (a dash after
 * "vm" so `netcheck clean`'s per-run link sweep never mistakes them for a
 * run's bridge). The management one serves DHCP for ssh and has DNS off, so
 * libvirt's dnsmasq can never forward a VM's query to the host's resolver.
 */
export const LIBVIRT_NETWORKS: Record<string, string> = {
  "netcheck-vm-mgt": `<network>
  <name>netcheck-vm-mgt</name>
  <bridge name='netcheck-vm-mgt' stp='on' delay='0'/>
  <dns enable='no'/>
  <ip address='10.214.89.1' netmask='255.255.255.0'>
    <dhcp><range start='10.214.89.10' end='10.214.89.99'/></dhcp>
  </ip>
</network>`,
  "netcheck-vm-trk": `<network>
  <name>netcheck-vm-trk</name>
  <bridge name='netcheck-vm-trk' stp='off' delay='0'/>
</network>`,
};

export async function ensureLibvirtNetworks(shell: Host, uri: string, signal?: AbortSignal): Promise<void> {
  for (const [name, xml] of Object.entries(LIBVIRT_NETWORKS)) {
    if (/<forward/.test(xml)) throw new Error(`refusing to define ${name}: it has a <forward> element`);
    const info = await shell.exec(["virsh", "-c", uri, "net-info", name], { signal });
    if (info.exitCode !== 0) await execOk(shell, ["sh", "-c", `printf '%s' "$1" > /tmp/${name}.xml && virsh -c ${uri} net-define /tmp/${name}.xml; rc=$?; rm -f /tmp/${name}.xml; exit $rc`, "sh", xml], { signal });
    if (!/Active:\s+yes/.test(info.stdout)) await execOk(shell, ["virsh", "-c", uri, "net-start", name], { signal });
  }
}

export async function removeLibvirtNetworks(shell: Host, uri: string, signal?: AbortSignal): Promise<string[]> {
  const removed: string[] = [];
  for (const name of Object.keys(LIBVIRT_NETWORKS)) {
    await shell.exec(["virsh", "-c", uri, "net-destroy", name], { signal });
    if ((await shell.exec(["virsh", "-c", uri, "net-undefine", name], { signal })).exitCode === 0) removed.push(`libvirt network ${name}`);
  }
  return removed;
}
