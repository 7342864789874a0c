/** IPv4 CIDR helpers: enough to compare Docker subnets with routes. IPv6 is ignored (returns undefined). */
export interface Cidr4 {
  text: string;
  base: number;
  bits: number;
}

export function ipv4ToInt(ip: string): number | undefined {
  const parts = ip.split(".");
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

export function parseCidr4(text: string): Cidr4 | undefined {
  const [ip, bitsText] = text.split("/");
  const n = ip === undefined ? undefined : ipv4ToInt(ip);
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  if (n === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) return undefined;
  const size = 2 ** (32 - bits);
  return { text, base: n - (n % size), bits };
}

export function cidrsOverlap(a: Cidr4, b: Cidr4): boolean {
  const bits = Math.min(a.bits, b.bits);
  const size = 2 ** (32 - bits);
  return Math.floor(a.base / size) === Math.floor(b.base / size);
}

export function cidrContains(outer: Cidr4, ip: string): boolean {
  const n = ipv4ToInt(ip);
  if (n === undefined) return false;
  const size = 2 ** (32 - outer.bits);
  return Math.floor(n / size) === Math.floor(outer.base / size);
}
