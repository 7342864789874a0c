import { execOk, type Host } from "../host/host.js";
import type { Cleanup } from "../util/cleanup.js";
import type { Ledger } from "./ledger.js";
import { own } from "./owned.js";

/**
 * Defence in depth while a lab exists: its ranges get an `unreachable` route
 * (so a range whose bridge is gone never falls through to the default route),
 * and forwarded lab traffic toward the uplink is dropped in DOCKER-USER.
 * Both are registered for removal the moment they exist.
 */
export const GUARD_ROUTE_METRIC = "4242";

interface GuardHost {
  name: string;
  shell: Host;
  uplink?: { name: string; v6Name?: string | undefined } | undefined;
}

/**
 * A high-metric unreachable route: the bridge's own connected route (metric 0)
 * wins while it exists. Never used for a /32 inside a live subnet, which would win.
 */
export async function guardRoute(host: GuardHost, subnet: string, cleanup: Cleanup, ledger: Ledger, signal?: AbortSignal): Promise<void> {
  const ip = subnet.includes(":") ? ["ip", "-6"] : ["ip"];
  const route = [...ip, "route", "add", "unreachable", subnet, "metric", GUARD_ROUTE_METRIC];
  // Ledgered before it exists: an abort between `ip route add` and the record would leave a route nobody owns
  // (one was found on this machine). Deleting a route that never came is "already gone", not a failure.
  // The subnet is claimed by this run, so one that already exists is a dead run's leftover: this run takes it over.
  const undo = [...ip, "route", "del", "unreachable", subnet, "metric", GUARD_ROUTE_METRIC];
  own(host, cleanup, ledger, `route unreachable ${subnet}`, undo);
  const res = await host.shell.exec(route, { signal });
  if (res.exitCode !== 0 && !/File exists/.test(res.stderr)) await execOk(host.shell, route, { signal });
}

/**
 * Drop forwarded traffic from `source` toward the uplink, marked with the run id.
 * IPv6 sources go to ip6tables: its DOCKER-USER when the daemon manages ip6tables
 * (`"ip6tables": true`), else FORWARD itself — Docker 20.10 without ip6tables
 * turns `net.ipv6.conf.all.forwarding` on for an `--ipv6` network and leaves
 * ip6tables' FORWARD policy ACCEPT, so nothing else stands between a lab v6
 * range and the uplink's v6 default route.
 */
export async function guardEgress(
  host: GuardHost,
  runId: string,
  source: string,
  cleanup: Cleanup,
  ledger: Ledger,
  opts: { inInterface?: string; signal?: AbortSignal } = {},
): Promise<void> {
  if (!host.uplink) return;
  const v6 = source.includes(":");
  const tool = v6 ? "ip6tables" : "iptables";
  const out = v6 ? (host.uplink.v6Name ?? host.uplink.name) : host.uplink.name;
  const chain = v6 ? await ip6GuardChain(host, opts.signal) : "DOCKER-USER";
  const rule = [
    ...(opts.inInterface ? ["-i", opts.inInterface] : []),
    ...["-s", source, "-o", out, "-m", "comment", "--comment", `netcheck:${runId}`, "-j", "DROP"],
  ];
  // iptables-nft under many concurrent writers (several runs on one engine) sometimes fails a commit: retry.
  const insert = [tool, "-w", "-I", chain, ...rule];
  // Ledgered before it exists (see guardRoute); deleting a rule that never came is "Bad rule": already gone.
  own(host, cleanup, ledger, `${v6 ? "ip6tables " : ""}${chain} drop ${source} → ${out}`, [tool, "-w", "-D", chain, ...rule]);
  for (let attempt = 1; (await host.shell.exec(insert, { signal: opts.signal })).exitCode !== 0; attempt++) {
    if (attempt === 3) {
      await execOk(host.shell, insert, { signal: opts.signal });
      break;
    }
    await new Promise((r) => setTimeout(r, 150 * attempt));
  }
}

/** ip6tables' DOCKER-USER when the daemon made one, else FORWARD. */
async function ip6GuardChain(host: GuardHost, signal?: AbortSignal): Promise<string> {
  const r = await host.shell.exec(["ip6tables", "-w", "-S", "DOCKER-USER"], { signal });
  return r.exitCode === 0 ? "DOCKER-USER" : "FORWARD";
}

/** The chains a v6 guard may sit in (for sweeps and leftover checks). */
export const IP6_GUARD_CHAINS = ["DOCKER-USER", "FORWARD"] as const;
