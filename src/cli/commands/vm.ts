import type { Command } from "../command.js";
import { parse } from "../parse.js";
import { UsageError } from "../../util/errors.js";
import { buildBox, vmDown, vmStatus, vmUp } from "../../lab/vm/vm-lab.js";
import { LocalHost } from "../../host/local-host.js";
import { aptInstall, findMissing, type Requirement } from "../../setup/packages.js";
import { EnvironmentError } from "../../util/errors.js";

/** What the VM lab needs on the machine; installed like `netcheck setup` installs its own (Debian, root). */
const VM_TOOLS: Requirement[] = [
  { package: "vagrant", binary: "vagrant" },
  { package: "vagrant-libvirt", binary: "vagrant" },
  { package: "libvirt-daemon-system", binary: "libvirtd" },
  { package: "libvirt-clients", binary: "virsh" },
  { package: "qemu-system-x86", binary: "qemu-system-x86_64" },
  { package: "qemu-utils", binary: "qemu-img" },
  { package: "debootstrap", binary: "debootstrap" },
];

async function ensureVmTools(log: (l: string) => void, signal: AbortSignal): Promise<void> {
  const host = new LocalHost();
  const debianLike = /^(ID|ID_LIKE)=.*\b(debian|ubuntu)\b/m.test((await host.readFile("/etc/os-release")) ?? "");
  const missing = await findMissing(host, VM_TOOLS, debianLike, signal);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0 || !debianLike) {
    throw new EnvironmentError("NETCHECK_VM_TOOLS_MISSING", `The VM lab needs: ${missing.join(" ")}.`, { hint: `Install them: sudo apt-get install -y ${missing.join(" ")}` });
  }
  await aptInstall(host, missing, { log, signal });
}

const usage = `Usage: netcheck vm <up|down|status|build-box> [--force]

The VM lab (vagrant/): N small Debian VMs (NETCHECK_VMS, default 2) under qemu TCG via
Vagrant + libvirt, each running Docker, on ISOLATED libvirt networks only
(netcheck-vm-mgt for ssh, netcheck-vm-trk as the lab trunk eth1; no NAT, no uplink).
  up         build the box if missing, boot the VMs, load the probe image, form the swarm
  down       destroy the VMs, their disk images, the libvirt networks and socket forwards
  status     each VM's state, address, dockerd and swarm state
  build-box  (re)build the box with vagrant/build-box.sh (debootstrap) and add it (--force rebuilds the rootfs image)
Then: netcheck run --lab vm ipvlan overlay`;

const command: Command = {
  name: "vm",
  usage,
  async run(args, io) {
    const { values, positionals } = parse("vm", args, { force: { type: "boolean" } });
    const log = (l: string) => io.stdout.write(`${l}\n`);
    switch (positionals[0]) {
      case "up": {
        await ensureVmTools(log, io.signal);
        const { hosts, timings } = await vmUp({ signal: io.signal, log });
        log(`VM lab up: ${hosts.map((h) => h.name).join(", ")} (${Object.entries(timings).map(([k, v]) => `${k} ${v.toFixed(0)}s`).join(", ")})`);
        return 0;
      }
      case "down": {
        const removed = await vmDown({ signal: io.signal, log });
        for (const r of removed) log(`removed ${r}`);
        log(removed.length ? `VM lab down (${removed.length} resources)` : "no VM lab to remove");
        return 0;
      }
      case "status": {
        const lines = await vmStatus({ signal: io.signal });
        for (const l of lines) log(`${l.vm}  ${l.state}${l.address ? `  ${l.address}` : ""}${l.docker ? `  docker ${l.docker}` : ""}${l.swarm ? `  swarm ${l.swarm}` : ""}`);
        return lines.every((l) => l.state === "running" && l.docker === "active") ? 0 : 1;
      }
      case "build-box": {
        await ensureVmTools(log, io.signal);
        const { seconds } = await buildBox({ signal: io.signal, log, force: values.force });
        log(`box built and added in ${seconds.toFixed(0)}s`);
        return 0;
      }
      default:
        throw badSubcommand(positionals[0]);
    }
  },
  async check(args) {
    const { positionals } = parse("vm", args, { force: { type: "boolean" } });
    if (!["up", "down", "status", "build-box"].includes(positionals[0] ?? "")) throw badSubcommand(positionals[0]);
  },
};

function badSubcommand(got: string | undefined): UsageError {
  return new UsageError(`netcheck vm: expected up, down, status or build-box, got ${got ?? "nothing"}`, { hint: usage });
}

export default command;
