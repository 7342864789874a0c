/**
 * A disposable Linux machine for the mutation suite: a container with no
 * network at all (NetworkMode none), the host's /usr bind-mounted read-only,
 * its own dockerd, and netcheck itself running inside it. Faults are injected
 * into *its* netfilter, routes and daemon flags — never into this host's — and
 * everything goes with the container.
 *
 * The recipe is the one measured on this machine for docker-in-docker:
 * --privileged fails here (no CAP_SYS_RESOURCE), so every capability but that
 * one, seccomp/apparmor/system paths unconfined, a device cgroup rule allowing
 * all, the host's cgroup hierarchy mounted for runc, and /usr + /etc/alternatives
 * from the host (node, dockerd, iptables, tcpdump, busybox: the same binaries).
 */
import { realpathSync } from "node:fs";
import { resolve } from "node:path";
import { ContainerHost } from "../src/engine/container-host.js";
import type { Engine } from "../src/engine/engine.js";
import type { ExecResult } from "../src/host/host.js";
import { ensureDindHostImage } from "../src/setup/dind-host-image.js";
import { dindHostImageTag } from "../src/util/version.js";
import { sleep } from "../src/util/abort.js";
import { LABEL_ROLE, LABEL_RUN } from "../src/util/labels.js";
import { cgroupSweepCommand, dindCgroupParent } from "../src/lab/dind/daemon-config.js";
import { DIND_PRIVILEGES } from "../src/lab/dind/dind-host.js";
import { execa } from "execa";
import { Ledger } from "../src/lab/ledger.js";

export interface LabMachine extends AsyncDisposable {
  id: string;
  name: string;
  shell: ContainerHost;
  /** Run a shell script inside, in the project folder. */
  sh(script: string, timeoutMs?: number): Promise<ExecResult>;
  /** (Re)start the inner dockerd with extra flags (e.g. --icc=false) and wait for it. */
  startDockerd(flags?: string[]): Promise<void>;
  stopDockerd(): Promise<void>;
  /** `docker save` here, `docker load` in the machine's dockerd (no registry, no image build inside). */
  loadImage(tag: string): Promise<void>;
  /** A project folder made writable inside the machine only (a tmpfs copy over the read-only bind): scenario files compile beside themselves. */
  makeWritable(dir: string): Promise<void>;
  remove(): Promise<void>;
}

export interface LabMachineOptions {
  /** An extracted engine (src/lab/dind/engine-fetch.ts) bound at /opt/engine and first on PATH; default: the host's own. */
  engineRoot?: string;
}

export async function startLabMachine(outer: Engine, runId: string, projectRoot = process.cwd(), opts: LabMachineOptions = {}): Promise<LabMachine> {
  // The dind lab hosts' image: a few hundred bytes of skeleton around the host's /usr.
  await ensureDindHostImage(outer);
  const root = resolve(projectRoot);
  const binds = ["/usr:/usr:ro", "/etc/alternatives:/etc/alternatives:ro", "/var/lib/dpkg:/var/lib/dpkg:ro", "/sys/fs/cgroup:/sys/fs/cgroup:rw", `${root}:${root}:ro`];
  // A worktree's node_modules may be a link to another checkout: mount where it points too.
  const modules = realpathSync(resolve(root, "node_modules"));
  if (!modules.startsWith(`${root}/`)) binds.push(`${modules}:${modules}:ro`);
  if (opts.engineRoot) binds.push(`${opts.engineRoot}:/opt/engine:ro`);
  const name = `nc-${runId}-lab-machine`;
  const cgroupParent = dindCgroupParent(name);
  // A live ledger: `netcheck clean` (anyone's) leaves a running bench alone, and finishes the job after kill -9.
  const ledger = new Ledger(runId);
  ledger.record({ host: "local", what: `cgroups /${cgroupParent}`, undo: cgroupSweepCommand(cgroupParent) });
  ledger.record({ host: "local", what: `lab machine ${name}`, undo: ["docker", "rm", "-f", "-v", name] });
  // The dind lab hosts' recipe (src/lab/dind/dind-host.ts), with no network at all.
  const id = await outer.runContainer({
    name,
    image: dindHostImageTag(),
    env: { HOME: "/root" },
    cmd: ["sleep", "2147483647"],
    networkMode: "none",
    dns: ["127.0.0.1"],
    binds,
    labels: { [LABEL_RUN]: runId, [LABEL_ROLE]: "lab-machine" },
    privileges: { ...DIND_PRIVILEGES, tmpfs: { ...DIND_PRIVILEGES.tmpfs, "/var/lib/containerd": "rw,exec", "/var/log": "rw", "/var/tmp": "rw,mode=1777" } },
  });
  const container = { id };
  const shell = new ContainerHost(outer, container.id, name);
  let removed: Promise<void> | undefined;
  const remove = () =>
    (removed ??= (async () => {
      await outer.removeContainer(container.id).catch(() => undefined);
      await execa(cgroupSweepCommand(cgroupParent)[0]!, cgroupSweepCommand(cgroupParent).slice(1), { reject: false });
      ledger.close();
    })());
  const path = opts.engineRoot ? "export PATH=/opt/engine/usr/sbin:/opt/engine/usr/bin:$PATH && " : "";
  const sh = (script: string, timeoutMs = 120_000) => shell.exec(["sh", "-c", `${path}cd ${root} && ${script}`], { timeoutMs });
  const stopDockerd = async () => {
    await sh("[ -f /run/docker.pid ] && kill $(cat /run/docker.pid) 2>/dev/null; for i in $(seq 100); do [ -f /run/docker.pid ] || exit 0; sleep 0.1; done; exit 1", 30_000);
  };
  const startDockerd = async (flags: string[] = []) => {
    await stopDockerd();
    const cmd = ["dockerd", `--cgroup-parent=/${cgroupParent}`, "--pidfile=/run/docker.pid", ...flags].join(" ");
    await sh(`${cmd} >>/var/log/dockerd.log 2>&1 &`);
    for (let i = 0; i < 200; i++) {
      if ((await sh("docker info >/dev/null 2>&1", 10_000)).exitCode === 0) return;
      await sleep(100);
    }
    throw new Error(`the lab machine's dockerd (${flags.join(" ") || "default flags"}) did not answer: ${(await sh("tail -5 /var/log/dockerd.log")).stdout}`);
  };
  try {
    // ip_forward off, as on a fresh host: dockerd then enables it and sets the FORWARD policy to DROP itself
    // (a namespace inherits the host's ip_forward=1, and dockerd would leave the policy at ACCEPT).
    // IPv6 on, as on a fresh host: Docker 20.10 sets disable_ipv6=1 in a container without a v6 network
    // (this one has none at all), and the v6 scenarios would then skip ("the lab has no IPv6").
    await sh("mkdir -p /run/netns /etc/docker && echo 'nameserver 127.0.0.1' > /etc/resolv.conf && sysctl -qw net.ipv4.ip_forward=0 net.ipv6.conf.all.disable_ipv6=0 net.ipv6.conf.default.disable_ipv6=0 net.ipv6.conf.lo.disable_ipv6=0");
    return {
      id: container.id,
      name,
      shell,
      sh,
      startDockerd,
      stopDockerd,
      makeWritable: async (dir: string) => {
        const r = await sh(`d=$(realpath "${dir}") && mkdir -p /tmp/writable && cp -a "$d" /tmp/writable/ && mount -t tmpfs -o mode=755 tmpfs "$d" && cp -a "/tmp/writable/$(basename "$d")/." "$d/"`);
        if (r.exitCode !== 0) throw new Error(`could not make ${dir} writable in the lab machine ${name}: ${r.stderr.trim()}`);
      },
      loadImage: async (tag: string) => {
        const r = await execa("sh", ["-c", 'docker save "$1" | docker exec -i "$2" docker load', "sh", tag, name], { reject: false, timeout: 300_000 });
        if (r.exitCode !== 0) throw new Error(`could not load ${tag} into the lab machine ${name}: ${String(r.stderr).trim()}`);
      },
      remove: async () => {
        // The inner containers first: their cgroups live in the host's hierarchy (under /netcheck-<run>).
        await sh("docker rm -f $(docker ps -aq) >/dev/null 2>&1; true", 60_000).catch(() => undefined);
        await stopDockerd().catch(() => undefined);
        await remove();
      },
      async [Symbol.asyncDispose]() {
        await remove();
      },
    };
  } catch (err) {
    await remove();
    throw err;
  }
}
