import { DeclarationError } from "../util/errors.js";
import { isIpv4 } from "../util/ipv4.js";

/**
 * Small field checks shared by the topology and check declarations. Each one
 * throws a DeclarationError naming the field and the fix; none touches Docker.
 */
export function knownKeys(field: string, value: object, known: readonly string[], what: string): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const near = known.find((k) => closeTo(k, key));
    throw new DeclarationError(`${field}.${key}`, `unknown ${what} option "${key}"`, `${near ? `Did you mean "${near}"? ` : ""}Known: ${known.join(", ")}.`);
  }
}

export function checkPort(field: string, port: unknown, opts: { auto?: boolean } = {}): void {
  if (opts.auto && port === "auto") return;
  if (typeof port === "number" && Number.isInteger(port) && port >= 1 && port <= 65535) return;
  throw new DeclarationError(field, `port ${JSON.stringify(port)} is not a port number`, `Use a whole number from 1 to 65535${opts.auto ? ' (or "auto" for a free one)' : ""}.`);
}

export function checkIpv4(field: string, value: unknown): void {
  if (typeof value === "string" && isIpv4(value)) return;
  throw new DeclarationError(field, `${JSON.stringify(value)} is not an IPv4 address`, 'Write a dotted quad such as "10.0.0.5".');
}

export function checkCidr(field: string, value: unknown): void {
  const m = typeof value === "string" ? /^(.+)\/(\d+)$/.exec(value) : null;
  if (m && isIpv4(m[1]!) && Number(m[2]) <= 32) return;
  throw new DeclarationError(field, `${JSON.stringify(value)} is not an IPv4 CIDR`, 'Write a subnet such as "10.99.0.0/24", or "auto" to take a free lab subnet.');
}

export function checkOneOf(field: string, value: unknown, allowed: readonly string[]): void {
  if (typeof value === "string" && allowed.includes(value)) return;
  throw new DeclarationError(field, `${JSON.stringify(value)} is not one of ${allowed.join(", ")}`, `Use one of: ${allowed.join(", ")}.`);
}

export function checkStrings(field: string, value: unknown, pattern: RegExp, example: string): void {
  if (!Array.isArray(value)) throw new DeclarationError(field, "must be a list of strings", `Write e.g. ${example}.`);
  value.forEach((v, i) => {
    if (typeof v !== "string" || !pattern.test(v)) throw new DeclarationError(`${field}[${i}]`, `${JSON.stringify(v)} is not valid here`, `Write e.g. ${example}.`);
  });
}

export function checkRecord(field: string, value: unknown): Record<string, unknown> {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new DeclarationError(field, "must be an object of name → value", `Write e.g. { "name": "value" }.`);
}

/** One edit apart (a typo), or the same ignoring case. */
function closeTo(a: string, b: string): boolean {
  if (a.toLowerCase() === b.toLowerCase()) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return a.slice(i + 1) === b.slice(i + 1) || a.slice(i) === b.slice(i + 1) || a.slice(i + 1) === b.slice(i);
}
