/**
 * The faults users post about, each injected on a fresh docker-in-docker target
 * (never on this host) and each found with its evidence and fix; a healthy
 * target with published ports stays clean.
 */
import { afterAll, describe, expect, it } from "vitest";
import { fixCommandProblems } from "../../src/cli/fix-commands.js";
import { runDoctor, type DoctorReport, type Finding } from "../../src/doctor/index.js";
import { Engine } from "../../src/engine/engine.js";
import { buildAppImage, runApp, startDindTarget, type DindOptions, type StartedDindTarget, OWN_TARGETS } from "../fixtures/doctor/dind-target.js";

const outer = Engine.fromEnv();

// The target image is built once by test/global-setup.ts (buildDindImage), for every doctor file.

afterAll(async () => {
  for (const c of await outer.listContainers({ label: OWN_TARGETS })) await outer.removeContainer(c.Id);
});

const timings: number[] = [];
afterAll(() => {
  if (timings.length) process.stderr.write(`doctor on dind targets: ${timings.length} runs, median ${timings.sort((a, b) => a - b)[Math.floor(timings.length / 2)]} ms, max ${Math.max(...timings)} ms\n`);
});

/** A fresh target with the app image and a container publishing 8080/tcp and 5353/udp. */
async function withApp(fn: (t: StartedDindTarget) => Promise<void>, options: DindOptions = {}, publish = [{ host: 8080, container: 80 }, { host: 5353, container: 53, protocol: "udp" as const }]): Promise<void> {
  await using t = await startDindTarget(outer, options);
  await buildAppImage(t);
  await runApp(t, "app", publish);
  await fn(t);
}

async function doctor(t: StartedDindTarget): Promise<DoctorReport> {
  const r = await runDoctor({ host: t.host, engine: t.engine });
  timings.push(r.durationMs);
  expect(await fixCommandProblems(r.findings)).toEqual([]);
  return r;
}

function finding(report: DoctorReport, id: string): Finding {
  const f = report.findings.find((x) => x.id === id);
  if (!f) throw new Error(`no finding ${id}; ids: ${report.findings.map((x) => x.id).join(", ")}`);
  return f;
}

const notOk = (r: DoctorReport) => r.findings.filter((f) => f.status !== "ok" && !f.id.startsWith("kernel/")).map((f) => `${f.status} ${f.id}: ${f.title}`);

describe("doctor finds the field faults on a docker-in-docker target", () => {
  it("a healthy target with published ports: every port's DNAT, ACCEPT and proxy ok, chains ok, nothing but kernel warnings", async () => {
    await withApp(async (t) => {
      const r = await doctor(t);
      expect(notOk(r)).toEqual([]);
      expect(finding(r, "ports/published/app/8080-tcp").title).toMatch(/DNAT and ACCEPT present, docker-proxy running/);
      expect(finding(r, "ports/published/app/5353-udp").status).toBe("ok");
      expect(finding(r, "firewall/docker-chains").status).toBe("ok");
      expect(finding(r, "engine/userland-proxy").title).toMatch(/appear to the container as the bridge gateway.*"userland-proxy": false/);
    });
  });

  it("a firewall reload that flushed every table: chains missing, each published port named", async () => {
    await withApp(async (t) => {
      // What `firewall-cmd --reload` on an old firewalld, or a hand-run flush, leaves behind.
      for (const table of ["filter", "nat"]) {
        await t.exec(["iptables", "-t", table, "-F"]);
        await t.exec(["iptables", "-t", table, "-X"]);
      }
      const r = await doctor(t);
      const chains = finding(r, "firewall/docker-chains");
      expect(chains.status).toBe("fail");
      expect(chains.title).toMatch(/missing filter chain DOCKER-USER.*filter chain DOCKER-ISOLATION-STAGE-1.*nat chain DOCKER/);
      expect(chains.fix).toMatch(/restart dockerd/);
      for (const id of ["ports/published/app/8080-tcp", "ports/published/app/5353-udp"]) {
        const p = finding(r, id);
        expect(p.status, id).toBe("fail");
        expect(p.title, id).toMatch(/lost its DNAT rule \(nat DOCKER\), its ACCEPT rule/);
      }
    });
  });

  it("only the per-port DNAT rules gone (nat DOCKER flushed): the chains are there, each port is named", async () => {
    await withApp(async (t) => {
      await t.exec(["iptables", "-t", "nat", "-F", "DOCKER"]);
      const r = await doctor(t);
      expect(finding(r, "firewall/docker-chains").status).toBe("ok");
      expect(finding(r, "ports/published/app/8080-tcp").title).toMatch(/8080\/tcp of app .* lost its DNAT rule \(nat DOCKER\): other hosts cannot reach it/);
    });
  });

  it("a killed docker-proxy: the port it served is named", async () => {
    await withApp(async (t) => {
      await t.exec(["sh", "-c", "kill $(ps -eo pid,args | awk '/docker-proxy .*-host-port 8080/ && !/awk/ {print $1}')"]);
      const r = await doctor(t);
      const p = finding(r, "ports/published/app/8080-tcp");
      expect(p.status).toBe("fail");
      expect(p.title).toMatch(/lost its docker-proxy process: localhost clients cannot reach it/);
      expect(finding(r, "ports/published/app/5353-udp").status).toBe("ok");
    });
  });

  it("ufw active with ports published on all addresses: warned, with the DOCKER-USER recipe; bound to 127.0.0.1 it is fine", async () => {
    const ufw = async (t: StartedDindTarget) => {
      // ufw's footprint: its config says enabled and its chains are in the filter table.
      await t.exec(["sh", "-c", "mkdir -p /etc/ufw && echo ENABLED=yes > /etc/ufw/ufw.conf"]);
      await t.exec(["iptables", "-N", "ufw-user-input"]);
      await t.exec(["iptables", "-A", "INPUT", "-j", "ufw-user-input"]);
    };
    await withApp(async (t) => {
      await ufw(t);
      const f = finding(await doctor(t), "firewall/host-firewall");
      expect(f.status).toBe("warn");
      expect(f.title).toMatch(/ufw active, but published ports bypass its rules.*8080\/tcp \(app\)/);
      expect(f.fix).toMatch(/iptables -I DOCKER-USER -i eth0 -j DROP/);
      expect(f.fix).toMatch(/127\.0\.0\.1/);
    });
    await withApp(async (t) => {
      await ufw(t);
      const f = finding(await doctor(t), "firewall/host-firewall");
      expect(f.status).toBe("ok");
      expect(f.title).toMatch(/ufw active; no port is published on a public address/);
    }, {}, [{ host: 8080, container: 80, hostIp: "127.0.0.1" }]);
  });

  it("firewalld running: warned, with the firewall-cmd --direct form of the recipe", async () => {
    await withApp(async (t) => {
      await t.exec(["sh", "-c", "printf '#!/bin/sh\\nsleep 2147483647\\n' > /usr/sbin/firewalld && chmod +x /usr/sbin/firewalld && (/usr/sbin/firewalld --nofork >/dev/null 2>&1 &)"]);
      await t.exec(["nft", "add", "table", "inet", "firewalld"]);
      const f = finding(await doctor(t), "firewall/host-firewall");
      expect(f.status).toBe("warn");
      expect(f.title).toMatch(/^firewalld active/);
      expect(f.fix).toMatch(/firewall-cmd --direct --add-rule ipv4 filter DOCKER-USER/);
    });
  });

  it('"iptables": false: said with what it disables, and no false MASQUERADE or chain failure', async () => {
    await withApp(async (t) => {
      const r = await doctor(t);
      const f = finding(r, "engine/daemon-iptables");
      expect(f.status).toBe("warn");
      expect(f.title).toMatch(/no DNAT.*no MASQUERADE.*not isolated/);
      expect(f.evidence.map((e) => e.value).join("\n")).toContain('"iptables": false');
      expect(finding(r, "firewall/masquerade").status).toBe("skip");
      expect(finding(r, "firewall/docker-chains").status).toBe("skip");
      expect(r.totals.fail, notOk(r).join("\n")).toBe(0);
    }, { daemonJson: { iptables: false } });
  });

  it('"ip-forward": false and "bridge": "none": each said with what it disables; no docker0 is not a fault then', async () => {
    await using t = await startDindTarget(outer, { daemonJson: { "ip-forward": false, bridge: "none" } });
    const r = await doctor(t);
    expect(finding(r, "engine/daemon-ip-forward").title).toMatch(/does not turn on net.ipv4.ip_forward/);
    expect(finding(r, "engine/daemon-bridge-none").title).toMatch(/docker0 does not exist/);
    expect(finding(r, "network/docker0").status).toBe("ok");
    expect(finding(r, "network/docker0").title).toMatch(/"bridge": "none"/);
    expect(r.totals.fail, notOk(r).join("\n")).toBe(0);
  });

  it("stale UDP conntrack entries: one DNATed to a gone container, one tracked before the port was published; deleting them clears it", async () => {
    await withApp(async (t) => {
      const subnet = (await t.engine.inspectNetwork("bridge")).IPAM!.Config![0]!.Subnet!;
      const gone = subnet.replace(/\.0\.0\/16$/, ".0.99");
      const gw = subnet.replace(/\.0\.0\/16$/, ".0.1");
      // Entries only: conntrack -I writes the table of the target's own namespace, no packet is sent.
      await t.exec(["conntrack", "-I", "-p", "udp", "-s", gw, "-d", t.address, "--sport", "40000", "--dport", "5353", "-r", gone, "-q", gw, "--reply-port-src", "53", "--reply-port-dst", "40000", "-t", "600", "-u", "SEEN_REPLY"]);
      await t.exec(["conntrack", "-I", "-p", "udp", "-s", "198.51.100.7", "-d", t.address, "--sport", "41000", "--dport", "5353", "-r", t.address, "-q", "198.51.100.7", "--reply-port-src", "5353", "--reply-port-dst", "41000", "-t", "600", "-u", "SEEN_REPLY"]);
      const f = finding(await doctor(t), "ports/conntrack-udp");
      expect(f.status, `${f.title}\n${JSON.stringify(f.evidence)}`).toBe("warn");
      expect(f.title).toContain(`DNATed to ${gone}:53, which no running container holds`);
      expect(f.title).toContain("not DNATed, though app publishes 5353/udp now");
      expect(f.fix).toContain(`conntrack -D -p udp --reply-src ${gone}`);
      expect(f.fix).toContain("conntrack -D -p udp --orig-port-dst 5353");
      await t.exec(["conntrack", "-D", "-p", "udp", "--reply-src", gone]);
      await t.exec(["conntrack", "-D", "-p", "udp", "--orig-port-dst", "5353"]);
      expect(finding(await doctor(t), "ports/conntrack-udp").status).toBe("ok");
    });
  });

  it("a VXLAN device: its tx checksum offload is read with ethtool and named, with the fix to try", async () => {
    await withApp(async (t) => {
      await t.exec(["ip", "link", "add", "vx0", "type", "vxlan", "id", "42", "dstport", "4789", "dev", "eth0"]);
      const on = finding(await doctor(t), "overlay/vxlan-offload");
      expect(on.title).toMatch(/vx0 \(vxlan\) tx-checksumming on/);
      expect(on.title).toContain("ethtool -K vx0 tx-checksum-ip-generic off");
      expect(on.evidence[0]?.source).toMatch(/ethtool -k vx0/);
      await t.exec(["ethtool", "-K", "vx0", "tx", "off"]);
      expect(finding(await doctor(t), "overlay/vxlan-offload").title).toMatch(/vx0 \(vxlan\) tx-checksumming off/);
    });
  });

  it('"userland-proxy": false: said, with the trade-off, and no proxy is expected per port', async () => {
    await withApp(async (t) => {
      const r = await doctor(t);
      expect(finding(r, "engine/userland-proxy").title).toMatch(/userland-proxy disabled: published ports are DNAT only/);
      expect(finding(r, "ports/published/app/8080-tcp").status).toBe("ok");
    }, { daemonJson: { "userland-proxy": false } });
  });
});
