import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ethernet, ipv4, tcp, udp, vxlan } from "../../test/fixtures/pcap/craft.js";
import { formatIpv6, normalizeAddress } from "./addr.js";
import { parseDns } from "./dns.js";
import { decodePacket } from "./packet.js";
import { readPcapBuffer } from "./read.js";
import type { PcapRecord } from "./record.js";
import { formatSummaryLine } from "./summary-line.js";

const FIXTURES = new URL("../../test/fixtures/pcap/", import.meta.url).pathname;
const packetsOf = (name: string) => [...readPcapBuffer(readFileSync(FIXTURES + name))].map((r, i) => decodePacket(r, i));
const rec = (data: Buffer, linkType = 1): PcapRecord => ({ data, linkType, interfaceId: 0, sec: 0, nsec: 0, originalLength: data.length, offset: 0 });

describe("decoders on real captures", () => {
  it("decodes ICMP echo and a TCP conversation carrying the page token", () => {
    const ps = packetsOf("lo-ipv4.pcap");
    const echo = ps.filter((p) => p.icmp?.type === 8);
    expect(echo.length).toBeGreaterThanOrEqual(1);
    expect(echo[0]!.ip).toMatchObject({ version: 4, src: "127.0.0.1", dst: "127.0.0.1" });
    const syn = ps.find((p) => p.tcp?.flagsText === "S")!;
    expect(syn.tcp!.dstPort).toBe(8080);
    const withToken = ps.filter((p) => p.payload.includes("token-nc7f3a9b2c1d"));
    expect(withToken).toHaveLength(1);
    expect(withToken[0]!.tcp!.srcPort).toBe(8080);
  });

  it("decodes IPv6 and both cooked link types", () => {
    expect(packetsOf("lo-ipv6.pcap").some((p) => p.ip?.version === 6 && p.icmp?.type === 128 && p.ip.src === "::1")).toBe(true);
    expect(packetsOf("lo-ipv6.pcap").some((p) => p.tcp?.dstPort === 8080)).toBe(true);
    for (const [name, lt] of [["any-sll.pcap", 113], ["any-sll2.pcap", 276]] as const) {
      const ps = packetsOf(name);
      expect(ps.every((p) => p.linkType === lt && p.ip?.src === "127.0.0.1")).toBe(true);
      expect(ps.some((p) => p.tcp?.flagsText === "S.")).toBe(true);
    }
  });

  it("decodes DNS queries and answers, CNAME chains, PTR and NXDOMAIN", () => {
    const dns = packetsOf("dns.pcap").map((p) => p.dns!);
    expect(dns.every((m) => m !== undefined)).toBe(true);
    const answers = dns.filter((m) => m.response).flatMap((m) => m.answers.map((a) => `${a.name} ${a.type} ${a.data}`));
    expect(answers).toEqual(expect.arrayContaining([
      "web.lab.test. A 10.1.0.3",
      "web.lab.test. AAAA fd00::3",
      "alias.lab.test. CNAME web.lab.test.",
      "3.0.1.10.in-addr.arpa. PTR web.lab.test.",
    ]));
    expect(dns.some((m) => m.response && m.rcode === 3 && m.questions[0]!.name === "nope.lab.test.")).toBe(true);
    expect(formatSummaryLine(packetsOf("dns.pcap")[0]!)).toMatch(/IP 127\.0\.0\.1\.\d+ > 127\.0\.0\.1\.53: \d+\+ A\? web\.lab\.test\. \(30\)$/);
  });
});

describe("decoders on crafted frames", () => {
  const inner = ethernet(0x0800, ipv4("192.168.5.1", "192.168.5.2", 6, tcp(40000, 80, 0x02, 77, 0)));

  it("decodes 802.1Q and QinQ tags", () => {
    const q = decodePacket(rec(ethernet(0x0800, ipv4("10.0.0.1", "10.0.0.2", 17, udp(5, 6, Buffer.alloc(0))), [{ tpid: 0x8100, id: 20 }])));
    expect(q.vlans).toEqual([20]);
    expect(q.udp).toEqual({ srcPort: 5, dstPort: 6 });
    const qinq = decodePacket(rec(ethernet(0x0800, ipv4("10.0.0.1", "10.0.0.2", 1, Buffer.from([8, 0, 0, 0, 0, 9, 0, 1])), [{ tpid: 0x88a8, id: 100 }, { tpid: 0x8100, id: 0x2007 }])));
    expect(qinq.vlans).toEqual([100, 7]);
    expect(qinq.icmp).toEqual({ type: 8, code: 0, id: 9, seq: 1 });
    expect(formatSummaryLine(qinq)).toContain("vlan 100 vlan 7 IP 10.0.0.1 > 10.0.0.2: ICMP echo request, id 9, seq 1");
  });

  it("decodes the Ethernet frame inside VXLAN", () => {
    const p = decodePacket(rec(ethernet(0x0800, ipv4("172.30.0.1", "172.30.0.2", 17, udp(51000, 4789, vxlan(42, inner))))));
    expect(p.vxlan).toEqual({ vni: 42, outer: { protocol: "udp", src: "172.30.0.1", srcPort: 51000, dst: "172.30.0.2", dstPort: 4789 } });
    expect(p.ip).toMatchObject({ src: "192.168.5.1", dst: "192.168.5.2" });
    expect(p.tcp).toMatchObject({ dstPort: 80, flagsText: "S", seq: 77 });
  });

  it("decodes raw IP link types, and skips IPv6 extension headers", () => {
    const v6 = Buffer.alloc(40 + 8 + 8);
    v6[0] = 0x60;
    v6.writeUInt16BE(16, 4);
    v6[6] = 0; // hop-by-hop options first
    v6[7] = 64;
    v6[23] = 1;
    v6[39] = 2;
    v6[40] = 17; // hop-by-hop: next header UDP, length 0 (8 bytes)
    v6.writeUInt16BE(53, 48);
    v6.writeUInt16BE(5353, 50);
    const p = decodePacket(rec(v6, 101));
    expect(p.ip).toMatchObject({ version: 6, src: "::1", dst: "::2", protocol: 17 });
    expect(p.udp).toEqual({ srcPort: 53, dstPort: 5353 });
    expect(decodePacket(rec(ipv4("1.2.3.4", "5.6.7.8", 6, tcp(1, 2, 0x10, 0, 0)), 228)).tcp?.flagsText).toBe(".");
  });

  it("decodes ARP", () => {
    const arp = Buffer.from("0001080006040001020000000002" + "0a000001" + "000000000000" + "0a000002", "hex");
    const p = decodePacket(rec(ethernet(0x0806, arp)));
    expect(p.arp).toMatchObject({ operation: "request", senderIp: "10.0.0.1", targetIp: "10.0.0.2", senderMac: "02:00:00:00:00:02" });
    expect(formatSummaryLine(p)).toContain("ARP, Request who-has 10.0.0.2 tell 10.0.0.1");
  });

  it("survives a DNS compression loop", () => {
    // Header, then a question name that is a pointer to itself (offset 12).
    const loop = Buffer.from("123481800001000000000000" + "c00c" + "00010001", "hex");
    expect(parseDns(loop)).toBeUndefined();
    // Two pointers pointing at each other.
    const pair = Buffer.from("123481800001000000000000" + "c00e" + "c00c" + "00010001", "hex");
    expect(parseDns(pair)).toBeUndefined();
    // The same message with a real name parses: the check above is not vacuous.
    const ok = Buffer.from("123481800001000000000000" + "0161" + "00" + "00010001", "hex");
    expect(parseDns(ok)?.questions).toEqual([{ name: "a.", type: "A" }]);
  });

  it("formats IPv6 like RFC 5952", () => {
    expect(formatIpv6([0x20010db8, 0, 0, 1])).toBe("2001:db8::1");
    expect(formatIpv6([0, 0, 0, 0])).toBe("::");
    expect(formatIpv6([0x20010db8, 0x00000001, 0x00000000, 0x00010000])).toBe("2001:db8:0:1::1:0");
    expect(normalizeAddress("2001:0DB8::0001")).toBe("2001:db8::1");
  });
});
