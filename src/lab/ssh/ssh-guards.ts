import { EnvironmentError } from "../../util/errors.js";
import type { Cleanup } from "../../util/cleanup.js";
import { guardRoute } from "../guards.js";
import type { LabHost } from "../lab-host.js";
import type { Ledger } from "../ledger.js";

/**
 * On a user's own hosts the lab's local ranges (the external host and the
 * lab DNS on this machine's underlay, the run's IPv6 /48) are nowhere: a
 * container's lookup forwarded to the lab DNS, or a probe toward the external
 * host, would otherwise follow the host's default route off the host. An
 * `unreachable` route for each range (ledgered under the host's name) stops
 * them on the host, and the range is refused when the host already routes it
 * somewhere (its own network owns those addresses).
 */
export async function guardLabRangesOn(host: LabHost, ranges: { v4: string; probe: string; v6?: string }, cleanup: Cleanup, ledger: Ledger, signal?: AbortSignal): Promise<void> {
  await guardRoute(host, ranges.v4, cleanup, ledger, signal);
  const got = await host.shell.exec(["ip", "-4", "route", "get", ranges.probe], { signal });
  const said = `${got.stdout}${got.stderr}`.trim();
  if (got.exitCode === 0 && !/^unreachable\b/m.test(said)) {
    throw new EnvironmentError("NETCHECK_SSH_LAB_RANGE_ROUTED", `${host.name} routes the lab's range ${ranges.v4} somewhere (\`ip route get ${ranges.probe}\` → ${said.split("\n")[0]}): lab traffic there would leave the host.`, {
      hint: `Run again (the next run takes another range of 198.18.0.0/15), or drop that route on ${host.name} if it is stale.`,
    });
  }
  if (!ranges.v6) return;
  const off = await host.shell.exec(["cat", "/proc/sys/net/ipv6/conf/all/disable_ipv6"], { signal });
  if (off.exitCode === 0 && off.stdout.trim() === "0") await guardRoute(host, ranges.v6, cleanup, ledger, signal);
}

/** Why the lab DNS cannot be asked from `host` (its route to it, as the host says), or undefined when it can. */
export async function labDnsUnreachableFrom(host: LabHost, dns: string, signal?: AbortSignal): Promise<string | undefined> {
  if (host.kind !== "ssh") return undefined;
  const got = await host.shell.exec(["ip", "-4", "route", "get", dns], { signal });
  const said = `${got.stdout}${got.stderr}`.trim().split("\n")[0] ?? "";
  return got.exitCode !== 0 || /^(unreachable|blackhole|prohibit)\b/.test(said) ? `\`ip route get ${dns}\` on ${host.name} → ${said || `exit ${got.exitCode}`}` : undefined;
}
