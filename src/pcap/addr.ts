/** Dotted quad from a 32-bit number. */
export function formatIpv4(a: number): string {
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

/** RFC 5952 text (lowercase, longest zero run compressed), the same as WHATWG URL and `ip -6` print. */
export function formatIpv6(w: ArrayLike<number>): string {
  const g: number[] = [];
  for (let i = 0; i < 4; i++) g.push(w[i]! >>> 16, w[i]! & 0xffff);
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = g.map((x) => x.toString(16));
  if (best < 0) return hex.join(":");
  return `${hex.slice(0, best).join(":")}::${hex.slice(best + bestLen).join(":")}`;
}

export function formatIp(version: number, w: ArrayLike<number>): string {
  return version === 4 ? formatIpv4(w[0]!) : formatIpv6(w);
}

export function formatMac(b: Buffer, off: number): string {
  const parts: string[] = [];
  for (let i = 0; i < 6; i++) parts.push(b[off + i]!.toString(16).padStart(2, "0"));
  return parts.join(":");
}

/** The canonical text of an address a user typed ("::0001" → "::1"), or the input when it is not an IP. */
export function normalizeAddress(text: string): string {
  if (!text.includes(":")) return text;
  try {
    return new URL(`http://[${text}]/`).hostname.slice(1, -1);
  } catch {
    return text;
  }
}
