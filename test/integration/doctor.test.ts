/**
 * doctor against a disposable docker-in-docker target: a healthy target first,
 * then one injected fault per test, each on a fresh target, so no fault can
 * leak into the next test and nothing is ever changed on the host itself.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyFixes, runDoctor, type DoctorReport, type Finding } from "../../src/doctor/index.js";
import { parseKernelConfig } from "../../src/lab/kernel-config.js";
import { Engine } from "../../src/engine/engine.js";
import { LocalHost } from "../../src/host/local-host.js";
import { sleep } from "../../src/util/abort.js";
import { startDindTarget, type StartedDindTarget, OWN_TARGETS } from "../fixtures/doctor/dind-target.js";

const outer = Engine.fromEnv();
const local = new LocalHost();

async function hostSnapshot() {
  const forward = (await local.exec(["iptables", "-S", "FORWARD"])).stdout.split("\n")[0];
  const ipForward = (await local.readFile("/proc/sys/net/ipv4/ip_forward"))?.trim();
  const netns = (await local.exec(["ip", "netns", "list"])).stdout.split("\n").filter((l) => l.startsWith("netcheck-doctor-"));
  return { forward, ipForward, netns };
}

let before: Awaited<ReturnType<typeof hostSnapshot>>;
beforeAll(async () => {
  before = await hostSnapshot();
  // The target image is built once by test/global-setup.ts (buildDindImage), for every doctor file.
});

afterAll(async () => {
  // Sweep by label: any target a failed test did not remove goes too.
  for (const c of await outer.listContainers({ label: OWN_TARGETS })) await outer.removeContainer(c.Id);
  expect(await hostSnapshot()).toEqual(before);
});

async function withTarget(fn: (t: StartedDindTarget) => Promise<void>): Promise<void> {
  await using t = await startDindTarget(outer);
  await fn(t);
}

const doctor = (t: StartedDindTarget) => runDoctor({ host: t.host, engine: t.engine });

function finding(report: DoctorReport, id: string): Finding {
  const f = report.findings.find((x) => x.id === id);
  if (!f) throw new Error(`no finding ${id}; ids: ${report.findings.map((x) => x.id).join(", ")}`);
  return f;
}

const notOk = (r: DoctorReport) => r.findings.filter((f) => f.status !== "ok").map((f) => `${f.status} ${f.id}: ${f.title}`);

/** The kernel features this kernel's config lacks: the only warnings a healthy target may show. */
async function missingKernelFeatures(): Promise<string[]> {
  const config = parseKernelConfig((await local.exec(["zcat", "/proc/config.gz"])).stdout);
  const keys: Record<string, string> = { ipvlan: "CONFIG_IPVLAN", "8021q": "CONFIG_VLAN_8021Q", dummy: "CONFIG_DUMMY", macvlan: "CONFIG_MACVLAN", vxlan: "CONFIG_VXLAN", ip_vs: "CONFIG_IP_VS", esp: "CONFIG_INET_ESP" };
  return Object.entries(keys).filter(([, k]) => !["y", "m"].includes(config.get(k) ?? "n")).map(([f]) => `kernel/${f}`);
}

describe("netcheck doctor on a docker-in-docker target", () => {
  it("reports nothing false on a healthy target, without waiting on any timeout", async () => {
    await withTarget(async (t) => {
      const report = await doctor(t);
      // Its typical 0.3–2 s is reported in its output; this only catches a probe that waits out a timeout.
      expect(report.durationMs).toBeLessThan(30_000);
      expect(report.totals.fail, notOk(report).join("\n")).toBe(0);
      const unexpected = report.findings.filter((f) => f.status !== "ok" && !f.id.startsWith("kernel/"));
      expect(unexpected.map((f) => f.title)).toEqual([]);
      const kernelWarn = report.findings.filter((f) => f.id.startsWith("kernel/") && f.status !== "ok").map((f) => f.id);
      expect(kernelWarn.sort()).toEqual((await missingKernelFeatures()).sort());
      expect(finding(report, "engine/reachable").title).toMatch(/Docker .* \(API 1\.\d+\)/);
    });
  });

  it("names ip_forward=0, and --fix restores it", async () => {
    await withTarget(async (t) => {
      await t.exec(["sysctl", "-w", "net.ipv4.ip_forward=0"]);
      const report = await doctor(t);
      const f = finding(report, "sysctl/ip-forward");
      expect(f.status).toBe("fail");
      expect(f.fix).toContain("net.ipv4.ip_forward=1");
      expect(f.evidence[0]?.value).toBe("0");
      const outcomes = await applyFixes(t.host, report.findings, async (x) => x.id === "sysctl/ip-forward");
      expect(outcomes.find((o) => o.id === "sysctl/ip-forward")?.status).toBe("applied");
      expect(finding(await doctor(t), "sysctl/ip-forward").status).toBe("ok");
    });
  });

  it("names FORWARD policy DROP without Docker's accept rules", async () => {
    await withTarget(async (t) => {
      await t.exec(["iptables", "-P", "FORWARD", "DROP"]);
      await t.exec(["iptables", "-D", "FORWARD", "-i", "docker0", "!", "-o", "docker0", "-j", "ACCEPT"]);
      await t.exec(["iptables", "-D", "FORWARD", "-i", "docker0", "-o", "docker0", "-j", "ACCEPT"]);
      const f = finding(await doctor(t), "firewall/forward-policy");
      expect(f.status).toBe("fail");
      expect(f.title).toContain("docker0");
      expect(f.fix).toMatch(/restart dockerd/);
      expect(f.fixAction?.commands[0]).toEqual(["iptables", "-I", "FORWARD", "-i", "docker0", "!", "-o", "docker0", "-j", "ACCEPT"]);
    });
  });

  it("names a deleted MASQUERADE rule with the rule to add back", async () => {
    await withTarget(async (t) => {
      const subnet = (await t.engine.inspectNetwork("bridge")).IPAM?.Config?.[0]?.Subnet;
      expect(subnet).toBeTruthy();
      await t.exec(["iptables", "-t", "nat", "-D", "POSTROUTING", "-s", subnet!, "!", "-o", "docker0", "-j", "MASQUERADE"]);
      const f = finding(await doctor(t), "firewall/masquerade/bridge");
      expect(f.status).toBe("fail");
      expect(f.fix).toContain(`iptables -t nat -A POSTROUTING -s ${subnet} ! -o docker0 -j MASQUERADE`);
    });
  });

  it("names a loopback stub resolver containers would inherit", async () => {
    await withTarget(async (t) => {
      await t.exec(["sh", "-c", "echo 'nameserver 127.0.0.53' > /etc/resolv.conf"]);
      const f = finding(await doctor(t), "dns/host-stub");
      expect(f.status).toBe("warn");
      expect(f.title).toContain("127.0.0.53");
      expect(f.fix).toContain('"dns"');
    });
  });

  it("names a route overlapping a Docker subnet", async () => {
    await withTarget(async (t) => {
      const subnet = (await t.engine.inspectNetwork("bridge")).IPAM!.Config![0]!.Subnet!;
      const slice = subnet.replace(/\.0\.0\/16$/, ".200.0/24");
      // A blackhole route: in the target's own table, sends nothing anywhere.
      await t.exec(["ip", "route", "add", "blackhole", slice]);
      const f = finding(await doctor(t), "network/overlap");
      expect(f.status).toBe("fail");
      expect(f.title).toContain(slice);
      expect(f.fix).toMatch(/default-address-pools/);
    });
  });

  it("names a bridge MTU above the uplink's, with the daemon.json setting", async () => {
    await withTarget(async (t) => {
      await t.exec(["ip", "link", "set", "docker0", "mtu", "1600"]);
      const f = finding(await doctor(t), "network/mtu");
      expect(f.status).toBe("warn");
      expect(f.title).toContain("docker0 1600");
      expect(f.fix).toContain('"mtu": 1500');
      expect(f.fix).toContain("com.docker.network.driver.mtu");
    });
  });

  it("names a DOCKER-USER drop rule, and treats a netcheck-labelled one as ours", async () => {
    await withTarget(async (t) => {
      await t.exec(["iptables", "-I", "DOCKER-USER", "-m", "comment", "--comment", "netcheck:abcde", "-d", "198.51.100.0/24", "-j", "DROP"]);
      expect(finding(await doctor(t), "firewall/docker-user").status).toBe("ok");
      await t.exec(["iptables", "-I", "DOCKER-USER", "-s", "10.99.0.0/16", "-j", "DROP"]);
      const f = finding(await doctor(t), "firewall/docker-user");
      expect(f.status).toBe("warn");
      expect(f.title).toContain("10.99.0.0/16");
      expect(f.fix).toContain("iptables -D DOCKER-USER -s 10.99.0.0/16 -j DROP");
    });
  });

  it("names a stopped engine and does not crash the other checks", async () => {
    await withTarget(async (t) => {
      await t.exec(["sh", "-c", "kill $(cat /run/docker.pid)"]);
      for (let i = 0; i < 50 && (await t.engine.ping().then(() => true, () => false)); i++) await sleep(200);
      const report = await doctor(t);
      const f = finding(report, "engine/reachable");
      expect(f.status).toBe("fail");
      expect(f.fix).toMatch(/start the engine|dockerd is running/);
      expect(finding(report, "sysctl/ip-forward").status).toBe("ok");
      expect(report.findings.filter((x) => x.id.endsWith("/error"))).toEqual([]);
    });
  });
});

describe("netcheck doctor on this host (read-only)", () => {
  it("finishes without waiting on any timeout, leaves no namespace behind, and matches the kernel config", async () => {
    const report = await runDoctor({ host: local, engine: outer });
    expect(report.durationMs).toBeLessThan(30_000);
    expect(report.findings.filter((x) => x.id.endsWith("/error")).map((x) => x.title)).toEqual([]);
    const missing = await missingKernelFeatures();
    for (const f of ["ipvlan", "8021q", "macvlan", "vxlan"]) {
      expect(finding(report, `kernel/${f}`).status === "ok", f).toBe(!missing.includes(`kernel/${f}`));
    }
    expect((await hostSnapshot()).netns).toEqual(before.netns);
  });
});
