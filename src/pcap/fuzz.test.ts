import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Readable } from "node:stream";
import { classicPcap, ethernet, ipv4, pcapngSection, udp, vxlan } from "../../test/fixtures/pcap/craft.js";
import { CaptureSummarizer } from "./capture-summary.js";
import { PcapCorruptError, PcapError } from "./errors.js";
import { MAX_RECORD_BYTES } from "./limits.js";
import { decodePacket } from "./packet.js";
import { readPcapBatches, readPcapBuffer } from "./read.js";
import { renderCaptureSummary } from "./render.js";
import { formatSummaryLine, formatTime } from "./summary-line.js";

const FIXTURES = new URL("../../test/fixtures/pcap/", import.meta.url).pathname;
const SAMPLES = [
  readFileSync(FIXTURES + "lo-ipv4.pcap"),
  readFileSync(FIXTURES + "dns.pcap"),
  readFileSync(FIXTURES + "any-sll2.pcap"),
  pcapngSection([{ linkType: 1 }, { linkType: 101, tsresol: 9 }], [
    { data: ethernet(0x0800, ipv4("10.0.0.1", "10.0.0.2", 17, udp(1, 4789, vxlan(5, ethernet(0x86dd, Buffer.alloc(60)))))) },
    { data: ipv4("10.0.0.3", "10.0.0.4", 17, udp(53, 53, Buffer.alloc(20))), interfaceId: 1 },
  ], { unknownBlock: true }),
];

/** Read, decode, summarise and print everything: the only exception allowed out is a PcapError. */
function consume(data: Buffer): { records: number; error?: PcapError } {
  const s = new CaptureSummarizer("fuzz");
  let records = 0;
  try {
    for (const r of readPcapBuffer(data, { source: "fuzz" })) {
      records++;
      s.add(r);
      formatSummaryLine(decodePacket(r, records));
    }
    return { records };
  } catch (err) {
    if (err instanceof PcapError) return { records, error: err };
    throw err;
  }
}

function timed(data: Buffer): ReturnType<typeof consume> {
  const t0 = performance.now();
  const out = consume(data);
  // Loose: catches a decoder that loops or goes quadratic on hostile input, not a loaded machine.
  expect(performance.now() - t0).toBeLessThan(5000);
  return out;
}

describe("corrupt input never escapes as anything but a PcapError", { timeout: 60_000 }, () => {
  it("truncation at every offset of a small file reports the cut (or ends on a record boundary)", () => {
    for (const sample of SAMPLES) {
      const full = consume(sample);
      expect(full.error).toBeUndefined();
      for (let cut = 0; cut < sample.length; cut++) {
        const out = timed(sample.subarray(0, cut));
        // Every strict prefix is missing something: either an error or fewer records, never the whole file silently.
        expect(out.error !== undefined || out.records < full.records).toBe(true);
        if (out.error) expect(out.error.offset).toBeLessThanOrEqual(cut);
      }
    }
  });

  it("bit flips and byte overwrites", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SAMPLES.keys()),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 12 }),
        (which, edits) => {
          const data = Buffer.from(SAMPLES[which]!);
          for (const [pos, value] of edits) data[pos % data.length] = value;
          timed(data);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it("garbage lengths written into length fields", () => {
    fc.assert(
      fc.property(fc.constantFrom(...SAMPLES.keys()), fc.nat(), fc.oneof(fc.constant(0xffffffff), fc.constant(0), fc.nat(), fc.integer({ min: 0, max: 300_000 })), (which, at, len) => {
        const data = Buffer.from(SAMPLES[which]!);
        const pos = (at % (data.length - 4)) & ~3;
        data.writeUInt32LE(len >>> 0, pos);
        timed(data);
      }),
      { numRuns: 1500 },
    );
  });

  it("random bytes, and random bytes after a valid header", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), fc.constantFrom(...SAMPLES.keys()), (junk, which) => {
        const j = Buffer.from(junk);
        timed(j);
        timed(Buffer.concat([SAMPLES[which]!.subarray(0, 24), j]));
      }),
      { numRuns: 1000 },
    );
  });
});

/** Every record of `data` read through the streaming reader in chunks of `chunk` bytes, and the error if any. */
async function streamed(data: Buffer, chunk: number): Promise<{ offsets: number[]; error?: PcapError }> {
  const parts: Buffer[] = [];
  for (let o = 0; o < data.length; o += chunk) parts.push(data.subarray(o, o + chunk));
  const offsets: number[] = [];
  try {
    for await (const batch of readPcapBatches(Readable.from(parts), { source: "fuzz" })) for (const r of batch) offsets.push(r.offset);
    return { offsets };
  } catch (err) {
    if (err instanceof PcapError) return { offsets, error: err };
    throw err;
  }
}

const frames = Array.from({ length: 12 }, (_, i) => ethernet(0x0800, ipv4("10.0.0.1", "10.0.0.2", 17, udp(1000 + i, 53, Buffer.alloc(i * 7)))));

describe("length fields: every good record before the damage, then an error at the damaged record", { timeout: 60_000 }, () => {
  it("classic pcap: captured length beyond the limit", async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.nat({ max: 11 }), fc.integer({ min: MAX_RECORD_BYTES + 1, max: 0xffffffff }), fc.integer({ min: 1, max: 5000 }), async (le, k, len, chunk) => {
        const file = classicPcap(frames.map((data) => ({ data })), { le });
        const good = [...readPcapBuffer(file)].map((r) => r.offset);
        const data = Buffer.from(file);
        le ? data.writeUInt32LE(len, good[k]! + 8) : data.writeUInt32BE(len, good[k]! + 8);
        const out = await streamed(data, chunk);
        expect(out.offsets).toEqual(good.slice(0, k));
        expect(out.error).toBeInstanceOf(PcapCorruptError);
        expect(out.error!.offset).toBe(good[k]);
      }),
      { numRuns: 300 },
    );
  });

  it("classic pcap: any captured length is a record, a truncation or a corruption, never more records than written", async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 11 }), fc.nat(), fc.integer({ min: 1, max: 5000 }), async (k, len, chunk) => {
        const file = classicPcap(frames.map((data) => ({ data })));
        const good = [...readPcapBuffer(file)].map((r) => r.offset);
        const data = Buffer.from(file);
        data.writeUInt32LE(len >>> 0, good[k]! + 8);
        const out = await streamed(data, chunk);
        expect(out.offsets.slice(0, k)).toEqual(good.slice(0, k));
        if (out.error) expect(out.error.offset).toBeGreaterThanOrEqual(good[k]!);
        else expect(out.offsets.length).toBeLessThanOrEqual(good.length);
      }),
      { numRuns: 300 },
    );
  });

  it("pcapng: a bad block length (packet, interface or skipped block) keeps the packets before it", async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.nat({ max: 11 }), fc.oneof(fc.integer({ min: 0, max: 11 }), fc.integer({ min: MAX_RECORD_BYTES + 65_537, max: 0xffffffff }), fc.integer({ min: 12, max: 4000 }).map((n) => n | 1)), fc.integer({ min: 1, max: 5000 }), async (le, k, len, chunk) => {
        const file = pcapngSection([{ linkType: 1 }], frames.map((data) => ({ data })), { le });
        const good = [...readPcapBuffer(file)].map((r) => r.offset);
        const data = Buffer.from(file);
        le ? data.writeUInt32LE(len, good[k]! + 4) : data.writeUInt32BE(len, good[k]! + 4);
        const out = await streamed(data, chunk);
        expect(out.offsets).toEqual(good.slice(0, k));
        expect(out.error).toBeInstanceOf(PcapError);
        expect(out.error!.offset).toBeGreaterThanOrEqual(good[k]!);
      }),
      { numRuns: 300 },
    );
  });

  it("pcapng: an enhanced packet block's captured length larger than its block is corrupt at that block", async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 11 }), fc.integer({ min: 200, max: 0xffffffff }), async (k, caplen) => {
        const file = pcapngSection([{ linkType: 1 }], frames.map((data) => ({ data })));
        const good = [...readPcapBuffer(file)].map((r) => r.offset);
        const data = Buffer.from(file);
        data.writeUInt32LE(caplen, good[k]! + 20);
        const out = await streamed(data, 4096);
        expect(out.offsets).toEqual(good.slice(0, k));
        expect(out.error).toBeInstanceOf(PcapCorruptError);
        expect(out.error!.offset).toBe(good[k]);
      }),
      { numRuns: 200 },
    );
  });
});

describe("timestamps: any resolution, offset and tick count", { timeout: 60_000 }, () => {
  it("pcapng: seconds are whole, nanoseconds in range, exact where numbers are; printing and summaries never fail", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (resol, offset, ticks) => {
        const file = pcapngSection([{ linkType: 1, tsresol: resol, tsoffset: offset }], [{ data: frames[0]!, ticks }]);
        const [r] = [...readPcapBuffer(file)];
        expect(Number.isInteger(r!.sec)).toBe(true);
        expect(Number.isInteger(r!.nsec) && r!.nsec >= 0 && r!.nsec < 1e9).toBe(true);
        const exp = BigInt(resol & 0x7f);
        const valid = (resol & 0x80) === 0 ? exp <= 18n : exp <= 63n;
        const units = !valid ? 1_000_000n : (resol & 0x80) === 0 ? 10n ** exp : 1n << exp;
        const sec = ticks / units + offset;
        if (sec >= 0n && sec <= BigInt(Number.MAX_SAFE_INTEGER)) {
          expect(BigInt(r!.sec)).toBe(sec);
          expect(formatTime(r!)).toMatch(/^\d\d:\d\d:\d\d\.\d{6}$/);
        } else {
          expect(formatTime(r!)).toBe("[Error converting time]");
        }
        const s = new CaptureSummarizer("ts");
        s.add(r!);
        expect(renderCaptureSummary(s.summary).join("\n")).not.toMatch(/NaN|Invalid/);
      }),
      { numRuns: 2000 },
    );
  });

  it("pcapng: a time of exactly 2^53 − 1 seconds through a large if_tsoffset stays exact (found by the property above)", () => {
    const file = pcapngSection([{ linkType: 1, tsresol: 2, tsoffset: -6870362273970792n }], [{ data: frames[0]!, ticks: 1587756152871178300n }]);
    const [r] = [...readPcapBuffer(file)];
    expect(BigInt(r!.sec)).toBe(9007199254740991n);
  });

  it("classic pcap: every 32-bit second and fraction prints as tcpdump's HH:MM:SS.ffffff", () => {
    fc.assert(
      fc.property(fc.nat({ max: 0xffffffff }), fc.nat({ max: 999_999_999 }), fc.boolean(), (sec, frac, nano) => {
        const [r] = [...readPcapBuffer(classicPcap([{ data: frames[0]!, sec, nsec: frac }], { nano }))];
        const d = new Date(sec * 1000);
        const hms = [d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()].map((n) => String(n).padStart(2, "0")).join(":");
        expect(formatTime(r!)).toBe(`${hms}.${String(Math.floor(r!.nsec / 1000)).padStart(6, "0")}`);
        expect(renderCaptureSummary(new CaptureSummarizer("ts").summary)).toBeDefined();
      }),
      { numRuns: 1000 },
    );
  });
});
