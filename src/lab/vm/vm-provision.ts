import { execOk, type Host } from "../../host/host.js";
import { LocalHost } from "../../host/local-host.js";
import type { LabHost } from "../lab-host.js";
import { probeImageTag } from "../../util/version.js";
import { VM_TRUNK, vmUnderlayAddress } from "./trunk.js";

/**
 * What a freshly booted VM needs before scenarios run on it, idempotent:
 * its trunk address, the probe image (no registry: `docker save | docker
 * load` over ssh), and the swarm (vm1 manager advertising on the trunk, the
 * others joined as workers) for overlay scenarios.
 */
export async function provisionVms(hosts: LabHost[], opts: { signal?: AbortSignal; log?: (line: string) => void } = {}): Promise<void> {
  const { signal } = opts;
  const log = opts.log ?? (() => {});
  for (const [i, h] of hosts.entries()) {
    // Persistent, and dockerd waits for it: the swarm listens on this address, and a
    // dockerd started before it exists fails ("cannot assign requested address").
    const addr = vmUnderlayAddress(i + 1);
    const script = [
      `hostname ${h.name}`,
      `printf '[Match]\\nName=${VM_TRUNK}\\n[Link]\\nRequiredForOnline=no\\n[Network]\\nLinkLocalAddressing=no\\nAddress=${addr}/24\\n' > /etc/systemd/network/15-netcheck-trunk.network`,
      "mkdir -p /etc/systemd/system/docker.service.d",
      `printf '[Service]\\nExecStartPre=/bin/sh -c "for i in $(seq 100); do ip -4 addr show ${VM_TRUNK} | grep -q ${addr}/ && exit 0; sleep 0.2; done"\\n' > /etc/systemd/system/docker.service.d/netcheck-trunk.conf`,
      "systemctl daemon-reload",
      `ip link set ${VM_TRUNK} up`,
      `ip addr replace ${addr}/24 dev ${VM_TRUNK}`,
      "systemctl is-active -q docker || { systemctl reset-failed docker; systemctl restart docker; }",
    ].join("; ");
    await execOk(h.shell, ["sh", "-c", script], { signal, timeoutMs: 180_000 });
    await loadProbeImage(h, signal);
    log(`${h.name}: trunk ${VM_TRUNK} ${vmUnderlayAddress(i + 1)}/24, probe image loaded`);
  }
  const [manager, ...workers] = hosts;
  if (!manager || workers.length === 0) return;
  const state = async (h: LabHost) => (await h.shell.exec(["docker", "info", "--format", "{{.Swarm.LocalNodeState}}"], { signal })).stdout.trim();
  if ((await state(manager)) !== "active") {
    await execOk(manager.shell, ["docker", "swarm", "init", "--advertise-addr", vmUnderlayAddress(1), "--listen-addr", `${vmUnderlayAddress(1)}:2377`], { signal, timeoutMs: 120_000 });
  }
  const token = (await execOk(manager.shell, ["docker", "swarm", "join-token", "-q", "worker"], { signal })).stdout.trim();
  for (const [i, w] of workers.entries()) {
    if ((await state(w)) === "active") continue;
    const join = await w.shell.exec(["docker", "swarm", "join", "--token", token, "--advertise-addr", vmUnderlayAddress(i + 2), `${vmUnderlayAddress(1)}:2377`], { signal, timeoutMs: 120_000 });
    // Under TCG the join often outlasts the CLI's own wait ("Timeout was reached before node joined … will
    // continue in the background"; measured on the first `vm up` here): wait for the node, not the CLI.
    if (join.exitCode !== 0 && !/continue in the background/.test(join.stderr)) throw new Error(`docker swarm join on ${w.name} exited ${join.exitCode}: ${join.stderr.trim()}`);
    for (let t = Date.now(); (await state(w)) !== "active"; ) {
      if (Date.now() - t > 300_000) throw new Error(`${w.name} did not become an active swarm node within 300 s after \`docker swarm join\` (${join.stderr.trim() || "no message"})`);
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
  log(`swarm: ${manager.name} manager, ${workers.map((w) => w.name).join(", ")} joined over ${VM_TRUNK}`);
}

async function loadProbeImage(h: LabHost, signal?: AbortSignal): Promise<void> {
  const tag = probeImageTag();
  const have = await h.shell.exec(["docker", "image", "inspect", "--format", "{{.Id}}", tag], { signal });
  const local: Host = new LocalHost();
  const want = (await execOk(local, ["docker", "image", "inspect", "--format", "{{.Id}}", tag], { signal })).stdout.trim();
  if (have.exitCode === 0 && have.stdout.trim() === want) return;
  const t = (h.shell as unknown as { target: { host: string; user?: string; identityFile?: string } }).target;
  const ssh = `ssh -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -i ${t.identityFile} ${t.user}@${t.host}`;
  await execOk(local, ["sh", "-c", `docker save ${tag} | ${ssh} docker load`], { signal, timeoutMs: 300_000 });
}
