import { createReadStream } from "node:fs";
import { PcapError, PcapReadError } from "./errors.js";
import type { PcapRecord } from "./record.js";
import { RecordSplitter } from "./record-splitter.js";

export interface ReadOptions {
  /** Name used in error messages (a file path, "stdin"). */
  source?: string;
  signal?: AbortSignal;
}

/**
 * Every record of an in-memory capture. Yields the good records, then throws a
 * PcapError (truncated, corrupt, not a capture) if the input has one: a caller
 * iterating to the end cannot miss a lost tail.
 */
export function* readPcapBuffer(data: Buffer, options: { source?: string } = {}): Generator<PcapRecord, void, undefined> {
  const s = new RecordSplitter(options.source ?? "<buffer>");
  s.push(data);
  for (let r = s.next(); r !== null; r = s.next()) yield r;
  s.finish();
}

/**
 * Records in batches, one batch per input chunk: the fast path (no await per
 * packet). Same error contract as readPcapBuffer.
 */
export async function* readPcapBatches(input: AsyncIterable<Buffer | Uint8Array | string>, options: ReadOptions = {}): AsyncGenerator<PcapRecord[], void, undefined> {
  const s = new RecordSplitter(options.source ?? "<stream>");
  try {
    for await (const chunk of input) {
      options.signal?.throwIfAborted();
      s.push(typeof chunk === "string" ? Buffer.from(chunk, "latin1") : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      const batch: PcapRecord[] = [];
      try {
        for (let r = s.next(); r !== null; r = s.next()) batch.push(r);
      } catch (err) {
        // The records before the damage are good: hand them over before the error (issue 17, item 1).
        if (batch.length > 0) yield batch;
        throw err;
      }
      if (batch.length > 0) yield batch;
    }
  } catch (err) {
    if (err instanceof PcapError || options.signal?.aborted) throw err;
    throw new PcapReadError(s.where(), err);
  }
  s.finish();
}

/** Records one at a time from a stream (a file, a pipe, a Readable). */
export async function* readPcapRecords(input: AsyncIterable<Buffer | Uint8Array | string>, options: ReadOptions = {}): AsyncGenerator<PcapRecord, void, undefined> {
  for await (const batch of readPcapBatches(input, options)) yield* batch;
}

/** The one I/O entry point of src/pcap: stream a file by path in 1 MiB chunks. */
export function readPcapFileBatches(path: string, options: { signal?: AbortSignal } = {}): AsyncGenerator<PcapRecord[], void, undefined> {
  const stream = createReadStream(path, { highWaterMark: 1 << 20, signal: options.signal });
  return readPcapBatches(stream, { source: path, signal: options.signal });
}
