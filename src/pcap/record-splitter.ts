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

  /**
   * A record cut by a chunk boundary is completed from the head of the next chunk without copying
   * that whole chunk: `buf` is the leftover plus a growing head of `next`, until the reader passes the
   * leftover, and from then on `buf` is `next` itself. (Concatenating each 1 MiB chunk onto the leftover
   * copied the whole file once more: a fifth of the time spent printing packet lines.)
   */
  private next_: Buffer | undefined;
  /** Bytes of next_ already appended to buf; the leftover is buf's first (buf.length - nextUsed) bytes. */
  private nextUsed = 0;

  push(chunk: Buffer): void {
    if (this.next_ !== undefined) {
      // A chunk pushed before the previous one was switched to: fall back to plain concatenation.
      this.base += this.pos;
      this.buf = Buffer.concat([this.buf.subarray(this.pos), this.next_.subarray(this.nextUsed), chunk]);
      this.pos = 0;
      this.next_ = undefined;
      return;
    }
    if (this.pos >= this.buf.length) {
      this.base += this.buf.length;
      this.buf = chunk;
      this.pos = 0;
      return;
    }
    this.base += this.pos;
    const take = Math.min(chunk.length, 4096);
    this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk.subarray(0, take)]);
    this.pos = 0;
    this.next_ = chunk;
    this.nextUsed = take;
    if (take === chunk.length) this.next_ = undefined;
  }

  next(): PcapRecord | null {
    for (;;) {
      const r = this.nextInBuf();
      const pending = this.next_;
      if (pending === undefined) return r;
      const leftover = this.buf.length - this.nextUsed;
      if (this.pos >= leftover) {
        // Past the leftover: read straight from the chunk from here on.
        this.base += leftover;
        this.pos -= leftover;
        this.buf = pending;
        this.next_ = undefined;
        if (r !== null) return r;
        continue;
      }
      if (r !== null) return r;
      // The cut record needs more of the chunk than its head: append more, doubling.
      const more = Math.min(pending.length - this.nextUsed, Math.max(this.nextUsed, 65_536));
      this.base += this.pos;
      this.buf = Buffer.concat([this.buf.subarray(this.pos), pending.subarray(this.nextUsed, this.nextUsed + more)]);
      this.pos = 0;
      this.nextUsed += more;
      if (this.nextUsed === pending.length) this.next_ = undefined;
    }
  }

  private nextInBuf(): PcapRecord | null {
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
