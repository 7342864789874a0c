/** Seconds and nanoseconds since the epoch, exact for nanosecond captures. */
export interface Timestamp {
  sec: number;
  nsec: number;
}

/**
 * One captured frame as the file stores it. `data` is a view into the reader's
 * buffer: keep it only as long as you need it (the streaming reader's memory
 * stays bounded because callers drop records).
 */
export interface PcapRecord {
  /** LINKTYPE_* value of the interface this frame came from. */
  linkType: number;
  /** pcapng interface id; 0 for classic pcap. */
  interfaceId: number;
  sec: number;
  nsec: number;
  /** Length on the wire; `data.length` is the captured length. */
  originalLength: number;
  data: Buffer;
  /** Byte offset of the record's header in the file. */
  offset: number;
}

export function timestampOf(r: { sec: number; nsec: number }): Timestamp {
  return { sec: r.sec, nsec: r.nsec };
}

export function timestampToBigInt(ts: Timestamp): bigint {
  return BigInt(ts.sec) * 1_000_000_000n + BigInt(ts.nsec);
}

export function compareTimestamps(a: Timestamp, b: Timestamp): number {
  return a.sec !== b.sec ? a.sec - b.sec : a.nsec - b.nsec;
}

/** Seconds between two timestamps, as a float (for display only). */
export function secondsBetween(a: Timestamp, b: Timestamp): number {
  return b.sec - a.sec + (b.nsec - a.nsec) / 1e9;
}
