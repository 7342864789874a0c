import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Engine } from "../../engine/engine.js";
import { FakeHost } from "../../../test/fixtures/doctor/fake-host.js";
import { Facts } from "../facts.js";
import { ipv6Check } from "./ipv6.js";

/** `ip -j -6 route` recorded on this machine (uplink fd00::/64 on eth0, static default), plus one lab network and its guard route. */
const routes = readFileSync(new URL("../../../test/fixtures/doctor/ip-6-route.json", import.meta.url), "utf8");
const v6Net = { Name: "app6", Id: "5d0f4a8c1e22ffff", Driver: "bridge", EnableIPv6: true, Options: {}, IPAM: { Config: [{ Subnet: "172.30.0.0/24" }, { Subnet: "fd6e:1:2::/64", Gateway: "fd6e:1:2::1" }] } };
const bridge = { Name: "bridge", Id: "c4b5f2632711aaaa", Driver: "bridge", EnableIPv6: false, Options: { "com.docker.network.bridge.name": "docker0" }, IPAM: { Config: [{ Subnet: "172.17.0.0/16" }] } };

function engine(networks: unknown[], version = "20.10.24"): Engine {
  return {
    endpoint: { display: "unix:///fake.sock" },
    ping: async () => undefined,
    info: async () => ({ Warnings: [] }),
    version: async () => ({ Version: version, ApiVersion: "1.41" }),
    listNetworks: async () => networks,
    listContainers: async () => [],
  } as unknown as Engine;
}

const sys = (over: Record<string, string> = {}) => ({
  "/proc/sys/net/ipv6/conf/all/disable_ipv6": "0\n",
  "/proc/sys/net/ipv6/conf/all/forwarding": "1\n",
  "/proc/sys/net/ipv6/conf/br-5d0f4a8c1e22/disable_ipv6": "0\n",
  ...over,
});

async function findings(files: Record<string, string>, opts: { routes?: string; networks?: unknown[]; version?: string } = {}) {
  const host = new FakeHost({ "ip -j -6 route": opts.routes ?? routes }, files);
  const signal = new AbortController().signal;
  const e = engine(opts.networks ?? [bridge, v6Net], opts.version);
  const out = await ipv6Check.run({ host, engine: e, signal, facts: new Facts(host, e, signal) });
  return Object.fromEntries(out.map((f) => [f.id, f]));
}

describe("doctor ipv6", () => {
  it("a kernel without IPv6 is one skip with the probed reason", async () => {
    const f = await findings({});
    expect(Object.keys(f)).toEqual(["ipv6/kernel"]);
    expect(f["ipv6/kernel"]).toMatchObject({ status: "skip", title: expect.stringMatching(/no IPv6 \(\/proc\/sys\/net\/ipv6 is absent\)/) });
  });

  it("this machine as recorded: enabled, forwarding on, a lab v6 network on its own bridge and its guard route are no overlap; no ip6tables is a warning", async () => {
    const f = await findings(sys());
    expect(f["ipv6/disable-ipv6"]!.status).toBe("ok");
    expect(f["ipv6/forwarding"]!.status).toBe("ok");
    expect(f["ipv6/overlap"]).toMatchObject({ status: "ok", title: "no host v6 route overlaps Docker's 1 v6 subnet(s)" });
    expect(f["ipv6/daemon"]!.status).toBe("warn");
    expect(f["ipv6/daemon"]!.title).toMatch(/not "ip6tables": true: no v6 NAT/);
    expect(f["ipv6/daemon"]!.fix).toMatch(/"ip6tables": true and "experimental": true/);
  });

  it("disable_ipv6=1 (all, or on a v6 network's bridge) fails while Docker uses IPv6, with the sysctl to set", async () => {
    const all = await findings(sys({ "/proc/sys/net/ipv6/conf/all/disable_ipv6": "1\n" }));
    expect(all["ipv6/disable-ipv6"]).toMatchObject({ status: "fail", fix: expect.stringContaining("net.ipv6.conf.all.disable_ipv6=0") });
    const dev = await findings(sys({ "/proc/sys/net/ipv6/conf/br-5d0f4a8c1e22/disable_ipv6": "1\n" }));
    expect(dev["ipv6/disable-ipv6"]).toMatchObject({ status: "fail", title: expect.stringContaining("br-5d0f4a8c1e22") });
    // Without any v6 network it is a choice, not a fault.
    const unused = await findings(sys({ "/proc/sys/net/ipv6/conf/all/disable_ipv6": "1\n" }), { networks: [bridge] });
    expect(unused["ipv6/disable-ipv6"]).toMatchObject({ status: "ok", title: expect.stringContaining("no Docker network has IPv6") });
  });

  it("forwarding=0 fails with a v6 network; forwarding=1 with an RA-learned default route and accept_ra=1 warns", async () => {
    const off = await findings(sys({ "/proc/sys/net/ipv6/conf/all/forwarding": "0\n" }));
    expect(off["ipv6/forwarding"]).toMatchObject({ status: "fail", fix: expect.stringContaining("net.ipv6.conf.all.forwarding=1") });
    const ra = routes.replace('{"dst": "default", "gateway": "fd00::1", "dev": "eth0", "metric": 1024', '{"dst": "default", "gateway": "fe80::1", "dev": "eth0", "protocol": "ra", "metric": 1024');
    const lost = await findings(sys({ "/proc/sys/net/ipv6/conf/eth0/accept_ra": "1\n" }), { routes: ra });
    expect(lost["ipv6/forwarding"]).toMatchObject({ status: "warn", fix: "sysctl -w net.ipv6.conf.eth0.accept_ra=2 and persist it in /etc/sysctl.d/" });
    const kept = await findings(sys({ "/proc/sys/net/ipv6/conf/eth0/accept_ra": "2\n" }), { routes: ra });
    expect(kept["ipv6/forwarding"]!.status).toBe("ok");
  });

  it("a host route inside a Docker v6 subnet (not its bridge's, not a lab guard) is an overlap, fixed-cidr-v6 included", async () => {
    const stale = routes.replace("[", '[{"dst": "fd6e:1:2::/80", "gateway": "fd00::9", "dev": "eth0", "metric": 1024, "flags": []}, ');
    const f = await findings(sys(), { routes: stale });
    expect(f["ipv6/overlap"]).toMatchObject({ status: "warn", title: expect.stringContaining("network app6 (fd6e:1:2::/64) overlaps route `fd6e:1:2::/80 via fd00::9 dev eth0`") });
    const daemonJson = JSON.stringify({ ipv6: true, "fixed-cidr-v6": "fd00::/64" });
    const fixed = await findings({ ...sys(), "/etc/docker/daemon.json": daemonJson }, { networks: [bridge] });
    expect(fixed["ipv6/overlap"]!.title).toContain("network bridge (fd00::/64) overlaps route `fd00::/64 dev eth0`");
  });

  it('"ip6tables": true without "experimental" fails on 20.10, not on 27', async () => {
    const file = { ...sys(), "/etc/docker/daemon.json": JSON.stringify({ ipv6: true, "fixed-cidr-v6": "fd6e:9::/64", ip6tables: true }) };
    expect((await findings(file))["ipv6/daemon"]).toMatchObject({ status: "fail", fix: expect.stringContaining('"experimental": true') });
    expect((await findings(file, { version: "27.3.1" }))["ipv6/daemon"]!.status).toBe("ok");
    const both = { ...sys(), "/etc/docker/daemon.json": JSON.stringify({ ipv6: true, ip6tables: true, experimental: true }) };
    expect((await findings(both))["ipv6/daemon"]).toMatchObject({ status: "ok", title: "daemon: ipv6 true, ip6tables true, experimental true" });
  });
});
