import { cidrs6Overlap, parseCidr6 } from "../../util/ipv6.js";
import { daemonConfig } from "../daemon-config.js";
import { isGuardRoute } from "../ours.js";
import { parseJsonArray, type IpRoute } from "../parse/ip-json.js";
import type { DoctorCheck, DoctorContext, Finding, FindingEvidence } from "../types.js";
import { bridgeName } from "./docker-bridges.js";

async function proc(ctx: DoctorContext, key: string): Promise<{ value?: string; evidence: FindingEvidence }> {
  const path = `/proc/sys/${key.replace(/\./g, "/")}`;
  const text = (await ctx.facts.readFile(path))?.trim();
  return { value: text, evidence: ctx.facts.fileEvidence(path, text ?? "absent") };
}

const area = "sysctl" as const;

/**
 * IPv6 as Docker uses it: the kernel's switches (disable_ipv6, forwarding, and
 * accept_ra on an uplink whose v6 default route comes from router
 * advertisements, which forwarding=1 stops accepting), the daemon's ipv6 /
 * ip6tables / experimental settings, and host v6 routes that overlap Docker's
 * v6 subnets (issue 16).
 */
export const ipv6Check: DoctorCheck = {
  id: "ipv6",
  area,
  title: "IPv6 for containers",
  async run(ctx) {
    const disabled = await proc(ctx, "net.ipv6.conf.all.disable_ipv6");
    if (disabled.value === undefined) {
      return [{ id: "ipv6/kernel", area, status: "skip", title: "this kernel has no IPv6 (/proc/sys/net/ipv6 is absent): IPv6 networks and v6 scenarios cannot run here", evidence: [disabled.evidence] }];
    }
    const cfg = await daemonConfig(ctx);
    const snap = await ctx.facts.engineSnapshot();
    const v6Nets = (snap?.networks ?? []).filter((n) => n.EnableIPv6);
    const v6Subnets = v6Nets.flatMap((n) => (n.IPAM?.Config ?? []).map((c) => c.Subnet).filter((s): s is string => typeof s === "string" && s.includes(":")).map((subnet) => ({ net: n, subnet })));
    if (cfg.ipv6 && cfg.fixedCidrV6 && !v6Subnets.some((s) => s.net.Name === "bridge")) {
      const bridge = snap?.networks.find((n) => n.Name === "bridge");
      if (bridge) v6Subnets.push({ net: bridge, subnet: cfg.fixedCidrV6 });
    }
    const wantsV6 = cfg.ipv6 || v6Nets.length > 0;
    const out: Finding[] = [];
    const uses = wantsV6 ? `Docker uses IPv6 here (${[cfg.ipv6 ? '"ipv6": true' : "", ...v6Nets.map((n) => `network ${n.Name}`)].filter(Boolean).join(", ")})` : "no Docker network has IPv6";

    const off = disabled.value === "1";
    const bridgesOff = await Promise.all(v6Nets.filter((n) => n.Driver === "bridge").map(async (n) => ({ dev: bridgeName(n), ...(await proc(ctx, `net.ipv6.conf.${bridgeName(n)}.disable_ipv6`)) })));
    const offBridges = bridgesOff.filter((b) => b.value === "1");
    out.push({
      id: "ipv6/disable-ipv6",
      area,
      // Off with no v6 network is a choice (Docker turns it off in every container of a v4-only network): ok.
      status: (off || offBridges.length) && wantsV6 ? "fail" : "ok",
      title: off
        ? `net.ipv6.conf.all.disable_ipv6=1: containers get no IPv6 address; ${uses}`
        : offBridges.length
          ? `IPv6 is disabled on ${offBridges.map((b) => b.dev).join(", ")}: its containers have no working v6 gateway`
          : `IPv6 enabled (net.ipv6.conf.all.disable_ipv6=0); ${uses}`,
      evidence: [disabled.evidence, ...bridgesOff.map((b) => b.evidence)],
      fix: off || offBridges.length ? `sysctl -w ${[...(off ? ["all"] : []), ...offBridges.map((b) => b.dev)].map((d) => `net.ipv6.conf.${d}.disable_ipv6=0`).join(" ")} (and find what set it: /etc/sysctl.d, the kernel command line ipv6.disable)` : undefined,
    });

    const fwd = await proc(ctx, "net.ipv6.conf.all.forwarding");
    const routes = parseJsonArray<IpRoute>((await ctx.facts.exec(["ip", "-j", "-6", "route"])).stdout);
    const def = routes.find((r) => r.dst === "default" && r.dev);
    const ra = def?.protocol === "ra" && def.dev ? await proc(ctx, `net.ipv6.conf.${def.dev}.accept_ra`) : undefined;
    const raLost = fwd.value === "1" && ra !== undefined && ra.value !== "2";
    out.push({
      id: "ipv6/forwarding",
      area,
      status: fwd.value === "0" && wantsV6 ? "fail" : raLost ? "warn" : "ok",
      title:
        fwd.value === "0" && wantsV6
          ? `net.ipv6.conf.all.forwarding=0 while ${uses}: v6 containers reach nothing beyond their bridge`
          : raLost
            ? `net.ipv6.conf.all.forwarding=1 and the v6 default route via ${def!.dev} comes from router advertisements, but accept_ra=${ra!.value}: a forwarding host ignores RAs, so that route expires and the host loses IPv6 (Docker turns forwarding on with its first v6 network)`
            : `net.ipv6.conf.all.forwarding=${fwd.value ?? "unreadable"}`,
      evidence: [fwd.evidence, ...(ra ? [ra.evidence] : [])],
      fix: fwd.value === "0" && wantsV6 ? "sysctl -w net.ipv6.conf.all.forwarding=1 (dockerd sets it for a new v6 network; something reset it)" : raLost ? `sysctl -w net.ipv6.conf.${def!.dev}.accept_ra=2 and persist it in /etc/sysctl.d/` : undefined,
    });

    const major = Number(/^(\d+)/.exec(snap?.version.Version ?? "")?.[1] ?? NaN);
    const needsExperimental = cfg.ip6tables && !cfg.experimental && !(major >= 27);
    out.push({
      id: "ipv6/daemon",
      area: "engine",
      status: needsExperimental ? "fail" : wantsV6 && !cfg.ip6tables ? "warn" : "ok",
      title: needsExperimental
        ? `"ip6tables": true without "experimental": true: Docker ${snap?.version.Version ?? "before 27.0"} takes ip6tables only as an experimental feature, so no v6 NAT and no v6 isolation rules are written`
        : wantsV6 && !cfg.ip6tables
          ? `${uses}, but not "ip6tables": true: no v6 NAT (containers leave with their own v6 source and need a route back), v6 networks are not isolated from each other, and ip6tables' FORWARD stays open`
          : `daemon: ipv6 ${cfg.ipv6}, ip6tables ${cfg.ip6tables}, experimental ${cfg.experimental}${cfg.fixedCidrV6 ? `, fixed-cidr-v6 ${cfg.fixedCidrV6}` : ""}`,
      evidence: cfg.evidence,
      fix: needsExperimental
        ? `add "experimental": true to ${cfg.configPath} (or upgrade to Docker 27+) and restart dockerd`
        : wantsV6 && !cfg.ip6tables
          ? `add "ip6tables": true${major >= 27 ? "" : ' and "experimental": true'} to ${cfg.configPath} and restart dockerd, or route the containers' v6 subnets on your upstream router and filter them there`
          : undefined,
    });

    const problems: string[] = [];
    for (const { net, subnet } of v6Subnets) {
      const dev = net.Driver === "bridge" ? bridgeName(net) : undefined;
      for (const r of routes) {
        if (isGuardRoute(r) || r.dst === "default" || r.dev === dev || (net.Driver !== "bridge" && net.Options?.parent === r.dev)) continue;
        if (overlaps(subnet, r.dst.includes("/") ? r.dst : `${r.dst}/128`)) problems.push(`network ${net.Name} (${subnet}) overlaps route \`${[r.type && r.type !== "unicast" ? r.type : "", r.dst, r.gateway ? `via ${r.gateway}` : "", r.dev ? `dev ${r.dev}` : ""].filter(Boolean).join(" ")}\``);
      }
    }
    out.push({
      id: "ipv6/overlap",
      area: "network",
      status: problems.length ? "warn" : "ok",
      title: problems.length ? `${problems.length} Docker v6 subnet(s) overlap host v6 routes: ${problems.slice(0, 3).join("; ")}` : `no host v6 route overlaps Docker's ${v6Subnets.length} v6 subnet(s)`,
      evidence: [{ source: "ip -j -6 route", value: routes.map((r) => `${r.type && r.type !== "unicast" ? `${r.type} ` : ""}${r.dst}${r.gateway ? ` via ${r.gateway}` : ""}${r.dev ? ` dev ${r.dev}` : ""}`).slice(0, 30).join("\n") }],
      fix: problems.length ? "give the network a v6 subnet no host route covers (docker network create --ipv6 --subnet …), or remove the stale route" : undefined,
    });
    return out;
  },
};

/** A subnet or route Docker or `ip` prints that does not parse overlaps nothing (reported elsewhere, not guessed at here). */
function overlaps(a: string, b: string): boolean {
  try {
    return cidrs6Overlap(parseCidr6(a), parseCidr6(b));
  } catch {
    return false;
  }
}
