import { liveProbeNamespaces } from "../../lab/kernel-features.js";
import { isProcessAlive, readLedgers } from "../../lab/ledger.js";
import { parseJsonArray, type IpLink } from "../parse/ip-json.js";
import { NAME_PREFIX } from "../../util/labels.js";
import type { DoctorCheck, Finding } from "../types.js";

/** Veth pairs with both ends on the host (no container), and netcheck-* namespaces and links. */
export const leftoversCheck: DoctorCheck = {
  id: "leftovers",
  area: "network",
  title: "Leftover veths, namespaces and links",
  async run(ctx) {
    const area = "network" as const;
    const [linkRes, nsRes] = await Promise.all([ctx.facts.exec(["ip", "-j", "-d", "link"]), ctx.facts.exec(["ip", "-j", "netns", "list"])]);
    const links = parseJsonArray<IpLink>(linkRes.stdout);
    // A container's veth has its peer in another namespace (link_netnsid); one without it has lost its container.
    const orphans = links.filter((l) => l.linkinfo?.info_kind === "veth" && l.link_netnsid === undefined && !l.ifname.startsWith(NAME_PREFIX));
    // A run still in progress (its ledger's process is alive) owns its objects: not leftovers. The ledger
    // lives on this machine, so only a local doctor can tell.
    const live = ctx.host.kind === "local" ? readLedgers().filter((l) => isProcessAlive(l.header.pid)).map((l) => l.header.runId) : [];
    const isLive = (name: string) => live.some((id) => name.includes(id));
    // The VM lab's libvirt bridges are long-lived on purpose (`netcheck vm down` removes them).
    const isVmLab = (name: string) => name.startsWith(`${NAME_PREFIX}vm-`);
    const all = links.filter((l) => l.ifname.startsWith(NAME_PREFIX)).map((l) => l.ifname);
    const ours = all.filter((n) => !isLive(n) && !isVmLab(n));
    const namespaces = parseJsonArray<{ name: string }>(nsRes.stdout).map((n) => n.name).filter((n) => n.startsWith(NAME_PREFIX) && !liveProbeNamespaces.has(n) && !isLive(n));
    const out: Finding[] = [];
    out.push({
      id: "network/orphan-veths",
      area,
      status: orphans.length ? "warn" : "ok",
      title: orphans.length ? `${orphans.length} veth(s) with no container behind them: ${orphans.map((l) => `${l.ifname}${l.master ? ` (on ${l.master})` : ""}`).join(", ")}` : "no orphan veths",
      evidence: [{ source: `ip -j -d link [${linkRes.where}] → veths without link_netnsid`, value: orphans.map((l) => l.ifname).join("\n") || "(none)" }],
      fix: orphans.length ? orphans.map((l) => `ip link del ${l.ifname}`).join("; ") : undefined,
    });
    const stale = [...namespaces.map((n) => `netns ${n}`), ...ours.map((n) => `link ${n}`)];
    out.push({
      id: "network/netcheck-leftovers",
      area,
      status: stale.length ? "warn" : "ok",
      title: stale.length
        ? `netcheck objects left by runs that are no longer alive: ${stale.join(", ")}`
        : `no leftover netcheck-* namespaces or links${live.length ? ` (runs in progress: ${live.join(", ")})` : ""}${all.some(isVmLab) ? " (VM lab networks up: `netcheck vm down` removes them)" : ""}`,
      evidence: [
        ctx.facts.evidence(nsRes),
        { source: `ip -j link [${linkRes.where}] → ${NAME_PREFIX}*`, value: all.join("\n") || "(none)" },
        ...(ctx.host.kind === "local" ? [{ source: "/run/netcheck/runs/*.jsonl (run ledgers, pid alive)", value: live.join(", ") || "(no run in progress)" }] : []),
      ],
      fix: stale.length ? `\`netcheck clean\`, or by hand: ${[...namespaces.map((n) => `ip netns del ${n}`), ...ours.map((n) => `ip link del ${n}`)].join("; ")}` : undefined,
    });
    return out;
  },
};
