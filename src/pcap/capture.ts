import { readFile } from "node:fs/promises";
import { gunzipSync } from "node:zlib";
import { CaptureSummarizer, type CaptureSummary } from "./capture-summary.js";
import type { Flow, FlowTuple } from "./flow.js";
import type { FlowTable } from "./flow-table.js";
import { PcapReadError } from "./errors.js";
import { decodePacket, type Packet } from "./packet.js";
import { PacketView } from "./packet-view.js";
import { isGzip, readPcapBuffer } from "./read.js";
import type { PcapRecord } from "./record.js";

/**
 * A whole capture in memory, for assertions on the small captures a scenario
 * takes: records, flows, and packet queries. Large files: use CaptureSummarizer
 * over readPcapFileBatches instead.
 */
export class Capture {
  private readonly flowIds: number[] = [];
  private readonly view = new PacketView();
  readonly summary: CaptureSummary;

  private constructor(
    readonly source: string,
    readonly records: PcapRecord[],
  ) {
    const s = new CaptureSummarizer(source);
    for (const r of records) this.flowIds.push(s.add(r)?.id ?? -1);
    this.summary = s.summary;
  }

  /** Throws a PcapError (truncated, corrupt, not a capture) rather than return part of a file. */
  static fromBuffer(data: Buffer, source = "<buffer>"): Capture {
    return new Capture(source, [...readPcapBuffer(data, { source })]);
  }

  static async fromFile(path: string, options: { signal?: AbortSignal } = {}): Promise<Capture> {
    let data: Buffer;
    try {
      data = await readFile(path, { signal: options.signal });
    } catch (err) {
      if (options.signal?.aborted) throw err;
      throw new PcapReadError({ source: path, offset: 0, recordsRead: 0 }, err);
    }
    return isGzip(data) ? Capture.fromBuffer(gunzip(data, path), `${path} (gunzipped)`) : Capture.fromBuffer(data, path);
  }

  get flows(): FlowTable {
    return this.summary.flows;
  }

  get length(): number {
    return this.records.length;
  }

  packet(index: number): Packet {
    const r = this.records[index];
    if (!r) throw new RangeError(`packet ${index} is outside 0..${this.records.length - 1}`);
    return decodePacket(r, index, this.view);
  }

  packets(): Packet[] {
    return this.records.map((_, i) => this.packet(i));
  }

  /** The innermost flow packet `index` belongs to. */
  flowOf(index: number): Flow | undefined {
    const id = this.flowIds[index];
    return id === undefined || id < 0 ? undefined : this.flows.byId(id);
  }

  /** Packets whose captured bytes contain the token (payloads, DNS names, anything on the wire). */
  packetsContaining(token: string | Uint8Array): Packet[] {
    const needle = typeof token === "string" ? Buffer.from(token) : token;
    const out: Packet[] = [];
    this.records.forEach((r, i) => {
      if (r.data.indexOf(needle) >= 0) out.push(this.packet(i));
    });
    return out;
  }
}

function gunzip(data: Buffer, source: string): Buffer {
  try {
    return gunzipSync(data);
  } catch (err) {
    throw new PcapReadError({ source, offset: 0, recordsRead: 0 }, err);
  }
}

export interface TokenSighting {
  /** Distinct flows that carried the token, in order of first sighting. */
  tuples: FlowTuple[];
  packets: number;
}

export interface TokenCorrelation {
  token: string;
  a: TokenSighting;
  b: TokenSighting;
  /** Both captures saw the token and the tuples differ: an address or port was rewritten in between. */
  rewritten: boolean;
}

/**
 * The flow tuples each capture saw for the packets carrying `token`: with a
 * capture before and after a NAT point, the same conversation's two tuples.
 */
export function correlateByToken(a: Capture, b: Capture, token: string): TokenCorrelation {
  const sight = (c: Capture): TokenSighting => {
    const packets = c.packetsContaining(token);
    const flows: Flow[] = [];
    for (const p of packets) {
      const f = c.flowOf(p.index);
      if (f && !flows.includes(f)) flows.push(f);
    }
    return { tuples: flows.map((f) => f.tuple), packets: packets.length };
  };
  const sa = sight(a);
  const sb = sight(b);
  const key = (t: FlowTuple) => `${t.protocol} ${t.src} ${t.srcPort} ${t.dst} ${t.dstPort}`;
  const same = sa.tuples.length === sb.tuples.length && sa.tuples.every((t, i) => key(t) === key(sb.tuples[i]!));
  return { token, a: sa, b: sb, rewritten: sa.tuples.length > 0 && sb.tuples.length > 0 && !same };
}
