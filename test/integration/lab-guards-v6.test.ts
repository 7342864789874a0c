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

  it("probes to v6 addresses outside the lab are refused; lab v6 addresses are allowed", () => {
    for (const outside of ["fd00::1", "fd00::2", "2001:db8::1", "fe80::1", "fe80::1%eth0", "::ffff:192.0.2.1", "2606:4700:4700::1111", "ff02::1", "::"]) {
      expect(() => run.assertTarget(outside, "test"), outside).toThrow(UnsafeTargetError);
    }
    for (const inside of [run.external.address6!, run.external.hostSideAddress6!, "::1", nthAddress6(parseCidr6(run.allocateSubnet6()), 2)]) {
      expect(() => run.assertTarget(inside, "test"), inside).not.toThrow();
    }
  });
});
