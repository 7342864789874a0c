/** Small IPv6/CIDR arithmetic on 128-bit bigints. Pure. */
export function isIpv6(text: string): boolean {
  try {
    ipv6ToBigInt(text);
    return true;
  } catch {
    return false;
  }
}

export function ipv6ToBigInt(ip: string): bigint {
  const bad = () => new Error(`not an IPv6 address: ${ip}`);
  if (!/^[0-9a-fA-F:.]+$/.test(ip) || !ip.includes(":")) throw bad();
  let text = ip;
  const v4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const b = v4.slice(1).map(Number);
    if (b.some((x) => x > 255)) throw bad();
    text = `${text.slice(0, v4.index)}${((b[0]! << 8) | b[1]!).toString(16)}:${((b[2]! << 8) | b[3]!).toString(16)}`;
  }
  if (/[.]/.test(text)) throw bad();
  const halves = text.split("::");
  if (halves.length > 2) throw bad();
  const words = (s: string) => (s === "" ? [] : s.split(":").map((w) => (/^[0-9a-fA-F]{1,4}$/.test(w) ? parseInt(w, 16) : NaN)));
  const head = words(halves[0]!);
  const rest = halves.length === 2 ? words(halves[1]!) : [];
  const given = head.length + rest.length;
  if ([...head, ...rest].some(Number.isNaN) || (halves.length === 1 && given !== 8) || (halves.length === 2 && given > 7)) throw bad();
  const all = [...head, ...Array<number>(8 - given).fill(0), ...rest];
  return all.reduce((acc, w) => (acc << 16n) | BigInt(w), 0n);
}

/** Canonical (RFC 5952) text: lower case, the longest run of zero words as "::". */
export function bigIntToIpv6(n: bigint): string {
  const w = Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(16 * (7 - i))) & 0xffffn));
  let best = { at: -1, len: 0 };
  for (let i = 0; i < 8; ) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > best.len && j - i > 1) best = { at: i, len: j - i };
    i = j;
  }
  const hex = w.map((x) => x.toString(16));
  if (best.at < 0) return hex.join(":");
  return `${hex.slice(0, best.at).join(":")}::${hex.slice(best.at + best.len).join(":")}`;
}

export interface Cidr6 {
  network: bigint;
  prefix: number;
}

export function parseCidr6(cidr: string): Cidr6 {
  const [ip, len] = cidr.split("/");
  const prefix = len === undefined ? 128 : Number(len);
  if (!ip || !Number.isInteger(prefix) || prefix < 0 || prefix > 128) throw new Error(`not an IPv6 CIDR: ${cidr}`);
  return { network: ipv6ToBigInt(ip) & mask6(prefix), prefix };
}

function mask6(prefix: number): bigint {
  const all = (1n << 128n) - 1n;
  return prefix === 0 ? 0n : (all << BigInt(128 - prefix)) & all;
}

export function formatCidr6(c: Cidr6): string {
  return `${bigIntToIpv6(c.network)}/${c.prefix}`;
}

export function cidr6Contains(c: Cidr6, ip: string): boolean {
  return (ipv6ToBigInt(ip) & mask6(c.prefix)) === c.network;
}

export function cidrs6Overlap(a: Cidr6, b: Cidr6): boolean {
  const p = Math.min(a.prefix, b.prefix);
  return (a.network & mask6(p)) === (b.network & mask6(p));
}

/** The n-th address of a network (1 = the first host, Docker's gateway by default). */
export function nthAddress6(c: Cidr6, n: number): string {
  return bigIntToIpv6(c.network + BigInt(n));
}

/** The n-th /64 inside a shorter prefix (the lab's /48: 0 = underlay, 1.. = scenario networks). */
export function nthSubnet64(c: Cidr6, n: number): string {
  if (c.prefix > 64 || BigInt(n) >= 1n << BigInt(64 - c.prefix)) throw new Error(`${formatCidr6(c)} has no /64 number ${n}`);
  return formatCidr6({ network: c.network | (BigInt(n) << 64n), prefix: 64 });
}

/**
 * The lab's own IPv6 range for a run: a /48 inside fd6e:6574:6368::/48's
 * neighbourhood (ULA, RFC 4193 — never routed off a site), its global ID taken
 * from the run id, `salt` picking another when one is taken.
 */
export function labRange6(runId: string, salt = 0): string {
  let h = 2166136261 ^ salt;
  for (const ch of runId) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return `fd6e:${(h >>> 16).toString(16)}:${(h & 0xffff).toString(16)}::/48`;
}
