/**
 * doctor on a remote engine over ssh: a docker-in-docker target runs sshd (the
 * host's openssh-server binary, fetched with `apt-get download` when it is not
 * installed: nothing is installed or started on this host) with key auth on its
 * own lab bridge address; doctor reaches it through SshHost and a forwarded
 * docker socket, exactly as `--host ssh://root@<address>` does.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { openSshTarget } from "../../src/lab/ssh/ssh-engine.js";
import { runDoctor } from "../../src/doctor/index.js";
import { Engine } from "../../src/engine/engine.js";
import { buildAppImage, buildDindImage, DIND_SSH_IMAGE, runApp, startDindTarget, OWN_TARGETS } from "../fixtures/doctor/dind-target.js";

const outer = Engine.fromEnv();
let work = "";

/** The host's sshd, or one unpacked from the Debian package into a temp folder. */
async function sshdBinary(): Promise<string> {
  if (existsSync("/usr/sbin/sshd")) return "/usr/sbin/sshd";
  await execa("apt-get", ["download", "openssh-server"], { cwd: work });
  const deb = (await execa("sh", ["-c", "ls openssh-server_*.deb"], { cwd: work })).stdout.trim();
  await execa("dpkg", ["-x", deb, join(work, "root")], { cwd: work });
  return join(work, "root/usr/sbin/sshd");
}

afterAll(async () => {
  for (const c of await outer.listContainers({ label: OWN_TARGETS })) await outer.removeContainer(c.Id);
  if (work) await rm(work, { recursive: true, force: true });
});

describe("doctor --host ssh://…", () => {
  it("diagnoses a remote engine over ssh: findings from the remote machine, an injected fault found there", async () => {
    work = await mkdtemp(join(tmpdir(), "netcheck-doctor-ssh-"));
    await buildDindImage(outer, AbortSignal.timeout(180_000), { sshd: await sshdBinary() });
    await execa("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(work, "id")]);
    await execa("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(work, "hostkey")]);
    await using t = await startDindTarget(outer, { image: DIND_SSH_IMAGE });
    const put = async (path: string, content: string, mode: string) => {
      const r = await t.host.exec(["sh", "-c", `mkdir -p $(dirname ${path}) && cat > ${path} && chmod ${mode} ${path}`], { input: content });
      expect(r.exitCode, r.stderr).toBe(0);
    };
    await put("/root/.ssh/authorized_keys", await readFile(join(work, "id.pub"), "utf8"), "600");
    await put("/etc/ssh/hostkey", await readFile(join(work, "hostkey"), "utf8"), "600");
    // Listens only on the target's own lab bridge address; key auth only.
    await t.exec(["sh", "-c", `mkdir -p /run/sshd && /usr/sbin/sshd -f /dev/null -o HostKey=/etc/ssh/hostkey -o ListenAddress=${t.address} -o PasswordAuthentication=no -o KbdInteractiveAuthentication=no -o PermitRootLogin=prohibit-password -o AuthorizedKeysFile=/root/.ssh/authorized_keys -o StrictModes=no -o UsePAM=no -E /tmp/sshd.log`]);
    await buildAppImage(t);
    await runApp(t, "app", [{ host: 8080, container: 80 }]);
    await t.exec(["iptables", "-t", "nat", "-F", "DOCKER"]);

    await using remote = await openSshTarget(`ssh://root@${t.address}`, AbortSignal.timeout(60_000), { identityFile: join(work, "id"), options: { StrictHostKeyChecking: "no", UserKnownHostsFile: "/dev/null", LogLevel: "ERROR" } });
    expect(remote.host.kind).toBe("ssh");
    const report = await runDoctor({ host: remote.host, engine: remote.engine });
    process.stderr.write(`doctor over ssh: ${report.durationMs} ms\n`);
    expect(report.host.kind).toBe("ssh");
    expect(report.findings.find((f) => f.id === "engine/reachable")?.status).toBe("ok");
    // The commands ran on the remote machine: its hostname, its firewall, its published port.
    expect(report.host.hostname).toBe((await t.exec(["hostname"])).trim());
    const port = report.findings.find((f) => f.id === "ports/published/app/8080-tcp");
    expect(port?.status, JSON.stringify(report.findings.filter((f) => f.status !== "ok").map((f) => f.title))).toBe("fail");
    expect(port?.evidence.some((e) => e.source.includes(`[ssh:root@${t.address}]`))).toBe(true);
  });
});
