import { cidrsOverlap, parseCidr4 } from "../parse/cidr.js";
import { isUp, parseJsonArray, type IpAddrInfo, type IpLink, type IpRoute } from "../parse/ip-json.js";
import { daemonConfig } from "../daemon-config.js";
import { isGuardRoute } from "../ours.js";
import type { DoctorCheck, Finding } from "../types.js";
import { bridgeName, subnetsOf } from "./docker-bridges.js";

/** docker0 itself, and Docker subnets that collide with host routes or with each other. */
export const networksCheck: DoctorCheck = {
  id: "networks",
  area: "network",
  title: "Docker networks and host routes",
  async run(ctx) {
    const area = "network" as const;
    const out: Finding[] = [];
    const [linkRes, addrRes, routeRes] = await Promise.all([
      ctx.facts.exec(["ip", "-j", "-d", "link"]),
      ctx.facts.exec(["ip", "-j", "addr"]),
      ctx.facts.exec(["ip", "-j", "route"]),
    ]);
    const links = parseJsonArray<IpLink>(linkRes.stdout);
    const addrs = parseJsonArray<IpAddrInfo>(addrRes.stdout);
    const routes = parseJsonArray<IpRoute>(routeRes.stdout);
    const docker0 = links.find((l) => l.ifname === "docker0");
    const cfg = await daemonConfig(ctx);
    if (!docker0 && cfg.bridgeNone) {
      out.push({ id: "network/docker0", area, status: "ok", title: 'docker0 absent, as configured: dockerd runs with "bridge": "none" (see the engine findings)', evidence: cfg.evidence });
    }
    const d0addr = addrs.find((a) => a.ifname === "docker0")?.addr_info.filter((a) => a.family === "inet").map((a) => `${a.local}/${a.prefixlen}`) ?? [];
    if (docker0 || !cfg.bridgeNone) out.push({
      id: "network/docker0",
      area,
      status: !docker0 ? "warn" : !isUp(docker0) || d0addr.length === 0 ? "fail" : "ok",
      title: !docker0
        ? "docker0 is missing (engine not running, or started with --bridge=none)"
        : `docker0 ${isUp(docker0) ? "up" : "DOWN"}, mtu ${docker0.mtu}, ${d0addr.join(", ") || "no IPv4 address"}`,
      evidence: [ctx.facts.evidence({ ...addrRes, stdout: JSON.stringify(addrs.find((a) => a.ifname === "docker0") ?? "absent") })],
      fix: !docker0 ? "start dockerd (it creates docker0)" : !isUp(docker0) ? "ip link set docker0 up" : d0addr.length === 0 ? "restart dockerd so it re-assigns docker0's address" : undefined,
    });
    const snap = await ctx.facts.engineSnapshot();
    if (!snap) {
      out.push({ id: "network/overlap", area, status: "skip", title: "engine not reachable: cannot compare Docker subnets with routes", evidence: [] });
      return out;
    }
    const nets = snap.networks.flatMap((n) => subnetsOf(n).map((s) => ({ net: n, subnet: s, cidr: parseCidr4(s), dev: n.Driver === "bridge" ? bridgeName(n) : undefined })));
    const routeEv = ctx.facts.evidence(routeRes, 30);
    const problems: string[] = [];
    // A lab's guard route covers its own claimed subnet on purpose (see src/lab/guards.ts): ours, not a collision.
    const guards = routes.filter(isGuardRoute);
    for (const n of nets) {
      if (!n.cidr) continue;
      for (const r of routes) {
        if (isGuardRoute(r)) continue;
        const rc = r.dst === "default" ? undefined : parseCidr4(r.dst);
        if (!rc || r.dev === n.dev || (n.dev === undefined && r.dev === undefined)) continue;
        if (n.net.Driver !== "bridge" && n.net.Options?.parent === r.dev) continue; // macvlan subnets live on their parent's LAN
        if (cidrsOverlap(n.cidr, rc)) problems.push(`network ${n.net.Name} (${n.subnet}) overlaps route \`${[r.type && r.type !== "unicast" ? r.type : "", r.dst, r.gateway ? `via ${r.gateway}` : "", r.dev ? `dev ${r.dev}` : ""].filter(Boolean).join(" ")}\``);
      }
    }
    for (let i = 0; i < nets.length; i++) {
      for (let j = i + 1; j < nets.length; j++) {
        const a = nets[i]!;
        const b = nets[j]!;
        if (a.cidr && b.cidr && a.net.Id !== b.net.Id && cidrsOverlap(a.cidr, b.cidr)) problems.push(`networks ${a.net.Name} (${a.subnet}) and ${b.net.Name} (${b.subnet}) overlap`);
      }
    }
    out.push({
      id: "network/overlap",
      area,
      status: problems.length ? "fail" : "ok",
      title: problems.length
        ? problems.join("; ")
        : `no overlap between ${nets.length} Docker subnet(s) and host routes${guards.length ? ` (${guards.length} netcheck lab guard route(s) \`unreachable … metric 4242\` not counted)` : ""}`,
      evidence: [routeEv, { source: "GET /networks", value: nets.map((n) => `${n.net.Name} ${n.net.Driver} ${n.subnet}`).join("\n") }],
      fix: problems.length
        ? "move Docker off the colliding range: set `default-address-pools` (and `bip`) in /etc/docker/daemon.json, recreate the affected networks with a free --subnet, or remove the conflicting route"
        : undefined,
    });
    return out;
  },
};
