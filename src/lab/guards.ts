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
  uplink?: { name: string } | undefined;
}

/**
 * A high-metric unreachable route: the bridge's own connected route (metric 0)
 * wins while it exists. Never used for a /32 inside a live subnet, which would win.
 */
export async function guardRoute(host: GuardHost, subnet: string, cleanup: Cleanup, ledger: Ledger, signal?: AbortSignal): Promise<void> {
  const route = ["ip", "route", "add", "unreachable", subnet, "metric", GUARD_ROUTE_METRIC];
  const res = await host.shell.exec(route, { signal });
  if (res.exitCode !== 0) {
    if (/File exists/.test(res.stderr)) return;
    await execOk(host.shell, route, { signal });
  }
  const undo = ["ip", "route", "del", "unreachable", subnet, "metric", GUARD_ROUTE_METRIC];
  own(host, cleanup, ledger, `route unreachable ${subnet}`, undo);
}

/** Drop forwarded traffic from `source` toward the uplink, marked with the run id. */
export async function guardEgress(
  host: GuardHost,
  runId: string,
  source: string,
  cleanup: Cleanup,
  ledger: Ledger,
  opts: { inInterface?: string; signal?: AbortSignal } = {},
): Promise<void> {
  if (!host.uplink) return;
  const rule = [
    ...(opts.inInterface ? ["-i", opts.inInterface] : []),
    ...["-s", source, "-o", host.uplink.name, "-m", "comment", "--comment", `netcheck:${runId}`, "-j", "DROP"],
  ];
  // iptables-nft under many concurrent writers (several runs on one engine) sometimes fails a commit: retry.
  const insert = ["iptables", "-w", "-I", "DOCKER-USER", ...rule];
  for (let attempt = 1; (await host.shell.exec(insert, { signal: opts.signal })).exitCode !== 0; attempt++) {
    if (attempt === 3) {
      await execOk(host.shell, insert, { signal: opts.signal });
      break;
    }
    await new Promise((r) => setTimeout(r, 150 * attempt));
  }
  const undo = ["iptables", "-w", "-D", "DOCKER-USER", ...rule];
  own(host, cleanup, ledger, `DOCKER-USER drop ${source} → ${host.uplink.name}`, undo);
}
