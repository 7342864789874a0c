import { liveProbeNamespaces } from "../../lab/kernel-features.js";
import { parseIptablesSave, rulesIn } from "../parse/iptables-save.js";
import { parseJsonArray, type IpLink, type IpRoute } from "../parse/ip-json.js";
import { isGuardRoute, isLabName, isLabRule, isStale, isVmLabName, labRuleRun, runOfName } from "../ours.js";
import { NAME_PREFIX } from "../../util/labels.js";
import type { DoctorCheck, DoctorContext, Finding } from "../types.js";

/**
 * Veth pairs with both ends on the host (no container), and what netcheck runs
 * left behind: netcheck-* namespaces and links, guard routes and DOCKER-USER
 * rules. A run still in progress (its ledger's process is alive) owns its
 * objects: they are not leftovers. The ledger lives on this machine, so only a
 * local doctor can call anything stale; elsewhere lab objects are listed as ours.
 */
export const leftoversCheck: DoctorCheck = {
  id: "leftovers",
  area: "network",
  title: "Leftover veths, namespaces and links",
  async run(ctx) {
    const area = "network" as const;
    const [linkRes, nsRes, routeRes, filterRes] = await Promise.all([
      ctx.facts.exec(["ip", "-j", "-d", "link"]),
      ctx.facts.exec(["ip", "-j", "netns", "list"]),
      ctx.facts.exec(["ip", "-j", "route"]),
      ctx.facts.exec(["iptables-save", "-t", "filter"]),
    ]);
    const own = await ctx.facts.ours();
    const links = parseJsonArray<IpLink>(linkRes.stdout);
    // A container's veth has its peer in another namespace (link_netnsid); one without it has lost its container.
    // Veths on a lab bridge belong to a lab (one tearing down loses its containers first): ours, left to the run or `netcheck clean`.
    const orphans = links.filter((l) => l.linkinfo?.info_kind === "veth" && l.link_netnsid === undefined && !isLabName(l.ifname) && !isLabName(l.master ?? ""));
    const labLinks = links.filter((l) => isLabName(l.ifname)).map((l) => l.ifname);
    const staleLinks = labLinks.filter((n) => !isVmLabName(n) && isStale(own, runOfName(own, n)));
    const namespaces = parseJsonArray<{ name: string }>(nsRes.stdout).map((n) => n.name).filter((n) => isLabName(n) && !liveProbeNamespaces.has(n));
    // Another doctor's kernel probe namespace lives a second or two; only an old one was left behind.
    const probeAge = await ageSeconds(ctx, namespaces.filter((n) => n.startsWith(`${NAME_PREFIX}doctor-`)));
    const staleNs = namespaces.filter((n) => (probeAge.has(n) ? probeAge.get(n)! > 120 : isStale(own, runOfName(own, n))));
    const guards = parseJsonArray<IpRoute>(routeRes.stdout).filter(isGuardRoute);
    const staleGuards = guards.filter((r) => isStale(own, own.claims.get(r.dst)));
    const labRules = filterRes.exitCode === 0 ? rulesIn(parseIptablesSave(filterRes.stdout), "filter", "DOCKER-USER").filter(isLabRule) : [];
    const staleRules = labRules.filter((r) => isStale(own, labRuleRun(r)));
    const out: Finding[] = [];
    out.push({
      id: "network/orphan-veths",
      area,
      status: orphans.length ? "warn" : "ok",
      title: orphans.length ? `${orphans.length} veth(s) with no container behind them: ${orphans.map((l) => `${l.ifname}${l.master ? ` (on ${l.master})` : ""}`).join(", ")}` : "no orphan veths",
      evidence: [{ source: `ip -j -d link [${linkRes.where}] → veths without link_netnsid`, value: orphans.map((l) => l.ifname).join("\n") || "(none)" }],
      fix: orphans.length ? orphans.map((l) => `ip link del ${l.ifname}`).join("; ") : undefined,
    });
    const stale = [
      ...staleNs.map((n) => `netns ${n}`),
      ...staleLinks.map((n) => `link ${n}`),
      ...staleGuards.map((r) => `route unreachable ${r.dst} metric ${r.metric}`),
      ...staleRules.map((r) => `DOCKER-USER rule (${r.comment})`),
    ];
    const byHand = [
      ...staleNs.map((n) => `ip netns del ${n}`),
      ...staleLinks.map((n) => `ip link del ${n}`),
      ...staleGuards.map((r) => `ip route del unreachable ${r.dst} metric ${r.metric}`),
      ...staleRules.map((r) => `iptables -D DOCKER-USER ${r.spec}`),
    ];
    const staleRuns = [...new Set([...staleNs, ...staleLinks].map((n) => runOfName(own, n)).concat(staleGuards.map((r) => own.claims.get(r.dst)), staleRules.map(labRuleRun)))].filter((x): x is string => x !== undefined);
    const labCount = namespaces.length + labLinks.length + guards.length + labRules.length;
    const live = own.liveRuns;
    out.push({
      id: "network/netcheck-leftovers",
      area,
      status: stale.length ? "warn" : "ok",
      title: stale.length
        ? `netcheck objects left by runs that are no longer alive: ${stale.join(", ")}`
        : labCount === 0
          ? "no leftover netcheck-* namespaces, links, guard routes or DOCKER-USER rules"
          : `${labCount} netcheck lab object(s) here, none stale${live ? (live.length ? ` (runs in progress: ${live.join(", ")})` : "") : " (which runs are alive is known only where they ran)"}${labLinks.some(isVmLabName) ? " (VM lab networks up: `netcheck vm down` removes them)" : ""}`,
      evidence: [
        ctx.facts.evidence(nsRes),
        { source: `ip -j link [${linkRes.where}] → ${NAME_PREFIX}*`, value: labLinks.join("\n") || "(none)" },
        { source: `ip -j route [${routeRes.where}] → unreachable … metric 4242 (lab guards)`, value: guards.map((r) => `${r.dst}${own.claims.has(r.dst) ? ` (claimed by run ${own.claims.get(r.dst)})` : ""}`).join("\n") || "(none)" },
        { source: `iptables-save -t filter [${filterRes.where}] → DOCKER-USER netcheck:*`, value: labRules.map((r) => `-A DOCKER-USER ${r.spec}`).join("\n") || "(none)" },
        ...(live ? [{ source: "/run/netcheck/runs/*.jsonl (run ledgers, pid alive)", value: live.join(", ") || "(no run in progress)" }] : []),
      ],
      fix: stale.length ? `${staleRuns.length ? staleRuns.map((id) => `\`netcheck clean --run ${id}\``).join(", ") : "`netcheck clean`"}, or by hand: ${byHand.join("; ")}` : undefined,
    });
    return out;
  },
};

/** Seconds since each namespace's /run/netns file was made (missing ones are left out). */
async function ageSeconds(ctx: DoctorContext, names: string[]): Promise<Map<string, number>> {
  if (names.length === 0) return new Map();
  const res = await ctx.host.exec(["sh", "-c", 'date +%s; for n in "$@"; do echo "$n $(stat -c %Y "/run/netns/$n" 2>/dev/null)"; done', "sh", ...names], { signal: ctx.signal, timeoutMs: 4000 });
  const [now, ...lines] = res.stdout.trim().split("\n");
  const out = new Map<string, number>();
  for (const l of lines) {
    const [n, t] = l.split(" ");
    if (n && t) out.set(n, Number(now) - Number(t));
  }
  return out;
}
