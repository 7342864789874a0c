import { NetcheckError } from "../util/errors.js";

/**
 * Every way a capture can be unreadable has its own class and stable code, and
 * each names the file and the byte offset where reading stopped, so a user can
 * look at the bytes (`xxd -s <offset>`) and a caller can tell "truncated" (the
 * packets before it are good) from "not a capture at all".
 */
export class PcapError extends NetcheckError {
  readonly source: string;
  readonly offset: number;
  /** Records successfully read before the error. */
  readonly recordsRead: number;

  constructor(code: string, message: string, where: PcapErrorWhere, options: { hint?: string; cause?: unknown } = {}) {
    super(code, message, options);
    this.source = where.source;
    this.offset = where.offset;
    this.recordsRead = where.recordsRead;
  }
}

export interface PcapErrorWhere {
  source: string;
  offset: number;
  recordsRead: number;
}

/** The input does not start like a pcap or pcapng file. */
export class PcapNotACaptureError extends PcapError {
  constructor(where: PcapErrorWhere, detail: string) {
    super("NETCHECK_PCAP_NOT_A_CAPTURE", `Cannot read capture "${where.source}": ${detail}.`, where, {
      hint: "Give a pcap or pcapng file as written by tcpdump -w or dumpcap (gzip-compressed is fine).",
    });
  }
}

/** A header or length field holds an impossible value. */
export class PcapCorruptError extends PcapError {
  constructor(where: PcapErrorWhere, detail: string) {
    super(
      "NETCHECK_PCAP_CORRUPT",
      `Capture "${where.source}" is corrupt at byte ${where.offset} (after ${where.recordsRead} good records): ${detail}.`,
      where,
      { hint: "The records before this offset are valid; re-capture, or cut the file at that offset." },
    );
  }
}

/** The input ended inside a header or record: the tail was lost, never silently dropped. */
export class PcapTruncatedError extends PcapError {
  constructor(where: PcapErrorWhere, detail: string) {
    super(
      "NETCHECK_PCAP_TRUNCATED",
      `Capture "${where.source}" is truncated at byte ${where.offset} after ${where.recordsRead} good records: ${detail}.`,
      where,
      { hint: "Was tcpdump stopped with SIGKILL, or is the file still being written? Stop tcpdump with SIGINT/SIGTERM so it flushes." },
    );
  }
}

/** The file or stream itself failed (ENOENT, EACCES, a broken pipe). */
export class PcapReadError extends PcapError {
  constructor(where: PcapErrorWhere, cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super("NETCHECK_PCAP_READ", `Cannot read capture "${where.source}": ${why}`, where, {
      hint: "Check that the path exists and is readable.",
      cause,
    });
  }
}
