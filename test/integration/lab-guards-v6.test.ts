/**
 * The lab's IPv6 is guarded like its IPv4 (issue 16): a ULA /48 per run that
 * overlaps no route of the host (whose own uplink is fd00::/64 here), an
 * unreachable route for it and an ip6tables drop toward the v6 uplink while
 * the lab exists, both gone at teardown; probes to any v6 address outside the
 * lab refused. No packet is sent anywhere but the lab's own namespace.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSocket } from "node:dgram";
import { execa } from "execa";
import { localLabHost } from "../../src/lab/lab-host.js";
import { RunLab } from "../../src/lab/run-lab.js";
import { buildQuery, TYPE_A, TYPE_AAAA } from "../../src/lab/dns-wire.js";
import { UnsafeTargetError } from "../../src/util/errors.js";
import { newRunId } from "../../src/util/ids.js";
import { cidr6Contains, nthAddress6, nthSubnet64, parseCidr6 } from "../../src/util/ipv6.js";
import { leftovers } from "../support/leftovers.js";
import { NetnsHost } from "../../src/host/netns-host.js";
import { LocalHost } from "../../src/host/local-host.js";
import { Cleanup } from "../../src/util/cleanup.js";
import { Ledger, readLedgers } from "../../src/lab/ledger.js";
import { sweep } from "../../src/lab/sweep.js";
import { restoreV6ForwardingCommand, restoreV6ForwardingLater } from "../../src/lab/v6-forwarding.js";
import { LABEL_RUN } from "../../src/util/labels.js";

const runId = newRunId();
let run: RunLab;
let range = "";
const sh = async (cmd: string, args: string[]) => String((await execa(cmd, args, { reject: false })).stdout);
const guardRules = async () => [...(await sh("ip6tables", ["-w", "-S", "DOCKER-USER"])).split("\n"), ...(await sh("ip6tables", ["-w", "-S", "FORWARD"])).split("\n")].filter((l) => l.includes(`netcheck:${runId}`));

async function ask(server: string, type: number): Promise<Buffer> {
  const sock = createSocket(server.includes(":") ? "udp6" : "udp4");
  try {
    return await new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer from ${server} in 5 s`)), 5000);
      sock.once("message", (m) => {
        clearTimeout(timer);
        resolve(m);
      });
      sock.send(buildQuery(4242, "ext.netcheck.test", type), 53, server);
    });
  } finally {
    sock.close();
  }
}

beforeAll(async () => {
  run = await RunLab.start({ runId, hosts: [await localLabHost()] });
  if (run.ipv6.range === undefined) throw new Error(`this machine has IPv6; the lab says: ${run.ipv6.unavailable}`);
  range = run.ipv6.range;
}, 60_000);

afterAll(async () => {
  await run?.dispose();
  // Gone at teardown, checked on the system itself.
  expect((await sh("ip", ["-6", "route", "show", "type", "unreachable"])).includes(range.split("/")[0]!)).toBe(false);
  expect(await guardRules()).toEqual([]);
  expect(await leftovers(runId)).toEqual([]);
}, 60_000);

describe("the lab's IPv6 guards", () => {
  it("a ULA /48 no host route overlaps, with an unreachable route (metric 4242) and a drop toward the v6 uplink", async () => {
    expect(cidr6Contains(parseCidr6("fc00::/7"), range.split("/")[0]!)).toBe(true);
    expect(cidr6Contains(parseCidr6("fd00::/64"), range.split("/")[0]!)).toBe(false);
    const unreachable = await sh("ip", ["-6", "route", "show", "type", "unreachable"]);
    expect(unreachable).toMatch(new RegExp(`^unreachable ${range.replace(/[.:/]/g, (c) => `\\${c}`)} dev lo metric 4242`, "m"));
    // A lab address on no lab network is refused by the kernel's route lookup (nothing is sent to find out).
    const lookup = await execa("ip", ["-6", "route", "get", nthAddress6(parseCidr6(nthSubnet64(parseCidr6(range), 0xbeef)), 1)], { reject: false });
    expect(`${lookup.stdout}${lookup.stderr}`).toMatch(/No route to host|unreachable/); // without the guard: "via fd00::1 dev eth0"
    const uplink = run.primary.uplink!;
    const rules = await guardRules();
    expect(rules).toEqual([`-A ${rules[0]!.split(" ")[1]} -s ${range} -o ${uplink.v6Name ?? uplink.name} -m comment --comment \"netcheck:${runId}\" -j DROP`]);
    // The chain it sits in is where forwarded v6 goes first: FORWARD itself, or DOCKER-USER jumped to from it.
    const forward = (await sh("ip6tables", ["-w", "-S", "FORWARD"])).split("\n").filter((l) => l.startsWith("-A FORWARD"));
    expect(forward[0]).toMatch(rules[0]!.includes("-A FORWARD") ? new RegExp(`netcheck:${runId}`) : /-j DOCKER-USER/);
  });

  it("the external host and the lab DNS have v6 addresses in the range; the lab DNS answers AAAA over v6 and v4", async () => {
    const ext = run.external;
    expect(ext.address6 && cidr6Contains(parseCidr6(range), ext.address6)).toBe(true);
    const ping = await execa("busybox", ["ping", "-c", "1", "-W", "2", ext.address6!], { reject: false });
    expect(ping.stdout).toMatch(/1 packets received/);
    for (const server of [ext.address6!, ext.address]) {
      const aaaa = await ask(server, TYPE_AAAA);
      expect(aaaa.readUInt16BE(6), `AAAA answers from ${server}`).toBe(1);
      expect(aaaa.subarray(aaaa.length - 16).equals(Buffer.from(parseCidr6(`${ext.address6}/128`).network.toString(16).padStart(32, "0"), "hex"))).toBe(true);
      const a = await ask(server, TYPE_A);
      expect([...a.subarray(a.length - 4)].join(".")).toBe(ext.address);
    }
  });

  it("the unreachable route and the ip6tables drop exist only while the lab exists: a second lab's appear at its start and are gone after its teardown", async () => {
    const id = newRunId();
    const second = await RunLab.start({ runId: id, hosts: [await localLabHost()] });
    const r6 = second.ipv6.range!;
    const mine = async () => [...(await sh("ip6tables", ["-w", "-S", "DOCKER-USER"])).split("\n"), ...(await sh("ip6tables", ["-w", "-S", "FORWARD"])).split("\n")].filter((l) => l.includes(`netcheck:${id}`));
    try {
      expect(r6).not.toBe(range);
      expect(await sh("ip", ["-6", "route", "show", "type", "unreachable"])).toContain(`unreachable ${r6} dev lo metric 4242`);
      expect(await mine()).toHaveLength(1);
    } finally {
      await second.dispose();
    }
    expect(await sh("ip", ["-6", "route", "show", "type", "unreachable"])).not.toContain(r6.split("/")[0]!);
    expect(await mine()).toEqual([]);
    // The first lab's are untouched by the second's teardown.
    expect(await guardRules()).toHaveLength(1);
  }, 60_000);

  it("the v6 forwarding restore is ledgered before Docker can turn it on: after kill -9, `netcheck clean` puts it back unless a v6 network is left", async () => {
    // In a namespace of our own (forwarding is per namespace, and starts at 0 there), with the real engine and CLI.
    const id = newRunId();
    const ns = `netcheck-fwd-${id}`;
    const local = new LocalHost("local");
    await execa("ip", ["netns", "add", ns]);
    const ledger = new Ledger(id);
    const nets: string[] = [];
    try {
      const host = { name: "local", kind: "local" as const, engine: run.primary.engine, shell: new NetnsHost(local, ns), uplink: undefined };
      const forwarding = async () => (await host.shell.exec(["cat", "/proc/sys/net/ipv6/conf/all/forwarding", "/proc/sys/net/ipv6/conf/default/forwarding"])).stdout.split(/\s+/).filter(Boolean).join(" ");
      expect(await forwarding()).toBe("0 0");
      await restoreV6ForwardingLater(host, new Cleanup(), ledger);
      const entry = readLedgers().find((l) => l.header.runId === id)!.entries.find((e) => e.what.startsWith("net.ipv6.conf.{all,default}.forwarding back to 0"));
      expect(entry?.undo).toEqual(restoreV6ForwardingCommand());
      // What Docker does for an --ipv6 network; then the run dies (its cleanup never runs).
      await host.shell.exec(["sysctl", "-qw", "net.ipv6.conf.all.forwarding=1", "net.ipv6.conf.default.forwarding=1"]);
      // A v6 network still on the engine keeps it on.
      const v6 = run.allocateSubnet6();
      const subnet = await run.allocateSubnet(run.primary, run.cleanup);
      nets.push(await run.primary.engine.createNetwork({ name: `nc-${id}-fwd6`, driver: "bridge", subnet, ipv6: { subnet: v6, gateway: nthAddress6(parseCidr6(v6), 1) }, labels: { [LABEL_RUN]: id } }));
      const kept = await host.shell.exec(restoreV6ForwardingCommand());
      expect(kept.stdout).toMatch(/kept: a network with IPv6 is still there/);
      expect(await forwarding()).toBe("1 1");
      // Without a docker CLI to ask, it is left on and said so (never turned off under someone's live v6 network).
      const blind = await execa("ip", ["netns", "exec", ns, "env", "PATH=/usr/sbin", "/bin/sh", ...restoreV6ForwardingCommand().slice(1)], { reject: false });
      expect(blind.exitCode).toBe(1);
      expect(blind.stderr).toMatch(/no docker CLI/);
      expect(await forwarding()).toBe("1 1");
      // `netcheck clean` of the dead run: its networks go first, then the ledger is replayed.
      const othersHaveV6 = async () => (await run.primary.engine.listNetworks()).some((n) => n.EnableIPv6 && n.Labels?.[LABEL_RUN] !== id);
      const before = await othersHaveV6();
      const report = await sweep(host, { runId: id });
      const after = await othersHaveV6();
      expect(report.problems).toEqual([]);
      expect(report.removed).toContain(entry!.what);
      // Other engineers' labs come and go on this engine: only a stable view says which branch was right.
      if (before === after) expect(await forwarding()).toBe(before ? "1 1" : "0 0");
    } finally {
      for (const n of nets) await run.primary.engine.removeNetwork(n).catch(() => undefined);
      ledger.close();
      await execa("ip", ["netns", "del", ns], { reject: false });
    }
  }, 60_000);

  it("probes to v6 addresses outside the lab are refused; lab v6 addresses are allowed", () => {
    for (const outside of ["fd00::1", "fd00::2", "2001:db8::1", "fe80::1", "fe80::1%eth0", "::ffff:192.0.2.1", "2606:4700:4700::1111", "ff02::1", "::"]) {
      expect(() => run.assertTarget(outside, "test"), outside).toThrow(UnsafeTargetError);
    }
    for (const inside of [run.external.address6!, run.external.hostSideAddress6!, "::1", nthAddress6(parseCidr6(run.allocateSubnet6()), 2)]) {
      expect(() => run.assertTarget(inside, "test"), inside).not.toThrow();
    }
  });
});
