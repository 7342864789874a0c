import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ethernet, ipv4, pcapngSection, udp, vxlan } from "../../test/fixtures/pcap/craft.js";
import { CaptureSummarizer } from "./capture-summary.js";
import { PcapError } from "./errors.js";
import { decodePacket } from "./packet.js";
import { readPcapBuffer } from "./read.js";
import { formatSummaryLine } from "./summary-line.js";

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
  expect(performance.now() - t0).toBeLessThan(500);
  return out;
}

describe("corrupt input never escapes as anything but a PcapError", () => {
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
