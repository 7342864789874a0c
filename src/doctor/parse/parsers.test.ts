import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cidrContains, cidrsOverlap, parseCidr4 } from "./cidr.js";
import { parseIptablesSave, ruleCount, ruleOption, rulesIn } from "./iptables-save.js";
import { parseKernelConfig } from "../../lab/kernel-config.js";
import { flagValue, parsePs, processesNamed } from "./ps.js";
import { isLoopbackAddress, parseNameservers } from "./resolv-conf.js";
import { parseSsListeners } from "./ss.js";
import { parseJsonArray, uplinkOf, type IpRoute } from "./ip-json.js";

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/doctor/${name}`, import.meta.url), "utf8");

describe("parseIptablesSave", () => {
  const t = parseIptablesSave(fixture("iptables-save-healthy.txt"));
  it("reads policies per table and chain", () => {
    expect(t.policies.filter?.FORWARD).toBe("DROP");
    expect(t.policies.nat?.POSTROUTING).toBe("ACCEPT");
    expect(t.policies.filter?.["DOCKER-USER"]).toBe("-");
  });
  it("reads rules with their table, chain and target", () => {
    const post = rulesIn(t, "nat", "POSTROUTING");
    expect(post).toHaveLength(1);
    expect(post[0]).toMatchObject({ table: "nat", chain: "POSTROUTING", target: "MASQUERADE", spec: "-s 172.17.0.0/16 ! -o docker0 -j MASQUERADE" });
    expect(ruleOption(post[0]!.spec, "-o")).toEqual({ value: "docker0", negated: true });
    expect(ruleOption(post[0]!.spec, "-s")).toEqual({ value: "172.17.0.0/16", negated: false });
  });
  it("reads comments, quoted or not", () => {
    const c = parseIptablesSave('*filter\n-A DOCKER-USER -d 10.0.0.0/8 -m comment --comment "netcheck:ab12c lab" -j DROP\n-A DOCKER-USER -m comment --comment netcheck:zz -j DROP\n');
    expect(c.rules.map((r) => r.comment)).toEqual(["netcheck:ab12c lab", "netcheck:zz"]);
  });
  it("counts rules across tables", () => {
    expect(ruleCount(fixture("iptables-save-healthy.txt"))).toBe(t.rules.length);
    expect(ruleCount("# Warning: iptables-legacy tables present\n")).toBe(0);
  });
});

describe("cidr", () => {
  it("detects overlap in both directions and none between neighbours", () => {
    const a = parseCidr4("172.17.0.0/16")!;
    expect(cidrsOverlap(a, parseCidr4("172.17.200.0/24")!)).toBe(true);
    expect(cidrsOverlap(parseCidr4("172.17.200.0/24")!, a)).toBe(true);
    expect(cidrsOverlap(a, parseCidr4("172.18.0.0/16")!)).toBe(false);
    expect(cidrsOverlap(parseCidr4("10.0.0.0/8")!, parseCidr4("10.255.255.53")!)).toBe(true);
  });
  it("rejects garbage and IPv6", () => {
    expect(parseCidr4("fd00::/64")).toBeUndefined();
    expect(parseCidr4("300.1.1.1/8")).toBeUndefined();
    expect(parseCidr4("1.2.3.4/33")).toBeUndefined();
  });
  it("contains", () => {
    expect(cidrContains(parseCidr4("192.0.2.0/24")!, "192.0.2.200")).toBe(true);
    expect(cidrContains(parseCidr4("192.0.2.0/24")!, "192.0.3.1")).toBe(false);
  });
});

describe("parseKernelConfig", () => {
  it("maps set, module and not-set options", () => {
    const c = parseKernelConfig(fixture("kernel-config.txt"));
    expect(c.get("CONFIG_MACVLAN")).toBe("y");
    expect(c.get("CONFIG_IPVLAN")).toBe("n");
    expect(c.get("CONFIG_VLAN_8021Q")).toBe("n");
    expect(parseKernelConfig("CONFIG_VXLAN=m\n").get("CONFIG_VXLAN")).toBe("m");
  });
});

describe("parseSsListeners", () => {
  const l = parseSsListeners(fixture("ss-ltnp.txt"), "tcp");
  it("reads address, port and every process name", () => {
    expect(l.map((x) => `${x.address}:${x.port}`)).toEqual(["0.0.0.0:8080", "0.0.0.0:8081", "127.0.0.1:5432", ":::8080", "fe80::1:22"]);
    expect(l[1]!.processes).toEqual(["nginx", "nginx"]);
    expect(l[4]!.processes).toEqual([]);
  });
});

describe("parsePs", () => {
  it("finds dockerd and its flags in procps output", () => {
    const procs = parsePs(fixture("ps-procps.txt"));
    const d = processesNamed(procs, "dockerd")[0]!;
    expect(d.pid).toBe(812);
    expect(flagValue(d.args, "--userland-proxy")).toBe("false");
    expect(flagValue(d.args, "--mtu")).toBe("1400");
    expect(flagValue(d.args, "--dns")).toBeUndefined();
    expect(processesNamed(procs, "docker-proxy")).toHaveLength(1);
  });
  it("reads busybox output, applets shown in braces", () => {
    const procs = parsePs(fixture("ps-busybox.txt"));
    expect(processesNamed(procs, "dockerd").map((p) => p.pid)).toEqual([23]);
    expect(processesNamed(procs, "ps").map((p) => p.pid)).toEqual([77]);
    expect(processesNamed(procs, "sh")).toEqual([]);
  });
});

describe("resolv.conf and routes", () => {
  it("lists nameservers and spots loopback stubs", () => {
    const ns = parseNameservers("# generated\nnameserver 127.0.0.53\noptions edns0\nnameserver ::1\n");
    expect(ns).toEqual(["127.0.0.53", "::1"]);
    expect(ns.every(isLoopbackAddress)).toBe(true);
    expect(isLoopbackAddress("10.255.255.53")).toBe(false);
  });
  it("finds the uplink from the default route", () => {
    const routes = parseJsonArray<IpRoute>(fixture("ip-route.json"));
    expect(uplinkOf(routes)).toBe("eth0");
    expect(uplinkOf([{ dst: "10.0.0.0/8", dev: "eth1" }])).toBeUndefined();
    expect(parseJsonArray("not json")).toEqual([]);
  });
});
