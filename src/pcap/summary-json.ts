import type { CaptureSummary } from "./capture-summary.js";
import type { PcapError } from "./errors.js";
import type { Flow } from "./flow.js";
import { linkTypeName } from "./link-types.js";
import type { NatPair } from "./nat-pairs.js";
import type { Timestamp } from "./record.js";
import { formatTime } from "./summary-line.js";
import { utcDate } from "./clock.js";

/** `netcheck pcap --json`: one document for all the captures read. Bump `version` on any incompatible change. */
export interface PcapReportJson {
  version: 1;
  captures: CaptureJson[];
  /** Present when two captures were given. */
  natPairs?: NatPair[];
}

export interface CaptureJson {
  source: string;
  /** false when reading stopped at an error: the counts cover the records before it. */
  complete: boolean;
  error?: { code: string; message: string; offset: number; recordsRead: number };
  packets: number;
  bytes: number;
  first?: TimeJson;
  last?: TimeJson;
  linkTypes: { linkType: number; name: string; packets: number }[];
  protocols: CaptureSummary["protocols"];
  vlans: { ids: number[]; packets: number }[];
  flowCount: number;
  untrackedPackets: number;
  fragmentsUnattributed: number;
  flows: FlowJson[];
  tokens: { token: string; packets: number; flows: number[] }[];
}

/** Seconds and nanoseconds are exact; `utc` is for reading ("[Error converting time]" where tcpdump says so). */
export interface TimeJson {
  sec: number;
  nsec: number;
  utc: string;
}

export interface FlowJson {
  id: number;
  protocol: string;
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
  ipVersion: number;
  vni?: number;
  vlans?: string[];
  packets: number;
  bytes: number;
  packetsForward: number;
  packetsReverse: number;
  bytesForward: number;
  bytesReverse: number;
  tcpFlags?: string;
  first: TimeJson;
  last: TimeJson;
}

function time(t: Timestamp): TimeJson {
  return { sec: t.sec, nsec: t.nsec, utc: `${utcDate(t.sec)} ${formatTime(t, { precision: 9 })}` };
}

function flowJson(f: Flow): FlowJson {
  return {
    id: f.id,
    ...f.tuple,
    ipVersion: f.ipVersion,
    ...(f.vni >= 0 ? { vni: f.vni } : {}),
    ...(f.vlans.length > 0 ? { vlans: f.vlans.slice() } : {}),
    packets: f.packets,
    bytes: f.bytes,
    packetsForward: f.packetsForward,
    packetsReverse: f.packetsReverse,
    bytesForward: f.bytesForward,
    bytesReverse: f.bytesReverse,
    ...(f.proto === 6 ? { tcpFlags: f.tcpFlagsSeen } : {}),
    first: time(f.first),
    last: time(f.last),
  };
}

/** Pure: the JSON form of one summary; `top` bounds the flows listed (all by default). */
export function captureSummaryJson(s: CaptureSummary, options: { top?: number; error?: PcapError } = {}): CaptureJson {
  const e = options.error;
  return {
    source: s.source,
    complete: e === undefined,
    ...(e ? { error: { code: e.code, message: e.message, offset: e.offset, recordsRead: e.recordsRead } } : {}),
    packets: s.packets,
    bytes: s.bytes,
    ...(s.first ? { first: time(s.first) } : {}),
    ...(s.last ? { last: time(s.last) } : {}),
    linkTypes: [...s.linkTypes].map(([linkType, packets]) => ({ linkType, name: linkTypeName(linkType), packets })),
    protocols: { ...s.protocols },
    vlans: [...s.vlans].map(([ids, packets]) => ({ ids: ids.split("/").map(Number), packets })),
    flowCount: s.flows.size,
    untrackedPackets: s.flows.untrackedPackets,
    fragmentsUnattributed: s.flows.fragmentsUnattributed,
    flows: s.flows.top(options.top ?? s.flows.size).map(flowJson),
    tokens: [...s.tokens].map(([token, seen]) => ({ token, packets: seen.packets, flows: seen.flows.map((f) => f.id) })),
  };
}
