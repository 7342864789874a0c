/** LINKTYPE_* values (https://www.tcpdump.org/linktypes.html) this package decodes. */
export const LinkType = {
  NULL: 0,
  ETHERNET: 1,
  RAW_OPENBSD: 12,
  RAW_BSD: 14,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

const NAMES: Record<number, string> = {
  0: "NULL",
  1: "EN10MB",
  12: "RAW",
  14: "RAW",
  101: "RAW",
  108: "LOOP",
  113: "LINUX_SLL",
  228: "IPV4",
  229: "IPV6",
  276: "LINUX_SLL2",
};

export function linkTypeName(linkType: number): string {
  return NAMES[linkType] ?? `LINKTYPE_${linkType}`;
}
