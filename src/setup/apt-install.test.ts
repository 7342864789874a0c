import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ExecResult, Host } from "../host/host.js";
import { aptInstall, ENGINE_REQUIREMENTS, findMissing, resetAptState, TOOL_REQUIREMENTS } from "./packages.js";

/** A host that records commands and answers from a script: apt-get is never run for real. */
function scriptedHost(answer: (cmd: string[]) => Partial<ExecResult>): Host & { ran: string[] } {
  const ran: string[] = [];
  return {
    name: "fake",
    kind: "local",
    ran,
    async exec(command) {
      ran.push(command.join(" "));
      return { where: "fake", command, exitCode: 0, stdout: "", stderr: "", durationMs: 0, startedAt: "", timedOut: false, ...answer(command) };
    },
    async readFile() {
      return undefined;
    },
  };
}

let lists: string;
beforeEach(async () => {
  resetAptState();
  lists = await mkdtemp(join(tmpdir(), "netcheck-apt-"));
});
afterEach(() => rm(lists, { recursive: true, force: true }));

describe("aptInstall", () => {
  it("skips apt-get update when package lists exist and the install works", async () => {
    await writeFile(join(lists, "deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages"), "");
    const host = scriptedHost(() => ({}));
    await aptInstall(host, ["iperf3", "tcpdump"], { listsDir: lists });
    expect(host.ran).toEqual(["env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y iperf3 tcpdump"]);
  });

  it("updates first on a fresh machine with no package lists, and only once per process", async () => {
    const host = scriptedHost(() => ({}));
    await aptInstall(host, ["iperf3"], { listsDir: lists });
    await aptInstall(host, ["tcpdump"], { listsDir: lists });
    expect(host.ran).toEqual([
      "apt-get -o DPkg::Lock::Timeout=600 update",
      "env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y iperf3",
      "env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y tcpdump",
    ]);
  });

  it("updates and retries once when stale lists cannot locate a package, then reports apt's words", async () => {
    await writeFile(join(lists, "x_Packages"), "");
    const host = scriptedHost((cmd) => (cmd.includes("install") ? { exitCode: 100, stderr: "E: Unable to locate package docker.io" } : {}));
    const err = await aptInstall(host, ["docker.io"], { listsDir: lists }).catch((e: unknown) => e);
    expect(host.ran).toEqual([
      "env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y docker.io",
      "apt-get -o DPkg::Lock::Timeout=600 update",
      "env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y docker.io",
    ]);
    expect(err).toMatchObject({ code: "NETCHECK_APT_FAILED" });
    expect((err as Error).message).toContain("Unable to locate package docker.io");
  });
});

describe("findMissing", () => {
  it("reads dpkg-query even when it exits 1 for names dpkg never heard of", async () => {
    const host = scriptedHost(() => ({
      exitCode: 1,
      stdout: "busybox-static installed\niperf3 installed\niputils-ping installed\ndocker.io installed\niptables installed\n",
      stderr: "dpkg-query: no packages found matching busybox\n",
    }));
    expect(await findMissing(host, [...TOOL_REQUIREMENTS, ...ENGINE_REQUIREMENTS], true)).toEqual(["tcpdump"]);
    expect(host.ran[0]).toMatch(/^dpkg-query -W -f \$\{Package\} \$\{db:Status-Status\}\n busybox-static busybox iperf3 tcpdump iputils-ping docker.io docker-ce iptables$/);
  });
});
