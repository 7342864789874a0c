import { execFileSync } from "node:child_process";
import { createReadStream, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { classicPcap, ethernet, ipv4, pcapngSection, udp } from "../../test/fixtures/pcap/craft.js";
import { PcapCorruptError, PcapNotACaptureError, PcapTruncatedError } from "./errors.js";
import { decodePacket } from "./packet.js";
import { readPcapBuffer, readPcapFileBatches, readPcapRecords } from "./read.js";
import type { PcapRecord } from "./record.js";
import { formatSummaryLine } from "./summary-line.js";

const FIXTURES = new URL("../../test/fixtures/pcap/", import.meta.url).pathname;
const CLASSIC = ["lo-ipv4.pcap", "lo-ipv6.pcap", "any-sll.pcap", "any-sll2.pcap", "nano.pcap", "dns.pcap"];
const fixture = (name: string) => readFileSync(FIXTURES + name);

/** pcap-parser is kept only as an oracle: it splits classic µs pcaps into records. */
function oracleRecords(path: string): Promise<Buffer[]> {
  const pcapParser = createRequire(import.meta.url)("pcap-parser") as { parse(p: string): NodeJS.EventEmitter };
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    const p = pcapParser.parse(path);
    p.on("packetData", (d: Buffer) => out.push(Buffer.from(d)));
    p.on("error", reject);
    p.on("end", () => resolve(out));
  });
}

function tcpdumpLines(path: string, nano = false): string[] {
  const args = ["-nn", "-r", path, ...(nano ? ["--time-stamp-precision=nano"] : [])];
  return execFileSync("tcpdump", args, { env: { ...process.env, TZ: "UTC" }, stdio: ["ignore", "pipe", "ignore"] }).toString().trim().split("\n");
}

describe("classic pcap fixtures", () => {
  it.each(CLASSIC)("%s: same records as pcap-parser and the same time/addresses as tcpdump", async (name) => {
    const records = [...readPcapBuffer(fixture(name), { source: name })];
    expect(records.length).toBeGreaterThan(0);
    if (name !== "nano.pcap") {
      const oracle = await oracleRecords(FIXTURES + name);
      expect(records.map((r) => r.data.toString("hex"))).toEqual(oracle.map((d) => d.toString("hex")));
    }
    const nano = name === "nano.pcap";
    const theirs = tcpdumpLines(FIXTURES + name, nano);
    expect(records.length).toBe(theirs.length);
    records.forEach((r, i) => {
      const ours = formatSummaryLine(decodePacket(r, i), { precision: nano ? 9 : 6 });
      // tcpdump prints "lo In" for cooked captures; compare time, family and both endpoints.
      const t = theirs[i]!.replace(/ lo +(In|Out|M|B|P) +/, " ").split(" ").slice(0, 5).join(" ").replace(/:$/, "");
      expect(ours.split(" ").slice(0, 5).join(" ").replace(/:$/, "")).toBe(t);
    });
  });

  it("keeps nanosecond timestamps exact", () => {
    const recs = [...readPcapBuffer(fixture("nano.pcap"))];
    const line = tcpdumpLines(FIXTURES + "nano.pcap", true)[0]!;
    const frac = line.split(" ")[0]!.split(".")[1]!;
    expect(String(recs[0]!.nsec).padStart(9, "0")).toBe(frac);
  });

  it("reads big-endian files like little-endian ones", () => {
    const data = [ethernet(0x0800, ipv4("10.0.0.1", "10.0.0.2", 17, udp(1, 2, Buffer.from("x"))))];
    for (const nano of [false, true]) {
      const le = [...readPcapBuffer(classicPcap([{ data: data[0]!, nsec: 123_456_789 }], { nano, le: true }))];
      const be = [...readPcapBuffer(classicPcap([{ data: data[0]!, nsec: 123_456_789 }], { nano, le: false }))];
      expect(be).toEqual(le);
      expect(le[0]!.nsec).toBe(nano ? 123_456_789 : 123_456_000);
    }
  });

  it("streams a file in small chunks with the same result as the buffer API", async () => {
    const whole = [...readPcapBuffer(fixture("lo-ipv4.pcap"))];
    const streamed: PcapRecord[] = [];
    for await (const r of readPcapRecords(createReadStream(FIXTURES + "lo-ipv4.pcap", { highWaterMark: 7 }))) streamed.push(r);
    expect(streamed.map((r) => [r.offset, r.sec, r.nsec, r.data.toString("hex")])).toEqual(whole.map((r) => [r.offset, r.sec, r.nsec, r.data.toString("hex")]));
    let n = 0;
    for await (const batch of readPcapFileBatches(FIXTURES + "lo-ipv4.pcap")) n += batch.length;
    expect(n).toBe(whole.length);
  });
});

describe("pcapng", () => {
  const eth = ethernet(0x0800, ipv4("10.0.0.1", "10.0.0.2", 17, udp(1000, 2000, Buffer.from("eth"))));
  const raw = ipv4("10.9.0.1", "10.9.0.2", 17, udp(3000, 4000, Buffer.from("raw")));

  it("reads interfaces with different link types and resolutions, skipping unknown blocks", () => {
    for (const le of [true, false]) {
      const file = Buffer.concat([
        pcapngSection([{ linkType: 1 }, { linkType: 101, tsresol: 9 }], [
          { data: eth, sec: 1_700_000_001, nsec: 5000, interfaceId: 0 },
          { data: raw, sec: 1_700_000_002, nsec: 123_456_789, interfaceId: 1 },
        ], { le, unknownBlock: true }),
        // A second section resets the interface list: interface 0 is now raw IP.
        pcapngSection([{ linkType: 101 }], [{ data: raw, sec: 1_700_000_003, interfaceId: 0 }], { le: !le }),
      ]);
      const recs = [...readPcapBuffer(file)];
      expect(recs.map((r) => [r.linkType, r.interfaceId, r.sec, r.nsec])).toEqual([
        [1, 0, 1_700_000_001, 5000],
        [101, 1, 1_700_000_002, 123_456_789],
        [101, 0, 1_700_000_003, 0],
      ]);
      expect(decodePacket(recs[1]!).udp).toEqual({ srcPort: 3000, dstPort: 4000 });
      expect(decodePacket(recs[0]!).payload.toString()).toBe("eth");
    }
  });

  it("reads simple packet blocks", () => {
    const recs = [...readPcapBuffer(pcapngSection([{ linkType: 1 }], [{ data: eth }], { simple: true }))];
    expect(recs).toHaveLength(1);
    expect(recs[0]!.data.equals(eth)).toBe(true);
  });

  it("reports a packet for an undescribed interface as corrupt", () => {
    const file = pcapngSection([{ linkType: 1 }], [{ data: eth, interfaceId: 0 }]);
    const epbStart = file.length - (32 + Math.ceil(eth.length / 4) * 4);
    expect(file.readUInt32LE(epbStart)).toBe(6);
    file.writeUInt32LE(7, epbStart + 8);
    expect(() => [...readPcapBuffer(file)]).toThrow(/interface 7, but only 1/);
  });
});

describe("bad input", () => {
  it("yields the good records, then reports a truncated tail with file and offset", async () => {
    const data = fixture("lo-ipv4.pcap");
    const all = [...readPcapBuffer(data)];
    const cut = data.subarray(0, data.length - 5);
    const seen: PcapRecord[] = [];
    let error: unknown;
    try {
      for (const r of readPcapBuffer(cut, { source: "cut.pcap" })) seen.push(r);
    } catch (err) {
      error = err;
    }
    expect(seen).toHaveLength(all.length - 1);
    expect(error).toBeInstanceOf(PcapTruncatedError);
    const e = error as PcapTruncatedError;
    expect(e.code).toBe("NETCHECK_PCAP_TRUNCATED");
    expect(e.offset).toBe(all.at(-1)!.offset);
    expect(e.message).toContain("cut.pcap");
    expect(e.message).toContain(`byte ${e.offset}`);
    // The streaming reader behaves the same.
    await expect(async () => {
      for await (const _ of readPcapRecords(Readable.from([cut]), { source: "cut.pcap" })) void _;
    }).rejects.toThrow(PcapTruncatedError);
  });

  it("rejects non-captures and absurd lengths with stable codes", () => {
    expect(() => [...readPcapBuffer(Buffer.from("GET / HTTP/1.1\r\n\r\n"))]).toThrow(PcapNotACaptureError);
    expect(() => [...readPcapBuffer(Buffer.alloc(0))]).toThrow(/empty/);
    const big = classicPcap([{ data: Buffer.alloc(10) }]);
    big.writeUInt32LE(0x7fffffff, 24 + 8);
    expect(() => [...readPcapBuffer(big)]).toThrow(expect.objectContaining({ code: "NETCHECK_PCAP_CORRUPT", offset: 24 }));
  });

  it("reports a missing file as a read error", async () => {
    await expect(async () => {
      for await (const _ of readPcapFileBatches("/nonexistent/x.pcap")) void _;
    }).rejects.toThrow(expect.objectContaining({ code: "NETCHECK_PCAP_READ" }));
  });
});
