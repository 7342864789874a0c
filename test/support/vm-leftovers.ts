/**
 * "Nothing left behind" on the VM lab's VMs, read on each VM itself: labelled
 * containers, networks and swarm services, netcheck-* links, VLAN
 * sub-interfaces and extra addresses on the trunk, routes a scenario added,
 * DOCKER-USER rules and guard routes. The VMs are used by one run at a time
 * (`flock /work/vm.lock`), so anything of this kind found there counts.
 */
import type { LabHost } from "../../src/lab/lab-host.js";
import { VM_TRUNK, vmUnderlayAddress } from "../../src/lab/vm/trunk.js";

export async function vmLeftovers(vms: LabHost[]): Promise<string[]> {
  const found: string[] = [];
  for (const [i, vm] of vms.entries()) {
    const sh = async (script: string) => (await vm.shell.exec(["sh", "-c", script], { timeoutMs: 30_000 })).stdout.split("\n").map((l) => l.trim()).filter(Boolean);
    const say = (what: string) => (l: string) => found.push(`${vm.name}: ${what} ${l}`);
    (await sh("docker ps -a --filter label=io.netcheck.run --format '{{.Names}}'")).forEach(say("container"));
    (await sh("docker network ls --filter label=io.netcheck.run --format '{{.Name}}'")).forEach(say("network"));
    (await sh("docker service ls --filter label=io.netcheck.run --format '{{.Name}}' 2>/dev/null")).forEach(say("swarm service"));
    (await sh(`ip -o link show | awk -F': ' '{print $2}' | grep -E '^(netcheck-|${VM_TRUNK}\\.)' | grep -v '^netcheck-vm-' || true`)).forEach(say("link"));
    const own = `${vmUnderlayAddress(i + 1)}/24`;
    (await sh(`ip -o -4 addr show dev ${VM_TRUNK} | awk '{print $4}' | grep -vxF '${own}' || true`)).forEach(say(`address on ${VM_TRUNK}`));
    (await sh(`ip -4 route show dev ${VM_TRUNK} | grep -v 'proto kernel' || true`)).forEach(say(`route on ${VM_TRUNK}`));
    (await sh("iptables -w -S DOCKER-USER 2>/dev/null | grep netcheck || true")).forEach(say("DOCKER-USER rule"));
    (await sh("ip -4 route show type unreachable | grep 'metric 4242' || true")).forEach(say("guard route"));
    const swarm = (await sh("docker info --format '{{.Swarm.LocalNodeState}}'"))[0];
    if (swarm !== "active") found.push(`${vm.name}: swarm state "${swarm}", not the lab's active swarm`);
  }
  return found;
}
