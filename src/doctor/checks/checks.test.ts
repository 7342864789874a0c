import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Engine } from "../../engine/engine.js";
import { FakeHost } from "../../../test/fixtures/doctor/fake-host.js";
import { Facts } from "../facts.js";
import type { DoctorCheck, DoctorContext } from "../types.js";
import { dnsCheck } from "./dns.js";
import { firewallBackendCheck } from "./firewall-backend.js";
import { forwardPolicyCheck } from "./forward-policy.js";
import { mtuCheck } from "./mtu.js";
import { natRulesCheck } from "./nat-rules.js";
import { networksCheck } from "./networks.js";
import { portsCheck } from "./ports.js";
import { publishedPortsCheck } from "./published-ports.js";

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/doctor/${name}`, import.meta.url), "utf8");

const bridgeNet = { Name: "bridge", Id: "c4b5f2632711aaaa", Driver: "bridge", Internal: false, Options: { "com.docker.network.bridge.name": "docker0" }, IPAM: { Config: [{ Subnet: "172.17.0.0/16" }] } };
const web = { Id: "abc", Names: ["/web"], State: "running", HostConfig: { NetworkMode: "bridge" }, Ports: [{ IP: "0.0.0.0", PrivatePort: 80, PublicPort: 8081, Type: "tcp" }] };

function fakeEngine(networks: unknown[] = [bridgeNet], containers: unknown[] = []): Engine {
  return {
    endpoint: { display: "unix:///fake.sock" },
    ping: async () => undefined,
    info: async () => ({ Warnings: [], SecurityOptions: [], Swarm: { LocalNodeState: "inactive" } }),
    version: async () => ({ Version: "20.10.24", ApiVersion: "1.41" }),
    listNetworks: async () => networks,
    listContainers: async () => containers,
    inspectContainer: async () => ({ Name: "/web", State: { Running: true }, ResolvConfPath: "/var/lib/docker/containers/abc/resolv.conf" }),
  } as unknown as Engine;
}

function ctx(host: FakeHost, engine?: Engine): DoctorContext {
  const signal = new AbortController().signal;
  return { host, engine, signal, facts: new Facts(host, engine, signal) };
}

const run = (check: DoctorCheck, host: FakeHost, engine?: Engine) => check.run(ctx(host, engine));

describe("forward-policy", () => {
  it("is ok with Docker's rules and policy DROP", async () => {
    const [f] = await run(forwardPolicyCheck, new FakeHost({ "iptables-save -t filter": fixture("iptables-save-healthy.txt") }), fakeEngine());
    expect(f).toMatchObject({ id: "firewall/forward-policy", status: "ok" });
  });
  it("fails when DROP policy meets missing accept rules, with a reversible fix", async () => {
    const [f] = await run(forwardPolicyCheck, new FakeHost({ "iptables-save -t filter": fixture("iptables-save-forward-drop.txt") }), fakeEngine());
    expect(f?.status).toBe("fail");
    expect(f?.fixAction?.undo).toContainEqual(["iptables", "-D", "FORWARD", "-i", "docker0", "!", "-o", "docker0", "-j", "ACCEPT"]);
  });
  it("flags an unconditional DROP placed before Docker's jumps", async () => {
    const text = fixture("iptables-save-healthy.txt").replace(":FORWARD DROP", ":FORWARD ACCEPT").replace("-A FORWARD -j DOCKER-USER", "-A FORWARD -j REJECT\n-A FORWARD -j DOCKER-USER");
    const [f] = await run(forwardPolicyCheck, new FakeHost({ "iptables-save -t filter": text }), fakeEngine());
    expect(f?.status).toBe("fail");
    expect(f?.title).toContain("REJECT");
  });
});

describe("nat-rules", () => {
  const host = (nat: string) => new FakeHost({ "iptables-save -t nat": nat });
  it("fails for a bridge network without MASQUERADE", async () => {
    const nat = fixture("iptables-save-healthy.txt").replace("-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE\n", "");
    const out = await run(natRulesCheck, host(nat), fakeEngine());
    expect(out.find((f) => f.id === "firewall/masquerade/bridge")?.status).toBe("fail");
  });
  it("skips without an engine", async () => {
    expect((await run(natRulesCheck, host(""), undefined))[0]?.status).toBe("skip");
  });
});

describe("published-ports", () => {
  const webOnBridge = { ...web, NetworkSettings: { Networks: { bridge: { IPAddress: "172.17.0.2" } } } };
  const withRules = fixture("iptables-save-healthy.txt")
    .replace("-A DOCKER -i docker0 -j RETURN", "-A DOCKER -i docker0 -j RETURN\n-A DOCKER ! -i docker0 -p tcp -m tcp --dport 8081 -j DNAT --to-destination 172.17.0.2:80")
    .replace(":DOCKER - [0:0]\n", ":DOCKER - [0:0]\n-A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT\n");
  const proxy = "  1 /usr/sbin/dockerd -H fd://\n 99 /usr/sbin/docker-proxy -proto tcp -host-ip 0.0.0.0 -host-port 8081 -container-ip 172.17.0.2 -container-port 80\n";
  const host = (rules: string, ps: string) => new FakeHost({ "iptables-save -t nat": rules, "iptables-save -t filter": rules, "ps -eo pid,args": ps });
  it("is ok with DNAT, ACCEPT and docker-proxy for the port", async () => {
    const [f] = await run(publishedPortsCheck, host(withRules, proxy), fakeEngine([bridgeNet], [webOnBridge]));
    expect(f).toMatchObject({ id: "ports/published/web/8081-tcp", status: "ok" });
  });
  it("names the port whose DNAT, ACCEPT or proxy is gone (the twins)", async () => {
    const noDnat = (await run(publishedPortsCheck, host(fixture("iptables-save-healthy.txt"), proxy), fakeEngine([bridgeNet], [webOnBridge])))[0];
    expect(noDnat?.status).toBe("fail");
    expect(noDnat?.title).toMatch(/8081\/tcp of web .*DNAT rule.*ACCEPT rule.*other hosts cannot reach it/);
    const noProxy = (await run(publishedPortsCheck, host(withRules, "  1 /usr/sbin/dockerd -H fd://\n"), fakeEngine([bridgeNet], [webOnBridge])))[0];
    expect(noProxy?.status).toBe("fail");
    expect(noProxy?.title).toMatch(/lost its docker-proxy process: localhost clients cannot reach it/);
    expect(noProxy?.fix).toContain("docker restart web");
  });
});

describe("mtu and networks on the recorded host", () => {
  const recorded = () => new FakeHost({ "ip -j -d link": fixture("ip-link.json"), "ip -j route": fixture("ip-route.json"), "ip -j addr": fixture("ip-addr.json") });
  it("warns that docker0 (1500) is above eth0 (1400), with the daemon.json fix", async () => {
    const [f] = await run(mtuCheck, recorded(), fakeEngine());
    expect(f?.status).toBe("warn");
    expect(f?.fix).toContain('"mtu": 1400');
  });
  it("is ok when the uplink is as large", async () => {
    const h = new FakeHost({ "ip -j -d link": fixture("ip-link.json").replace('"mtu":1400', '"mtu":1500'), "ip -j route": fixture("ip-route.json") });
    expect((await run(mtuCheck, h, fakeEngine()))[0]?.status).toBe("ok");
  });
  it("reports docker0 and an overlapping route", async () => {
    const ok = await run(networksCheck, recorded(), fakeEngine());
    expect(ok.map((f) => [f.id, f.status])).toEqual([["network/docker0", "ok"], ["network/overlap", "ok"]]);
    const routes = JSON.stringify([...JSON.parse(fixture("ip-route.json")), { dst: "172.17.5.0/24", gateway: "192.0.2.9", dev: "eth0", flags: [] }]);
    const h = new FakeHost({ "ip -j -d link": fixture("ip-link.json"), "ip -j route": routes, "ip -j addr": fixture("ip-addr.json") });
    const bad = (await run(networksCheck, h, fakeEngine())).find((f) => f.id === "network/overlap");
    expect(bad?.status).toBe("fail");
    expect(bad?.title).toContain("172.17.5.0/24 via 192.0.2.9 dev eth0");
  });
  it("does not count a netcheck lab's guard route (unreachable, metric 4242) as an overlap, but any other unreachable route", async () => {
    const lab = { Name: "nc-ab12c-user-defined-basic-app", Id: "9f9f9f9f9f9f0000", Driver: "bridge", Labels: { "io.netcheck.run": "ab12c" }, Options: { "com.docker.network.bridge.name": "netcheck-ab12c0" }, IPAM: { Config: [{ Subnet: "10.213.104.0/24" }] } };
    const base = JSON.parse(fixture("ip-route.json")) as unknown[];
    const connected = { dst: "10.213.104.0/24", dev: "netcheck-ab12c0", protocol: "kernel", scope: "link", flags: [] };
    const withRoute = (r: unknown) => new FakeHost({ "ip -j -d link": fixture("ip-link.json"), "ip -j route": JSON.stringify([...base, connected, r]), "ip -j addr": fixture("ip-addr.json") });
    const guard = { type: "unreachable", dst: "10.213.104.0/24", metric: 4242, flags: [] };
    const ours = (await run(networksCheck, withRoute(guard), fakeEngine([bridgeNet, lab]))).find((f) => f.id === "network/overlap");
    expect(ours?.status).toBe("ok");
    expect(ours?.title).toContain("1 netcheck lab guard route");
    const foreign = (await run(networksCheck, withRoute({ ...guard, metric: 100 }), fakeEngine([bridgeNet, lab]))).find((f) => f.id === "network/overlap");
    expect(foreign?.status).toBe("fail");
    expect(foreign?.title).toContain("unreachable 10.213.104.0/24");
  });
  it("does not count a netcheck lab bridge's MTU against the uplink, but still docker0's", async () => {
    const lab = { Name: "nc-ab12c-x", Id: "9f9f9f9f9f9f0000", Driver: "bridge", Labels: { "io.netcheck.run": "ab12c" }, Options: { "com.docker.network.bridge.name": "netcheck-ab12c0" }, IPAM: { Config: [{ Subnet: "10.213.104.0/24" }] } };
    const links = [...(JSON.parse(fixture("ip-link.json").replace('"mtu":1400', '"mtu":1500')) as unknown[]), { ifindex: 99, ifname: "netcheck-ab12c0", flags: ["UP"], mtu: 9000 }];
    const h = new FakeHost({ "ip -j -d link": JSON.stringify(links), "ip -j route": fixture("ip-route.json") });
    const [f] = await run(mtuCheck, h, fakeEngine([bridgeNet, lab]));
    expect(f?.status).toBe("ok");
    expect(f?.title).toContain("1 netcheck lab bridge");
    const big = new FakeHost({ "ip -j -d link": JSON.stringify(links.map((l) => ((l as { ifname: string }).ifname === "docker0" ? { ...(l as object), mtu: 9000 } : l))), "ip -j route": fixture("ip-route.json") });
    expect((await run(mtuCheck, big, fakeEngine([bridgeNet, lab])))[0]?.title).toMatch(/docker0 9000 > eth0 1500/);
  });
});

describe("dns", () => {
  it("warns on a host loopback stub unless the daemon sets dns", async () => {
    const stub = new FakeHost({ "ps -eo pid,args": fixture("ps-procps.txt") }, { "/etc/resolv.conf": "nameserver 127.0.0.53\n" });
    expect((await run(dnsCheck, stub))[0]?.status).toBe("warn");
    const set = new FakeHost({ "ps -eo pid,args": fixture("ps-procps.txt") }, { "/etc/resolv.conf": "nameserver 127.0.0.53\n", "/etc/docker/daemon.json": '{"dns":["192.0.2.53"]}' });
    expect((await run(dnsCheck, set))[0]?.status).toBe("ok");
  });
  it("fails for a container whose resolv.conf names an unreachable loopback resolver", async () => {
    const h = new FakeHost({}, { "/etc/resolv.conf": "nameserver 10.255.255.53\n", "/var/lib/docker/containers/abc/resolv.conf": "nameserver 127.0.0.53\n" });
    const out = await run(dnsCheck, h, fakeEngine([bridgeNet], [web]));
    expect(out.find((f) => f.id === "dns/container-resolv")?.status).toBe("fail");
  });
});

describe("ports", () => {
  it("warns when another process holds a published port, not for docker-proxy", async () => {
    const h = new FakeHost({ "ss -H -ltnp": fixture("ss-ltnp.txt"), "ss -H -lunp": "" });
    const [f] = await run(portsCheck, h, fakeEngine([bridgeNet], [web]));
    expect(f?.status).toBe("warn");
    expect(f?.title).toContain("nginx");
    const proxied = { ...web, Ports: [{ IP: "0.0.0.0", PrivatePort: 80, PublicPort: 8080, Type: "tcp" }] };
    expect((await run(portsCheck, h, fakeEngine([bridgeNet], [proxied])))[0]?.status).toBe("ok");
  });
});

describe("firewall-backend", () => {
  const nft = fixture("iptables-save-healthy.txt");
  it("is ok with rules in one backend", async () => {
    const h = new FakeHost({ "iptables --version": "iptables v1.8.9 (nf_tables)\n", "iptables-legacy-save": "", "iptables-nft-save": nft });
    expect((await run(firewallBackendCheck, h)).map((f) => [f.id, f.status, f.title.split(":")[0]])).toEqual([
      ["firewall/backend", "ok", "iptables backend"],
      ["firewall/split-backends", "ok", "rules in one backend only (legacy"],
    ]);
  });
  it("fails when legacy and nft both hold rules", async () => {
    const h = new FakeHost({ "iptables --version": "iptables v1.8.9 (nf_tables)\n", "iptables-legacy-save": "*filter\n-A INPUT -p tcp --dport 22 -j DROP\nCOMMIT\n", "iptables-nft-save": nft });
    const split = (await run(firewallBackendCheck, h)).find((f) => f.id === "firewall/split-backends");
    expect(split?.status).toBe("fail");
    expect(split?.fix).toContain("iptables-legacy-save");
  });
});
