/**
 * `netcheck run overlay --hosts ssh://…,ssh://…` on a user's own Docker hosts,
 * played by two docker-in-docker lab hosts that run sshd (the host's /usr, plus
 * Debian's sshd fetched with `apt-get download` when it is not installed: nothing
 * is installed or started on this machine) with key auth on their underlay
 * address. The CLI reaches them only over ssh, as it would a user's swarm: it
 * forms a swarm over them (they are in none), runs overlay/swarm, and leaves
 * nothing on them; a host without Docker and an unreachable one are refused with
 * their codes. Measured: 107 s at load average 12–15 (fleet 16 s, run 60 s), 224 s at 30 (fleet 32 s, run 146 s): the
 * swarm attaches, one node at a time, dominate, as on dind hosts.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { dispatch } from "../../src/cli/main.js";
import type { CommandIO } from "../../src/cli/command.js";
import { Cleanup } from "../../src/util/cleanup.js";
import { localLabHost } from "../../src/lab/lab-host.js";
import { RunLab } from "../../src/lab/run-lab.js";
import { startDindHosts } from "../../src/lab/dind/dind-hosts.js";
import type { DindLabHost } from "../../src/lab/dind/dind-host.js";
import { execOk } from "../../src/host/host.js";
import { openSshLabHosts } from "../../src/lab/ssh/ssh-lab-host.js";
import { newRunId } from "../../src/util/ids.js";
import type { RunResult } from "../../src/report/model.js";
import { findLeftovers } from "../support/leftovers.js";
import { probeImageTag } from "../../src/util/version.js";

let work = "";
afterAll(async () => {
  delete process.env.NETCHECK_KNOWN_HOSTS;
  if (work) await rm(work, { recursive: true, force: true });
});

/** The host's sshd, or Debian's, fetched once into netcheck's cache (as engines are) and unpacked there. */
async function sshdBinary(): Promise<string> {
  if (existsSync("/usr/sbin/sshd")) return "/usr/sbin/sshd";
  const cache = "/var/cache/netcheck/sshd";
  const sshd = join(cache, "root/usr/sbin/sshd");
  if (existsSync(sshd)) return sshd;
  await mkdir(cache, { recursive: true });
  await execa("apt-get", ["download", "openssh-server"], { cwd: cache });
  const deb = (await execa("sh", ["-c", "ls openssh-server_*.deb"], { cwd: cache })).stdout.trim();
  await execa("dpkg", ["-x", deb, join(cache, "root")], { cwd: cache });
  return sshd;
}

/** sshd in a dind host, on its underlay address only, key auth only. */
async function startSshd(h: DindLabHost, sshd: Buffer, pub: string, hostKey: string): Promise<void> {
  const put = (path: string, content: string, mode: string, decode = false) =>
    execOk(h.shell, ["sh", "-c", `mkdir -p $(dirname ${path}) && ${decode ? "base64 -d" : "cat"} > ${path} && chmod ${mode} ${path}`], { input: content, timeoutMs: 30_000 });
  await put("/tmp/sshd", sshd.toString("base64"), "755", true);
  await put("/root/.ssh/authorized_keys", pub, "600");
  await put("/etc/ssh/hostkey", hostKey, "600");
  await execOk(h.shell, ["sh", "-c", "grep -q ^sshd: /etc/passwd || echo 'sshd:x:100:65534::/run/sshd:/bin/false' >> /etc/passwd; grep -q ^nogroup: /etc/group || echo 'nogroup:x:65534:' >> /etc/group; mkdir -p /run/sshd"]);
  await execOk(h.shell, ["sh", "-c", `/tmp/sshd -f /dev/null -o HostKey=/etc/ssh/hostkey -o ListenAddress=${h.underlayAddress} -o PasswordAuthentication=no -o KbdInteractiveAuthentication=no -o PermitRootLogin=prohibit-password -o AuthorizedKeysFile=/root/.ssh/authorized_keys -o StrictModes=no -o UsePAM=no -E /tmp/sshd.log`]);
}

describe("run --hosts ssh://… (a user's own Docker hosts)", () => {
  it("runs overlay/swarm over two hosts reached only by ssh, says which host ran what, leaves nothing on them; refuses a host without Docker and an unreachable one", async () => {
    const tStart = Date.now();
    work = await mkdtemp(join(tmpdir(), "netcheck-hosts-"));
    const key = join(work, "id");
    await execa("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", key]);
    await execa("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(work, "hostkey")]);
    const [sshd, pub, hostKey] = [await readFile(await sshdBinary()), await readFile(`${key}.pub`, "utf8"), await readFile(join(work, "hostkey"), "utf8")];

    // The "fleet": two dind hosts of a lab of this test's own, torn down at the end.
    process.stderr.write(`run --hosts: keys and sshd ready at ${Date.now() - tStart} ms\n`);
    const fleetRun = newRunId();
    const local = await localLabHost();
    await using fleet = await RunLab.start({ runId: fleetRun, hosts: [local] });
    const cleanup = new Cleanup();
    try {
      const t0 = Date.now();
      const { hosts, imagesLoaded } = await startDindHosts(fleet, [{ name: "user1" }, { name: "user2" }], "fleet", "test/fleet", cleanup);
      await imagesLoaded.catch(() => undefined);
      await Promise.all(hosts.map((h) => startSshd(h, sshd, pub, hostKey)));
      const tNeg = Date.now();
      const uris = hosts.map((h) => `ssh://root@${h.underlayAddress}`);
      process.stderr.write(`run --hosts: fleet up in ${Date.now() - t0} ms (${uris.join(", ")})\n`);

      // Host keys: a key other than the host's in netcheck's known_hosts is refused before anything runs (wrong twin);
      // the run itself records the real keys on first use (accept-new) in a known_hosts of the test's own.
      const badKnown = join(work, "known_hosts.bad");
      const other = (await readFile(join(work, "id.pub"), "utf8")).split(" ").slice(0, 2).join(" ");
      await writeFile(badKnown, `${hosts[0]!.underlayAddress} ${other}\n`);
      process.env.NETCHECK_KNOWN_HOSTS = badKnown;
      const badKey = await openSshLabHosts([uris[0]!], { local, identityFile: key }).then(() => undefined, (e: { code?: string; message: string; hint?: string }) => e);
      expect(badKey?.code, badKey?.message).toBe("NETCHECK_SSH_HOST_KEY");
      expect(badKey?.hint).toContain(`ssh-keygen -f ${badKnown} -R '${hosts[0]!.underlayAddress}'`);
      const known = join(work, "known_hosts");
      process.env.NETCHECK_KNOWN_HOSTS = known;
      // The probe image is not on the second host: the run loads it there and takes it away again; the first keeps its own.
      await execOk(hosts[1]!.shell, ["docker", "image", "rm", probeImageTag()]);

      // Wrong expectations first (cheap): no Docker there, nothing there.
      await execOk(hosts[1]!.shell, ["sh", "-c", "mv /var/run/docker.sock /var/run/docker.sock.away"]);
      const noDocker = await openSshLabHosts([uris[1]!], { local, identityFile: key }).then(() => undefined, (e: { code?: string; message: string; hint?: string }) => e);
      await execOk(hosts[1]!.shell, ["sh", "-c", "mv /var/run/docker.sock.away /var/run/docker.sock"]);
      expect(noDocker?.code, noDocker?.message).toBe("NETCHECK_SSH_NO_DOCKER");
      expect(noDocker?.hint).toMatch(/docker version/);
      // The underlay's own (unused) last address: a lab address, nothing listens. Asked while the run goes on.
      const nobody = hosts[0]!.underlay.subnet.replace(/\.0\/24$/, ".254");
      const gone = openSshLabHosts([`ssh://root@${nobody}`], { local, identityFile: key, options: { ConnectTimeout: "3" } }).then(() => undefined, (e: { code?: string; message: string }) => e);

      process.stderr.write(`run --hosts: no-docker refusal in ${Date.now() - tNeg} ms\n`);
      const reports = join(work, "reports");
      const out: string[] = [];
      const sink = { write: (s: string) => void out.push(s), isTTY: false };
      const argv = ["run", "overlay", "--only", "^overlay/swarm/", "--hosts", uris.join(","), "--ssh-key", key, "--reports", reports, "--no-color"];
      const io = { stdout: sink, stderr: sink, signal: AbortSignal.timeout(180_000), argv: argv.slice(1) } as unknown as CommandIO;
      const t1 = Date.now();
      const code = await dispatch(argv, io);
      process.stderr.write(`run --hosts: netcheck run overlay took ${Date.now() - t1} ms\n`);
      const unreachable = await gone;
      expect(unreachable?.code, unreachable?.message).toBe("NETCHECK_SSH_UNREACHABLE");
      const text = out.join("");
      const runId = /netcheck run (\w+):/.exec(text)?.[1] ?? "";
      const result = JSON.parse(await readFile(join(reports, runId, "results.json"), "utf8")) as RunResult;
      const swarm = result.scenarios.find((s) => s.id === "overlay/swarm")!;
      const slow = [...(swarm.phases ?? [])].sort((x, y) => y.ms - x.ms).slice(0, 8).map((p) => `${p.name} ${p.ms} ms`);
      process.stderr.write(`run --hosts: overlay/swarm ${swarm.durationMs} ms; slowest phases: ${slow.join(", ")}; checks: ${swarm.checks.map((c) => `${c.name} ${c.durationMs}`).join(", ")}\n`);
      const bad = swarm.checks.filter((c) => c.status !== "pass" && !(c.status === "skip" && /kernel\.(ip_vs|esp)/.test(c.reason ?? "")) && c.name !== "a-cannot-resolve-c");
      // The lab DNS lives on this machine: from a user's host a lookup it alone could answer is guarded, never sent (a skip saying so).
      expect(swarm.checks.find((c) => c.name === "a-cannot-resolve-c")?.reason).toMatch(/^lab DNS upstream not reachable from ssh:root@.*ip route get 198\.1[89]\.\d+\.\d+` on ssh:root@\S+ → (unreachable|RTNETLINK answers: No route to host)/);
      // Both host keys were recorded on first use.
      expect((await readFile(known, "utf8")).split("\n").filter((l) => / ssh-ed25519 /.test(l))).toHaveLength(2);
      expect(bad.map((c) => `${c.name}: ${c.status} ${c.reason}`), text.slice(-3000)).toEqual([]);
      expect(code).toBe(0);
      // Which host ran what: the nodes on the hosts the user named, by their ssh names.
      const nodes = swarm.topology!.nodes;
      expect(nodes.find((n) => n.name === "a")?.host).toBe(`ssh:root@${hosts[0]!.underlayAddress}`);
      expect(nodes.find((n) => n.name === "b")?.host).toBe(`ssh:root@${hosts[1]!.underlayAddress}`);
      expect(swarm.topology!.hosts.filter((h) => h.kind === "ssh").map((h) => h.name)).toEqual(uris.map((u) => u.replace("ssh://", "ssh:")));
      // The VXLAN was captured on the named host's own link toward the other.
      const vx = swarm.checks.find((c) => c.name === "a-to-b-is-vxlan-on-the-underlay")!;
      expect(vx.evidence.some((e) => e.kind === "packets" && e.total > 0 && e.capture.includes(`ssh:root@${hosts[0]!.underlayAddress} eth0`))).toBe(true);

      // Nothing left on the user's hosts: no labelled object, no swarm (netcheck formed it), no service, no gwbridge.
      for (const h of hosts) {
        const st = await execOk(h.shell, ["sh", "-c", "docker ps -aq --filter label=io.netcheck.run; docker network ls -q --filter label=io.netcheck.run; docker info --format '{{.Swarm.LocalNodeState}}'; docker network ls --format '{{.Name}}'"]);
        expect(st.stdout.trim().split("\n"), h.name).toEqual(["inactive", "bridge", "host", "none"]);
        // The lab-range guards went with the run.
        expect((await execOk(h.shell, ["ip", "route", "show", "type", "unreachable"])).stdout.trim(), h.name).toBe("");
      }
      // The image the run loaded went with it; the one that was there stays.
      expect(await hosts[1]!.engine.imageId(probeImageTag())).toBeUndefined();
      expect(await hosts[0]!.engine.imageId(probeImageTag())).toBeDefined();
      // This run's own resources only: the test's fleet (two dind hosts of its own lab) is still up here, so a
      // strict (CI=true) scan of every netcheck resource would count it.
      expect((await findLeftovers([runId], false)).map((l) => l.what)).toEqual([]);
    } finally {
      const tDown = Date.now();
      await cleanup.dispose();
      process.stderr.write(`run --hosts: fleet down in ${Date.now() - tDown} ms\n`);
    }
  }, 420_000);
});
