import { PcapCorruptError, PcapNotACaptureError, PcapTruncatedError, type PcapErrorWhere } from "./errors.js";
import type { PcapRecord } from "./record.js";
import { ClassicFormat } from "./classic-format.js";
import { PcapngFormat } from "./pcapng-format.js";

export { MAX_RECORD_BYTES } from "./limits.js";

/** A file format: turns the bytes at `s.pos` into a record, or null when it needs more bytes. */
export interface RecordFormat {
  readonly name: "pcap" | "pcapng";
  next(s: RecordSplitter): PcapRecord | null;
  /** At end of input, a part of the file the format was still expecting (a block being skipped). */
  pending?(): string | undefined;
}

/**
 * Push-based record splitter shared by the sync and streaming readers. It holds
 * at most one partial record plus the chunk being read, so memory is bounded by
 * the chunk size plus MAX_RECORD_BYTES whatever the input length.
 */
export class RecordSplitter {
  buf: Buffer = Buffer.alloc(0);
  pos = 0;
  /** File offset of buf[0]. */
  base = 0;
  records = 0;
  private format: RecordFormat | undefined;

  constructor(readonly source: string) {}

  get formatName(): "pcap" | "pcapng" | undefined {
    return this.format?.name;
  }

  push(chunk: Buffer): void {
    if (this.pos >= this.buf.length) {
      this.base += this.buf.length;
      this.buf = chunk;
    } else {
      this.base += this.pos;
      this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk]);
    }
    this.pos = 0;
  }

  next(): PcapRecord | null {
    if (this.format === undefined) {
      if (this.buf.length - this.pos < 4) return null;
      this.format = this.sniff();
    }
    return this.format.next(this);
  }

  /** Call at end of input: leftover bytes mean a truncated record, which is reported, never dropped. */
  finish(): void {
    const left = this.buf.length - this.pos;
    if (this.format === undefined) {
      throw new PcapNotACaptureError(this.where(), left === 0 ? "the input is empty" : `the input is only ${left} bytes long`);
    }
    const pending = this.format.pending?.();
    if (pending !== undefined) throw new PcapTruncatedError(this.where(), pending);
    if (left > 0) {
      throw new PcapTruncatedError(this.where(), `the last ${left} bytes are an incomplete ${this.records === 0 && this.pos === 0 ? "file header" : "record"}`);
    }
  }

  where(offsetInBuf = this.pos): PcapErrorWhere {
    return { source: this.source, offset: this.base + offsetInBuf, recordsRead: this.records };
  }

  corrupt(detail: string, offsetInBuf = this.pos): PcapCorruptError {
    return new PcapCorruptError(this.where(offsetInBuf), detail);
  }

  private sniff(): RecordFormat {
    const magic = this.buf.readUInt32BE(this.pos);
    switch (magic) {
      case 0xa1b2c3d4: return new ClassicFormat(false, false);
      case 0xd4c3b2a1: return new ClassicFormat(true, false);
      case 0xa1b23c4d: return new ClassicFormat(false, true);
      case 0x4d3cb2a1: return new ClassicFormat(true, true);
      case 0x0a0d0d0a: return new PcapngFormat();
    }
    const hex = magic.toString(16).padStart(8, "0");
    const what = (magic >>> 16) === 0x1f8b ? " (this is gzip data)" : "";
    throw new PcapNotACaptureError(this.where(), `unknown magic number 0x${hex}${what}`);
  }
}
