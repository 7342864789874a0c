/** Pure parsers for `ip -o link`, `ip -o -4 addr` and `ip -4 route` output (iproute2 and busybox ip). */
export interface LinkInfo {
  index: number;
  name: string;
  /** Peer or parent after the @, e.g. eth0@if12 → "if12". */
  peer?: string;
  flags: string[];
  mtu?: number;
  mac?: string;
  kind?: string;
}

export function parseIpLink(out: string): LinkInfo[] {
  const links: LinkInfo[] = [];
  for (const line of out.split("\n")) {
    const m = /^(\d+):\s+([^:@\s]+)(?:@(\S+?))?:\s+<([^>]*)>(.*)$/.exec(line.trim());
    if (!m) continue;
    const rest = m[5] ?? "";
    const kind = /\\?\s+(macvlan|ipvlan|vxlan|veth|bridge|dummy|vlan)\b/.exec(rest)?.[1];
    links.push({
      index: Number(m[1]),
      name: m[2]!,
      peer: m[3],
      flags: m[4]!.split(",").filter(Boolean),
      mtu: Number(/\bmtu (\d+)/.exec(rest)?.[1]) || undefined,
      mac: /link\/ether ([0-9a-f:]{17})/.exec(rest)?.[1],
      kind,
    });
  }
  return links;
}

export interface AddrInfo {
  dev: string;
  address: string;
  prefixLen: number;
}

export function parseIpAddr(out: string): AddrInfo[] {
  return [...out.matchAll(/^\d+:\s+(\S+)\s+inet ([\d.]+)\/(\d+)/gm)].map((m) => ({ dev: m[1]!, address: m[2]!, prefixLen: Number(m[3]) }));
}

export interface RouteInfo {
  dest: string;
  via?: string;
  dev?: string;
  type?: string;
}

export function parseIpRoute(out: string): RouteInfo[] {
  const routes: RouteInfo[] = [];
  for (const raw of out.split("\n")) {
    const line = raw.trim();
    if (!line) continue;
    const words = line.split(/\s+/);
    let type: string | undefined;
    if (["unreachable", "blackhole", "prohibit", "local", "broadcast"].includes(words[0]!)) type = words.shift();
    routes.push({ dest: words[0]!, via: /\bvia (\S+)/.exec(line)?.[1], dev: /\bdev (\S+)/.exec(line)?.[1], type });
  }
  return routes;
}
