import type { PcapRecord } from "./record.js";
import { MAX_RECORD_BYTES } from "./limits.js";
import type { RecordFormat, RecordSplitter } from "./record-splitter.js";

/** Classic libpcap format: a 24-byte file header, then 16-byte record headers. */
export class ClassicFormat implements RecordFormat {
  readonly name = "pcap";
  private headerDone = false;
  private linkType = 0;

  constructor(
    private readonly le: boolean,
    private readonly nano: boolean,
  ) {}

  next(s: RecordSplitter): PcapRecord | null {
    const b = s.buf;
    const p = s.pos;
    if (!this.headerDone) {
      if (b.length - p < 24) return null;
      const major = this.le ? b.readUInt16LE(p + 4) : b.readUInt16BE(p + 4);
      if (major !== 2) throw s.corrupt(`unsupported pcap version ${major} (expected 2)`);
      // The top bits of the link-type field carry FCS flags (pcap-savefile(5)); the type is the low 28 bits.
      this.linkType = (this.le ? b.readUInt32LE(p + 20) : b.readUInt32BE(p + 20)) & 0x0fffffff;
      this.headerDone = true;
      s.pos = p + 24;
      return this.next(s);
    }
    if (b.length - p < 16) return null;
    let sec: number, frac: number, caplen: number, origlen: number;
    if (this.le) {
      sec = b.readUInt32LE(p);
      frac = b.readUInt32LE(p + 4);
      caplen = b.readUInt32LE(p + 8);
      origlen = b.readUInt32LE(p + 12);
    } else {
      sec = b.readUInt32BE(p);
      frac = b.readUInt32BE(p + 4);
      caplen = b.readUInt32BE(p + 8);
      origlen = b.readUInt32BE(p + 12);
    }
    if (caplen > MAX_RECORD_BYTES) throw s.corrupt(`record length ${caplen} exceeds the ${MAX_RECORD_BYTES}-byte limit`);
    const end = p + 16 + caplen;
    if (end > b.length) return null;
    s.pos = end;
    s.records++;
    return {
      linkType: this.linkType,
      interfaceId: 0,
      sec,
      nsec: this.nano ? frac : frac * 1000,
      originalLength: origlen,
      data: b.subarray(p + 16, end),
      offset: s.base + p,
    };
  }
}
