import { describe, expect, it } from "vitest";
import type { ExecResult } from "../host/host.js";
import { parseNslookup } from "./dns.js";
import { parseIpAddr, parseIpLink, parseIpRoute } from "./net-info.js";
import { parseHttpReach, parsePingReach } from "./reach.js";

const res = (stdout: string, exitCode = 0, stderr = ""): ExecResult => ({ where: "t", command: [], exitCode, stdout, stderr, durationMs: 1, startedAt: "", timedOut: false });

// Recorded from netcheck/probe (busybox 1.35) containers on Docker 20.10.
describe("nslookup parsing", () => {
  it("reads the answer from the embedded DNS", () => {
    const out = "Server:\t\t127.0.0.11\nAddress:\t127.0.0.11:53\n\nNon-authoritative answer:\nName:\tb\nAddress: 10.213.7.3\n\n";
    expect(parseNslookup(res(out))).toMatchObject({ resolved: true, addresses: ["10.213.7.3"], server: "127.0.0.11", nxdomain: false });
  });
  it("reports NXDOMAIN with the server that said it", () => {
    const out = "Server:\t\t198.18.4.1\nAddress:\t198.18.4.1:53\n\n** server can't find b: NXDOMAIN\n\n";
    expect(parseNslookup(res(out, 1))).toMatchObject({ resolved: false, nxdomain: true, server: "198.18.4.1", addresses: [] });
  });
  it("reads AAAA answers, and an AAAA query for a v4-only container as an empty answer (recorded, Docker 20.10)", () => {
    const aaaa = { ...res("Server:\t\t127.0.0.11\nAddress:\t127.0.0.11:53\n\nNon-authoritative answer:\nName:\tb\nAddress: fd6e:9dd1:8182:1::3\n\n"), command: ["busybox", "nslookup", "-type=aaaa", "b"] };
    expect(parseNslookup(aaaa)).toMatchObject({ resolved: true, answer: "answer", addresses: ["fd6e:9dd1:8182:1::3"], server: "127.0.0.11" });
    const empty = { ...res("Server:\t\t127.0.0.11\nAddress:\t127.0.0.11:53\n\nNon-authoritative answer:\n\n"), command: ["busybox", "nslookup", "-type=aaaa", "p2"] };
    expect(parseNslookup(empty)).toMatchObject({ resolved: false, answer: "no-answer", addresses: [], detail: "an empty answer (no AAAA record) from 127.0.0.11" });
  });
  it("never takes the server's own address for an answer", () => {
    const out = "Server:\t\t127.0.0.11\nAddress:\t127.0.0.11:53\n\n";
    expect(parseNslookup(res(out, 1)).addresses).toEqual([]);
  });
});

describe("reach parsing", () => {
  it("ping: received counts, and a name that did not resolve", () => {
    expect(parsePingReach(res("1 packets transmitted, 1 packets received, 0% packet loss\n"))).toMatchObject({ reached: true });
    expect(parsePingReach(res("1 packets transmitted, 0 packets received, 100% packet loss\n", 1))).toMatchObject({ reached: false, detail: "1 sent, 0 received" });
    expect(parsePingReach(res("", 1, "ping: bad address 'b'\n"))).toMatchObject({ reached: false, detail: expect.stringContaining('"b" did not resolve') });
  });
  it("http: identity of the node that answered", () => {
    expect(parseHttpReach(res("HTTP/1.1 200 OK\r\n\r\nnode=b\n"))).toMatchObject({ reached: true, identity: "b" });
    expect(parseHttpReach(res("", 1, "wget: can't connect to remote host (10.1.0.2): Connection refused\n"))).toMatchObject({ reached: false, detail: expect.stringContaining("Connection refused") });
  });
});

describe("ip output parsing", () => {
  const link =
    "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n" +
    "10: eth0@if11: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1500 qdisc noqueue \\    link/ether 02:42:ac:11:00:02 brd ff:ff:ff:ff:ff:ff\n";
  it("links with peer, MTU and MAC", () => {
    expect(parseIpLink(link)).toEqual([
      expect.objectContaining({ index: 1, name: "lo", mtu: 65536 }),
      expect.objectContaining({ index: 10, name: "eth0", peer: "if11", mtu: 1500, mac: "02:42:ac:11:00:02" }),
    ]);
  });
  it("addresses and routes", () => {
    expect(parseIpAddr("10: eth0    inet 172.17.0.2/16 brd 172.17.255.255 scope global eth0\\       valid_lft forever\n")).toEqual([{ dev: "eth0", address: "172.17.0.2", prefixLen: 16 }]);
    expect(parseIpRoute("default via 172.17.0.1 dev eth0 \n172.17.0.0/16 dev eth0 scope link  src 172.17.0.2 \nunreachable 10.213.4.0/24 metric 4242\n")).toEqual([
      { dest: "default", via: "172.17.0.1", dev: "eth0", type: undefined },
      { dest: "172.17.0.0/16", via: undefined, dev: "eth0", type: undefined },
      { dest: "10.213.4.0/24", via: undefined, dev: undefined, type: "unreachable" },
    ]);
  });
});
