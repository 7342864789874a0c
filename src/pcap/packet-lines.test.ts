import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ORACLE_DIR, tcpdumpLines } from "../../test/fixtures/pcap/oracle/answers.js";
import { classicPcap, ethernet, ipv4, ipv6, udp } from "../../test/fixtures/pcap/craft.js";
import { decodeInto } from "./decode.js";
import { PacketLineWriter } from "./packet-lines.js";
import { PacketView } from "./packet-view.js";
import { readPcapBuffer } from "./read.js";

function lines(data: Buffer, chunk = 1 << 20): string[] {
  const parts: Buffer[] = [];
  const w = new PacketLineWriter((c) => parts.push(c), chunk);
  const view = new PacketView();
  try {
    for (const r of readPcapBuffer(data)) w.line(decodeInto(view, r.data, r.linkType), r.sec, r.nsec, r.originalLength);
  } catch {
    // a damaged file: the lines before the damage, as tcpdump prints them
  }
  w.flush();
  return Buffer.concat(parts).toString("latin1").split("\n").slice(0, -1);
}

const ORACLE = ["corrupt-mid.pcap", "dsb.pcapng", "ts-offset.pcapng", "ts-resol0.pcapng", "snap64.pcap", "snap68.pcap", "fragments.pcap", "same-payload.pcap", "layers.pcap"];
const REAL = ["lo-ipv4.pcap", "lo-ipv6.pcap", "any-sll.pcap", "any-sll2.pcap", "nano.pcap", "dns.pcap"];

describe("--packets lines are tcpdump -nn -q's", () => {
  it.each(ORACLE)("%s (generated)", (name) => {
    expect(lines(readFileSync(ORACLE_DIR + name))).toEqual(tcpdumpLines(name));
  });

  it.each(REAL)("%s (real traffic)", (name) => {
    // Linux cooked v2: tcpdump names the interface by asking the reading host's kernel; we leave it out.
    const theirs = tcpdumpLines(name).map((l) => l.replace(/^(\S+) \S+ +(In|Out|M|B|P) +/, "$1 "));
    expect(lines(readFileSync(ORACLE_DIR + "../" + name))).toEqual(theirs);
  });

  it("the same bytes whatever the chunk size", () => {
    const data = readFileSync(ORACLE_DIR + "snap64.pcap");
    expect(lines(data, 300)).toEqual(lines(data));
  });

  it("compresses IPv6 addresses as RFC 5952 (tcpdump's inet_ntop)", () => {
    const addrs = ["::", "::1", "fd00::", "1:0:0:2::3", "fe80::1:0:0:1", "1:2:3:4:5:6:7:8", "1::4:0:0:0:8", "0:1::"];
    const frames = addrs.map((a) => ({ data: ethernet(0x86dd, ipv6(a, "::1", 17, udp(1, 2, Buffer.alloc(0)))) }));
    const out = lines(classicPcap(frames)).map((l) => l.split(" ")[2]!.replace(/\.1$/, ""));
    expect(out).toEqual(["::", "::1", "fd00::", "1:0:0:2::3", "fe80::1:0:0:1", "1:2:3:4:5:6:7:8", "1:0:0:4::8", "0:1::"]);
  });

  it("never writes NaN, and ends every packet with a newline", () => {
    const frames = [ethernet(0x0800, ipv4("10.0.0.1", "10.0.0.2", 17, udp(1, 2, Buffer.alloc(3)))).subarray(0, 20), Buffer.alloc(0)];
    const out = lines(classicPcap(frames.map((data) => ({ data }))));
    expect(out).toHaveLength(2);
    for (const l of out) expect(l).not.toMatch(/NaN|undefined/);
  });
});
