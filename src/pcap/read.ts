import { createReadStream } from "node:fs";
import { pipeline, Readable } from "node:stream";
import { createGunzip } from "node:zlib";
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

/**
 * The one I/O entry point of src/pcap: stream a file by path in 1 MiB chunks. A gzip-compressed
 * capture (tshark reads them) is inflated on the fly; error offsets then count uncompressed bytes,
 * and the source says so.
 */
export async function* readPcapFileBatches(path: string, options: { signal?: AbortSignal } = {}): AsyncGenerator<PcapRecord[], void, undefined> {
  const file = createReadStream(path, { highWaterMark: 1 << 20, signal: options.signal });
  const chunks = file[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let first: IteratorResult<Buffer>;
  try {
    first = await chunks.next();
  } catch (err) {
    if (options.signal?.aborted) throw err;
    throw new PcapReadError({ source: path, offset: 0, recordsRead: 0 }, err);
  }
  const head = first.done ? Buffer.alloc(0) : first.value;
  const rest = (async function* () {
    try {
      yield head;
      for (let n = await chunks.next(); !n.done; n = await chunks.next()) yield n.value;
    } finally {
      // A reader that stops early (a corrupt record) closes the file, whichever way it stopped.
      await chunks.return?.();
    }
  })();
  if (!isGzip(head)) {
    yield* readPcapBatches(rest, { source: path, signal: options.signal });
    return;
  }
  const inflate = createGunzip({ chunkSize: 1 << 20 });
  pipeline(Readable.from(rest), inflate, () => {});
  yield* readPcapBatches(inflate, { source: `${path} (gunzipped)`, signal: options.signal });
}

/** gzip's magic bytes (RFC 1952): 1f 8b. */
export function isGzip(data: Uint8Array): boolean {
  return data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b;
}
