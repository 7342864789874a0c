import type { PcapRecord } from "./record.js";
import { MAX_RECORD_BYTES } from "./limits.js";
import type { RecordFormat, RecordSplitter } from "./record-splitter.js";

const SHB = 0x0a0d0d0a;
const IDB = 1;
const SPB = 3;
const EPB = 6;
/** A packet block longer than this is corruption: a max-size packet plus generous options. */
const MAX_BLOCK_BYTES = MAX_RECORD_BYTES + 65_536;
/** Section and interface blocks are buffered to read their options: bounded, but far above any real one. */
const MAX_HEADER_BLOCK_BYTES = 16 << 20;
/** The blocks we read; every other type is skipped by its length. */
const READ_BLOCKS: ReadonlySet<number> = new Set([SHB, IDB, SPB, EPB]);
const BLOCK_NAMES: Record<number, string> = { [SHB]: "section header block", [IDB]: "interface description block", [SPB]: "simple packet block", [EPB]: "enhanced packet block" };

interface Interface {
  linkType: number;
  snaplen: number;
  /** Timestamp units per second (if_tsresol); 1e6 when absent. */
  unitsPerSec: bigint;
  /** if_tsoffset, seconds. */
  offsetSec: number;
  /** The same offset exactly: a float sum near 2^53 rounds (the fast path below only takes small offsets). */
  offsetBig: bigint;
}

/** pcapng (draft-ietf-opsawg-pcapng): SHB/IDB/EPB/SPB; other blocks are skipped by length. */
export class PcapngFormat implements RecordFormat {
  readonly name = "pcapng";
  private le = true;
  private inSection = false;
  private interfaces: Interface[] = [];

  /** A block we do not read, being streamed past: bytes of its body still to drop, its length and where it began. */
  private skipLeft = 0;
  private skipping: { len: number; offset: number } | undefined;

  next(s: RecordSplitter): PcapRecord | null {
    for (;;) {
      if (this.skipping !== undefined && !this.skipOn(s)) return null;
      const b = s.buf;
      const p = s.pos;
      if (b.length - p < 12) return null;
      const type = this.u32(b, p);
      if (type === SHB) {
        const bom = b.readUInt32LE(p + 8);
        if (bom === 0x1a2b3c4d) this.le = true;
        else if (bom === 0x4d3c2b1a) this.le = false;
        else throw s.corrupt(`section header has byte-order magic 0x${bom.toString(16)}`);
      } else if (!this.inSection) {
        throw s.corrupt("the first block is not a Section Header Block");
      }
      const len = this.u32(b, p + 4);
      if (len < 12 || len % 4 !== 0) throw s.corrupt(`block length ${len} is invalid (a block is at least 12 bytes, in multiples of 4)`);
      if (!READ_BLOCKS.has(type)) {
        // Blocks we do not read (decryption secrets, name resolution, statistics, custom) may be any size:
        // they are streamed past, never buffered, so a 334 KB secrets block is no reason to stop (issue 17, item 2).
        this.skipping = { len, offset: s.base + p };
        this.skipLeft = len - 12;
        s.pos = p + 8;
        continue;
      }
      const max = type === EPB || type === SPB ? MAX_BLOCK_BYTES : MAX_HEADER_BLOCK_BYTES;
      if (len > max) throw s.corrupt(`${BLOCK_NAMES[type]} length ${len} exceeds the ${max}-byte limit`);
      if (b.length - p < len) return null;
      if (this.u32(b, p + len - 4) !== len) throw s.corrupt("block's trailing length does not match its leading length");
      const record = this.block(s, b, p, type, len);
      s.pos = p + len;
      if (record) {
        s.records++;
        return record;
      }
    }
  }

  /** Drop the skipped block's body as it streams in; true once its trailing length is read and checked. */
  private skipOn(s: RecordSplitter): boolean {
    const skip = this.skipping!;
    const take = Math.min(this.skipLeft, s.buf.length - s.pos);
    s.pos += take;
    this.skipLeft -= take;
    if (this.skipLeft > 0 || s.buf.length - s.pos < 4) return false;
    if (this.u32(s.buf, s.pos) !== skip.len) throw s.corrupt(`block's trailing length does not match its leading length ${skip.len}`, skip.offset - s.base);
    s.pos += 4;
    this.skipping = undefined;
    return true;
  }

  /** At end of input: what is missing, when a skipped block did not end. */
  pending(): string | undefined {
    return this.skipping === undefined ? undefined : `the ${this.skipping.len}-byte block at byte ${this.skipping.offset} ends past the end of the input`;
  }

  private block(s: RecordSplitter, b: Buffer, p: number, type: number, len: number): PcapRecord | null {
    if (type === SHB) {
      if (len < 28) throw s.corrupt("section header block is too short");
      const major = this.u16(b, p + 12);
      if (major !== 1) throw s.corrupt(`unsupported pcapng version ${major}`);
      this.inSection = true;
      this.interfaces = [];
      return null;
    }
    if (type === IDB) {
      if (len < 20) throw s.corrupt("interface description block is too short");
      const iface: Interface = { linkType: this.u16(b, p + 8), snaplen: this.u32(b, p + 12), unitsPerSec: 1_000_000n, offsetSec: 0, offsetBig: 0n };
      this.options(b, p + 16, p + len - 4, iface);
      this.interfaces.push(iface);
      return null;
    }
    if (type === EPB) {
      if (len < 32) throw s.corrupt("enhanced packet block is too short");
      const ifid = this.u32(b, p + 8);
      const iface = this.interfaces[ifid];
      if (!iface) throw s.corrupt(`packet refers to interface ${ifid}, but only ${this.interfaces.length} are described`);
      const caplen = this.u32(b, p + 20);
      if (caplen > len - 32 || caplen > MAX_RECORD_BYTES) throw s.corrupt(`packet length ${caplen} does not fit its ${len}-byte block`);
      const ts = toTimestamp(this.u32(b, p + 12), this.u32(b, p + 16), iface);
      return { linkType: iface.linkType, interfaceId: ifid, ...ts, originalLength: this.u32(b, p + 24), data: b.subarray(p + 28, p + 28 + caplen), offset: s.base + p };
    }
    if (type === SPB) {
      if (len < 16) throw s.corrupt("simple packet block is too short");
      const iface = this.interfaces[0];
      if (!iface) throw s.corrupt("simple packet block before any interface description");
      const origlen = this.u32(b, p + 8);
      // SPB has no captured-length field: it is the original length cut at snaplen and at the block end.
      let caplen = Math.min(origlen, len - 16);
      if (iface.snaplen > 0) caplen = Math.min(caplen, iface.snaplen);
      return { linkType: iface.linkType, interfaceId: 0, sec: 0, nsec: 0, originalLength: origlen, data: b.subarray(p + 12, p + 12 + caplen), offset: s.base + p };
    }
    return null;
  }

  private options(b: Buffer, start: number, end: number, iface: Interface): void {
    let o = start;
    while (o + 4 <= end) {
      const code = this.u16(b, o);
      const olen = this.u16(b, o + 2);
      if (code === 0 || o + 4 + olen > end) return;
      if (code === 9 && olen >= 1) {
        const r = b[o + 4]!;
        const exp = BigInt(r & 0x7f);
        // A resolution finer than 2^-63 or 10^-18 is nonsense; keep microseconds rather than divide by zero later.
        if ((r & 0x80) === 0 ? exp <= 18n : exp <= 63n) iface.unitsPerSec = (r & 0x80) === 0 ? 10n ** exp : 1n << exp;
      } else if (code === 14 && olen >= 8) {
        iface.offsetBig = this.le ? b.readBigInt64LE(o + 4) : b.readBigInt64BE(o + 4);
        iface.offsetSec = Number(iface.offsetBig);
      }
      o += 4 + ((olen + 3) & ~3);
    }
  }

  private u32(b: Buffer, o: number): number {
    return this.le ? b.readUInt32LE(o) : b.readUInt32BE(o);
  }

  private u16(b: Buffer, o: number): number {
    return this.le ? b.readUInt16LE(o) : b.readUInt16BE(o);
  }
}

function toTimestamp(high: number, low: number, iface: Interface): { sec: number; nsec: number } {
  if (iface.unitsPerSec === 1_000_000n && high < 0x200000 && Math.abs(iface.offsetSec) < 2 ** 52) {
    // Microsecond ticks below 2^53 (until the year 2255) are exact as plain numbers; larger ones take the BigInt path.
    const ticks = high * 4294967296 + low;
    return { sec: Math.floor(ticks / 1e6) + iface.offsetSec, nsec: (ticks % 1e6) * 1000 };
  }
  const ticks = (BigInt(high) << 32n) | BigInt(low);
  const ups = iface.unitsPerSec;
  return { sec: Number(ticks / ups + iface.offsetBig), nsec: Number(((ticks % ups) * 1_000_000_000n) / ups) };
}
