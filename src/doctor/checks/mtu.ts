import { parseJsonArray, uplinkOf, type IpLink, type IpRoute } from "../parse/ip-json.js";
import { isLabName, isLabNetwork } from "../ours.js";
import type { DoctorCheck, Finding } from "../types.js";
import { bridgeName, bridgeNetworks, dockerBridges } from "./docker-bridges.js";

/** Docker bridges with a larger MTU than the uplink: big packets leave and never come back (PMTU black hole). */
export const mtuCheck: DoctorCheck = {
  id: "mtu",
  area: "network",
  title: "MTU of Docker networks vs the uplink",
  async run(ctx) {
    const [linkRes, routeRes] = await Promise.all([ctx.facts.exec(["ip", "-j", "-d", "link"]), ctx.facts.exec(["ip", "-j", "route"])]);
    const links = parseJsonArray<IpLink>(linkRes.stdout);
    const uplinkName = uplinkOf(parseJsonArray<IpRoute>(routeRes.stdout));
    const uplink = links.find((l) => l.ifname === uplinkName);
    if (!uplink) return [{ id: "network/mtu", area: "network", status: "skip", title: "no IPv4 default route: no uplink MTU to compare with", evidence: [ctx.facts.evidence(routeRes)] }];
    const snap = await ctx.facts.engineSnapshot();
    const configured = new Map<string, string>();
    for (const n of bridgeNetworks(snap?.networks ?? [])) {
      const mtu = n.Options?.["com.docker.network.driver.mtu"];
      if (mtu) configured.set(bridgeName(n), mtu);
    }
    // A netcheck lab's bridges never send through the uplink (its guard drops that): their MTU is not the host's problem.
    const lab = new Set(bridgeNetworks(snap?.networks ?? []).filter(isLabNetwork).map(bridgeName));
    const all = await dockerBridges(ctx);
    const bridges = all.filter((b) => !lab.has(b) && !isLabName(b));
    const skipped = all.length - bridges.length;
    const out: Finding[] = [];
    const over: string[] = [];
    const lines: string[] = [`${uplink.ifname} (uplink) mtu ${uplink.mtu}`, ...all.filter((b) => !bridges.includes(b)).map((b) => `${b}: netcheck lab bridge, not counted`)];
    for (const b of bridges) {
      const link = links.find((l) => l.ifname === b);
      // Containers' veths take the network option, the bridge keeps its own: either above the uplink hurts.
      const mtu = Math.max(Number(configured.get(b) ?? 0), link?.mtu ?? 0);
      lines.push(`${b} mtu ${link?.mtu ?? "?"}${configured.has(b) ? ` (network option ${configured.get(b)})` : ""}`);
      if (mtu > uplink.mtu) over.push(`${b} ${mtu}`);
    }
    out.push({
      id: "network/mtu",
      area: "network",
      status: over.length ? "warn" : "ok",
      title: over.length
        ? `MTU above the uplink's: ${over.join(", ")} > ${uplink.ifname} ${uplink.mtu}: full-size packets from containers are dropped or fragmented (TLS/HTTP stalls)`
        : `Docker bridges' MTU ≤ uplink ${uplink.ifname} ${uplink.mtu}${skipped ? ` (${skipped} netcheck lab bridge(s) not counted: their traffic never leaves through the uplink)` : ""}`,
      evidence: [{ source: `ip -j -d link, ip -j route [${linkRes.where}]`, value: lines.join("\n") }],
      fix: over.length
        ? `set \`"mtu": ${uplink.mtu}\` in /etc/docker/daemon.json and restart dockerd (default bridge); for user-defined networks recreate them with \`-o com.docker.network.driver.mtu=${uplink.mtu}\``
        : undefined,
    });
    return out;
  },
};
