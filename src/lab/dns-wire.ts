/**
 * Just enough DNS wire format for the lab's own resolver: read one question,
 * answer A and AAAA records from the lab zone, NXDOMAIN for everything else. Pure.
 */
export interface DnsQuestion {
  id: number;
  name: string;
  type: number;
  qclass: number;
  /** Byte length of header + question, so the answer can copy it. */
  questionEnd: number;
  recursionDesired: boolean;
}

import { ipv6ToBigInt } from "../util/ipv6.js";

export const TYPE_A = 1;
export const TYPE_AAAA = 28;

export function parseQuestion(msg: Buffer): DnsQuestion | undefined {
  if (msg.length < 12) return undefined;
  const id = msg.readUInt16BE(0);
  const flags = msg.readUInt16BE(2);
  if (flags & 0x8000) return undefined; // a response, not a query
  if (msg.readUInt16BE(4) !== 1) return undefined;
  const labels: string[] = [];
  let off = 12;
  for (let guard = 0; guard < 128; guard++) {
    const len = msg[off];
    if (len === undefined) return undefined;
    off++;
    if (len === 0) break;
    if (len > 63 || off + len > msg.length) return undefined; // no compression in a question we accept
    labels.push(msg.subarray(off, off + len).toString("latin1"));
    off += len;
  }
  if (off + 4 > msg.length) return undefined;
  return {
    id,
    name: labels.join(".").toLowerCase(),
    type: msg.readUInt16BE(off),
    qclass: msg.readUInt16BE(off + 2),
    questionEnd: off + 4,
    recursionDesired: Boolean(flags & 0x0100),
  };
}

/**
 * A response to `query`: the zone's addresses of the question's family (A: the
 * v4 ones, AAAA: the v6 ones; a name with none of that family is an empty
 * NOERROR answer, as for any other type), or NXDOMAIN when `addresses` is undefined.
 */
export function buildAnswer(query: Buffer, q: DnsQuestion, addresses: string[] | undefined, ttl = 5): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(q.id, 0);
  const rcode = addresses === undefined ? 3 : 0;
  header.writeUInt16BE(0x8000 | 0x0400 | (q.recursionDesired ? 0x0100 : 0) | 0x0080 | rcode, 2);
  header.writeUInt16BE(1, 4);
  const v6 = q.type === TYPE_AAAA;
  const answers = q.type === TYPE_A || v6 ? (addresses ?? []).filter((ip) => ip.includes(":") === v6) : [];
  header.writeUInt16BE(answers.length, 6);
  const question = query.subarray(12, q.questionEnd);
  const records = answers.map((ip) => {
    const size = v6 ? 16 : 4;
    const rr = Buffer.alloc(12 + size);
    rr.writeUInt16BE(0xc00c, 0); // pointer to the question's name
    rr.writeUInt16BE(q.type, 2);
    rr.writeUInt16BE(1, 4);
    rr.writeUInt32BE(ttl, 6);
    rr.writeUInt16BE(size, 10);
    if (v6) {
      const n = ipv6ToBigInt(ip);
      for (let i = 0; i < 16; i++) rr.writeUInt8(Number((n >> BigInt(8 * (15 - i))) & 0xffn), 12 + i);
    } else ip.split(".").forEach((p, i) => rr.writeUInt8(Number(p), 12 + i));
    return rr;
  });
  return Buffer.concat([header, question, ...records]);
}

/** A query packet, for tests and for probing the server. */
export function buildQuery(id: number, name: string, type = TYPE_A): Buffer {
  const parts = name.split(".").filter(Boolean);
  const qname = Buffer.concat([...parts.map((p) => Buffer.concat([Buffer.from([p.length]), Buffer.from(p, "latin1")])), Buffer.from([0])]);
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(0x0100, 2);
  header.writeUInt16BE(1, 4);
  const tail = Buffer.alloc(4);
  tail.writeUInt16BE(type, 0);
  tail.writeUInt16BE(1, 2);
  return Buffer.concat([header, qname, tail]);
}
