import { parseCidr6, type Cidr6 } from "../util/ipv6.js";
import { cidrsOverlap, formatCidr, parseCidr, type Cidr } from "../util/ipv4.js";

/**
 * Picks /24 subnets for a run's networks from a pool, avoiding the host's routes
 * and the engine's existing networks. Two concurrent runs can still pick the
 * same free subnet; the engine then refuses the second with "Pool overlaps",
 * and the lab retries with the next candidate (see SubnetConflictError).
 */
export interface SubnetPoolOptions {
  /** Where lab subnets come from. */
  pool: string;
  prefix: number;
  /** Subnets in use: host routes, existing Docker networks, earlier picks. */
  taken: string[];
  /** Start somewhere random so concurrent runs rarely race for the same one. */
  seed?: number;
}

export class SubnetAllocator {
  private readonly pool: Cidr;
  private readonly taken: Cidr[];
  private next: number;
  private readonly count: number;

  constructor(private readonly opts: SubnetPoolOptions) {
    this.pool = parseCidr(opts.pool);
    if (opts.prefix < this.pool.prefix) throw new Error(`prefix /${opts.prefix} is larger than the pool ${opts.pool}`);
    this.taken = opts.taken.flatMap((t) => {
      try {
        return [parseCidr(t)];
      } catch {
        return [];
      }
    });
    this.count = 2 ** (opts.prefix - this.pool.prefix);
    this.next = (opts.seed ?? Math.floor(Math.random() * this.count)) % this.count;
  }

  /** The next free subnet, marked taken. Throws when the pool is exhausted. */
  allocate(): string {
    const step = 2 ** (32 - this.opts.prefix);
    for (let i = 0; i < this.count; i++) {
      const idx = (this.next + i) % this.count;
      const candidate: Cidr = { network: this.pool.network + idx * step, prefix: this.opts.prefix };
      if (this.taken.some((t) => cidrsOverlap(t, candidate))) continue;
      this.taken.push(candidate);
      this.next = (idx + 1) % this.count;
      return formatCidr(candidate);
    }
    throw new Error(`no free /${this.opts.prefix} left in ${this.opts.pool} (${this.taken.length} subnets in use)`);
  }

  /** Mark a subnet taken (one the engine refused because another run got it first). */
  markTaken(subnet: string): void {
    this.taken.push(parseCidr(subnet));
  }
}

/** Destination prefixes from `ip -4 route show table all` output (default routes excluded). */
export function parseRouteDestinations(ipRouteOutput: string): string[] {
  const out: string[] = [];
  for (const line of ipRouteOutput.split("\n")) {
    const words = line.trim().split(/\s+/);
    let dest = words[0];
    if (dest && ["unreachable", "blackhole", "prohibit", "local", "broadcast", "unicast", "multicast"].includes(dest)) dest = words[1];
    if (!dest || dest === "default" || !/^\d/.test(dest)) continue;
    out.push(dest.includes("/") ? dest : `${dest}/32`);
  }
  return out.filter((d) => !d.startsWith("127.") && d !== "0.0.0.0/0");
}

/** Destination prefixes from `ip -6 route show table all` (default, multicast and link-local excluded). */
export function parseRoute6Destinations(ipRouteOutput: string): Cidr6[] {
  const out: Cidr6[] = [];
  for (const line of ipRouteOutput.split("\n")) {
    const words = line.trim().split(/\s+/);
    const dest = ["unreachable", "blackhole", "prohibit", "local", "anycast", "unicast", "multicast"].includes(words[0] ?? "") ? words[1] : words[0];
    if (!dest || !dest.includes(":") || /^(ff|fe80)/i.test(dest)) continue;
    try {
      out.push(parseCidr6(dest.includes("/") ? dest : `${dest}/128`));
    } catch {
      /* not a destination */
    }
  }
  return out.filter((c) => c.prefix > 0);
}
