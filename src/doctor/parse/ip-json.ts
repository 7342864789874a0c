/** The fields of `ip -j -d link` / `ip -j route` / `ip -j addr` that doctor reads. */
export interface IpLink {
  ifindex: number;
  ifname: string;
  flags: string[];
  mtu: number;
  operstate?: string;
  master?: string;
  link?: string;
  link_netnsid?: number;
  linkinfo?: { info_kind?: string; info_slave_kind?: string };
}

export interface IpRoute {
  dst: string;
  gateway?: string;
  dev?: string;
  type?: string;
  protocol?: string;
  metric?: number;
  flags?: string[];
}

export interface IpAddrInfo {
  ifname: string;
  addr_info: { family: string; local: string; prefixlen: number }[];
}

export function parseJsonArray<T>(text: string | undefined): T[] {
  if (!text) return [];
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? (v as T[]) : [];
  } catch {
    return [];
  }
}

export function isUp(link: IpLink): boolean {
  return link.flags.includes("UP");
}

/** The uplink: the device of the IPv4 default route (first one when several). */
export function uplinkOf(routes: IpRoute[]): string | undefined {
  return routes.find((r) => r.dst === "default" && r.dev)?.dev;
}
