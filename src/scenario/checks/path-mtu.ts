import { judgePathMtu } from "../../assert/path-mtu.js";
import { PidNetnsHost } from "../../host/pid-netns-host.js";
import { dfPingProbe, describeDfPing, ICMP_IP_OVERHEAD, type DfPingResult } from "../../probes/df-ping.js";
import type { Probe } from "../../probes/probe.js";
import type { NodeDecl } from "../../lab/topology.js";
import type { Evidence } from "../../report/model.js";
import { isIpv4 } from "../../util/ipv4.js";
import { toEvidence } from "../context.js";
import type { CheckDecl } from "../define.js";
import { slugOf, targetLabel, type Target } from "../targets.js";

export interface PathMtuOptions {
  /** The path MTU to expect; default the sender's interface MTU toward the target. */
  expect?: number;
  /** Said with a failure: what this mode needs (the overlay words pass the underlay rule). */
  hint?: string;
  name?: string;
}

/**
 * The largest don't-fragment packet from `from` to `to` equals the path's MTU
 * (the sender's interface MTU unless told otherwise): exactly that size is
 * answered, one byte more is not. A large-packet black hole anywhere on the
 * path (a lowered underlay MTU, a smaller MTU on a far veth) fails it, with
 * the largest size that still crossed.
 */
export function pathMtuCheck(from: NodeDecl, to: Target, opts: PathMtuOptions = {}): CheckDecl {
  const target = targetLabel(to);
  return {
    name: opts.name ?? `${from.name}-to-${slugOf(to)}-path-mtu`,
    category: "reachability",
    expectation: `the largest don't-fragment packet from ${from.name} to ${target} is ${opts.expect ?? `${from.name}'s interface MTU`}: that size crosses, one byte more does not`,
    async run(ctx) {
      const t = ctx.resolve(to, { from });
      if (!isIpv4(t.address)) return { status: "fail", reason: `error: ${t.label} has no IPv4 address to probe (${t.address})`, evidence: [] };
      ctx.run.assertTarget(t.address, `path-MTU probe from ${from.name}`);
      const node = ctx.node(from);
      const pid = (await node.labHost.engine.inspectContainer(node.containerId)).State?.Pid;
      if (!pid) return { status: "fail", reason: `error: ${from.name} has no running process whose network namespace could be entered`, evidence: [] };
      // Busybox ping cannot set don't-fragment: without the host's iputils ping (a user's host, the VM lab's VMs may lack
      // it) the probe cannot run there — a skip quoting the host, never a verdict. Asked on the host's own loopback.
      const df = await node.labHost.shell.exec(["ping", "-M", "do", "-n", "-c", "1", "-W", "1", "127.0.0.1"], { signal: ctx.signal, timeoutMs: 15_000 });
      if (df.exitCode !== 0 && df.exitCode !== 255 && !df.timedOut) {
        const said = `${df.stderr}${df.stdout}`.trim().split("\n").pop() || `exit ${df.exitCode}`;
        return { status: "skip", reason: `no don't-fragment ping on ${node.labHost.name} (\`ping -M do -c 1 127.0.0.1\` → ${said}): the path-MTU probe runs the host's iputils ping in ${from.name}'s namespace; install iputils-ping there`, evidence: [toEvidence(df)] };
      }
      // The host's iproute2 and iputils ping inside the node's namespace: same kernel view, DF-capable tools.
      const ns = new PidNetnsHost(node.labHost.shell, pid, `${from.name}'s namespace (${node.labHost.name}'s tools)`);
      const evidence: Evidence[] = [];
      const sh = async (argv: string[]) => {
        const r = await ns.exec(argv, { signal: ctx.signal, timeoutMs: 10_000 });
        evidence.push(toEvidence(r));
        return r;
      };
      const route = await sh(["ip", "-o", "route", "get", t.address]);
      const iface = /\bdev (\S+)/.exec(route.stdout)?.[1];
      if (!iface) return { status: "fail", reason: `error: no route from ${from.name} to ${t.address}: ${route.stderr.trim() || route.stdout.trim()}`, evidence };
      const link = await sh(["ip", "-o", "link", "show", "dev", iface]);
      const ifaceMtu = Number(/\bmtu (\d+)/.exec(link.stdout)?.[1]);
      if (!ifaceMtu) return { status: "fail", reason: `error: could not read ${iface}'s MTU in ${from.name}`, evidence };
      const expectMtu = opts.expect ?? ifaceMtu;
      const ping = async (probe: Probe<DfPingResult>) => {
        const r = await ns.exec(probe.command, { signal: ctx.signal, timeoutMs: probe.timeoutMs });
        const v = probe.parse(r);
        evidence.push(toEvidence(r));
        return v;
      };
      const small = await ping(dfPingProbe(t.address, 56));
      const fits = await ping(dfPingProbe(t.address, expectMtu - ICMP_IP_OVERHEAD));
      const over = await ping(dfPingProbe(t.address, expectMtu - ICMP_IP_OVERHEAD + 1));
      let largestCrossing: number | undefined;
      if (small.received > 0 && fits.received === 0 && fits.localMtu === undefined) {
        largestCrossing = await largestThatCrosses(small.packetSize, fits.packetSize - 1, async (size) => (await ping(dfPingProbe(t.address, size - ICMP_IP_OVERHEAD, { count: 1 }))).received > 0);
        evidence.push({ kind: "note", text: `search: the largest don't-fragment packet ${from.name} → ${t.address} that crosses is ${largestCrossing} bytes` });
      }
      evidence.push({ kind: "note", text: [small, fits, over].map(describeDfPing).join("\n") });
      const v = judgePathMtu({
        subject: `${from.name} → ${t.label} at ${t.address}`,
        iface,
        ifaceMtu,
        expectMtu,
        small,
        fits,
        over,
        ...(largestCrossing !== undefined ? { largestCrossing } : {}),
        ...(opts.hint ? { hint: opts.hint } : {}),
      });
      return { status: v.status, reason: v.reason, evidence };
    },
  };
}

/** Binary search over [lo, hi] for the largest size that crosses; `lo` is known to cross. */
async function largestThatCrosses(lo: number, hi: number, crosses: (size: number) => Promise<boolean>): Promise<number> {
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (await crosses(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
