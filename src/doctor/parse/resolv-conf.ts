export function parseNameservers(text: string): string[] {
  return text
    .split("\n")
    .map((l) => /^\s*nameserver\s+(\S+)/.exec(l)?.[1])
    .filter((s): s is string => s !== undefined);
}

export function isLoopbackAddress(ip: string): boolean {
  return ip.startsWith("127.") || ip === "::1";
}
