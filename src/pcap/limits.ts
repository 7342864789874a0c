/** Longest frame we accept: libpcap's own MAXIMUM_SNAPLEN. A larger length is corruption, not a jumbo frame. */
export const MAX_RECORD_BYTES = 262_144;
