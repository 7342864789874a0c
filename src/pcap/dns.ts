import { formatIpv4, formatIpv6 } from "./addr.js";

export interface DnsQuestion {
  name: string;
  type: string;
}

export interface DnsRecord {
  name: string;
  type: string;
  ttl: number;
  /** Address for A/AAAA, target name for CNAME/PTR/NS, hex for types we do not decode. */
  data: string;
}

export interface DnsMessage {
  id: number;
  response: boolean;
  opcode: number;
  rcode: number;
  questions: DnsQuestion[];
  answers: DnsRecord[];
  authorities: number;
  additionals: number;
}

const TYPES: Record<number, string> = { 1: "A", 2: "NS", 5: "CNAME", 6: "SOA", 12: "PTR", 15: "MX", 16: "TXT", 28: "AAAA", 33: "SRV", 41: "OPT", 65: "HTTPS" };
/** Pointer hops allowed while reading one name: a loop of pointers ends here instead of spinning. */
const MAX_POINTER_HOPS = 16;
const MAX_RECORDS = 64;

export function dnsTypeName(type: number): string {
  return TYPES[type] ?? `TYPE${type}`;
}

class DnsFormatError extends Error {}

/** Decode a DNS message (RFC 1035); undefined when the bytes are not one. Never throws, never loops. */
export function parseDns(b: Buffer): DnsMessage | undefined {
  if (b.length < 12) return undefined;
  try {
    const flags = b.readUInt16BE(2);
    const qd = b.readUInt16BE(4);
    const an = b.readUInt16BE(6);
    if (qd > MAX_RECORDS || an > MAX_RECORDS) return undefined;
    let o = 12;
    const questions: DnsQuestion[] = [];
    for (let i = 0; i < qd; i++) {
      const [name, next] = readName(b, o);
      if (next + 4 > b.length) return undefined;
      questions.push({ name, type: dnsTypeName(b.readUInt16BE(next)) });
      o = next + 4;
    }
    const answers: DnsRecord[] = [];
    for (let i = 0; i < an; i++) {
      const [name, next] = readName(b, o);
      if (next + 10 > b.length) return undefined;
      const type = b.readUInt16BE(next);
      const rdlen = b.readUInt16BE(next + 8);
      const rd = next + 10;
      if (rd + rdlen > b.length) return undefined;
      answers.push({ name, type: dnsTypeName(type), ttl: b.readUInt32BE(next + 4), data: rdata(b, type, rd, rdlen) });
      o = rd + rdlen;
    }
    return {
      id: b.readUInt16BE(0),
      response: (flags & 0x8000) !== 0,
      opcode: (flags >> 11) & 0xf,
      rcode: flags & 0xf,
      questions,
      answers,
      authorities: b.readUInt16BE(8),
      additionals: b.readUInt16BE(10),
    };
  } catch (err) {
    if (err instanceof DnsFormatError || err instanceof RangeError) return undefined;
    throw err;
  }
}

function rdata(b: Buffer, type: number, o: number, len: number): string {
  if (type === 1 && len === 4) return formatIpv4(b.readUInt32BE(o));
  if (type === 28 && len === 16) return formatIpv6([b.readUInt32BE(o), b.readUInt32BE(o + 4), b.readUInt32BE(o + 8), b.readUInt32BE(o + 12)]);
  if (type === 5 || type === 12 || type === 2) return readName(b, o)[0];
  return b.subarray(o, o + len).toString("hex");
}

/** A possibly compressed name at `o`; returns it (with a trailing dot, like dig) and the offset after it. */
function readName(b: Buffer, start: number): [string, number] {
  const labels: string[] = [];
  let o = start;
  let after = -1;
  let hops = 0;
  let length = 0;
  for (;;) {
    if (o >= b.length) throw new DnsFormatError("name runs past the message");
    const len = b[o]!;
    if (len === 0) {
      if (after < 0) after = o + 1;
      break;
    }
    if ((len & 0xc0) === 0xc0) {
      if (o + 1 >= b.length || ++hops > MAX_POINTER_HOPS) throw new DnsFormatError("bad compression pointer");
      if (after < 0) after = o + 2;
      o = ((len & 0x3f) << 8) | b[o + 1]!;
      continue;
    }
    if ((len & 0xc0) !== 0 || o + 1 + len > b.length) throw new DnsFormatError("bad label");
    length += len + 1;
    if (length > 255) throw new DnsFormatError("name longer than 255 bytes");
    labels.push(b.toString("latin1", o + 1, o + 1 + len));
    o += 1 + len;
  }
  return [labels.length === 0 ? "." : `${labels.join(".")}.`, after];
}
