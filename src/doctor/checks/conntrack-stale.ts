import { cidrContains, parseCidr4 } from "../parse/cidr.js";
import { parseConntrack, type ConntrackFlow } from "../parse/conntrack.js";
import type { DoctorCheck, Finding } from "../types.js";
import { subnetsOf } from "./docker-bridges.js";

/**
 * UDP flows live on in conntrack as long as packets keep coming (syslog, DNS,
 * game servers): a flow DNATed to a container that is gone keeps being sent to
 * its old address, and a flow first seen before the port was published keeps
 * going to the host itself. Either way the published UDP port "stops working
 * after a restart" until the entry is deleted (moby/moby#8795).
 */
export const conntrackStaleCheck: DoctorCheck = {
  id: "conntrack-stale",
  area: "ports",
  title: "Stale UDP conntrack entries",
  async run(ctx) {
    const snap = await ctx.facts.engineSnapshot();
    if (!snap) return [{ id: "ports/conntrack-udp", area: "ports", status: "skip", title: "engine not reachable: container addresses unknown", evidence: [] }];
    let res = await ctx.facts.exec(["conntrack", "-L", "-p", "udp"]);
    let source = "conntrack -L -p udp";
    if (res.exitCode === 127 || /not found/.test(res.stderr)) {
      const proc = await ctx.facts.readFile("/proc/net/nf_conntrack");
      if (proc === undefined) return [{ id: "ports/conntrack-udp", area: "ports", status: "skip", title: "conntrack tool missing and /proc/net/nf_conntrack absent: UDP flows not checked", evidence: [ctx.facts.evidence(res)], fix: "install the conntrack tool (Debian/Ubuntu: `apt-get install conntrack`)" }];
      res = { ...res, exitCode: 0, stdout: proc };
      source = "read /proc/net/nf_conntrack";
    }
    if (res.exitCode !== 0) return [{ id: "ports/conntrack-udp", area: "ports", status: "skip", title: "cannot list conntrack entries", evidence: [ctx.facts.evidence(res)] }];
    const flows = parseConntrack(res.stdout).filter((f) => f.proto === "udp");
    const subnets = snap.networks.flatMap(subnetsOf).map(parseCidr4).filter((c) => c !== undefined);
    const inDocker = (ip: string) => subnets.some((c) => cidrContains(c, ip));
    const gateways = new Set(snap.networks.flatMap((n) => (n.IPAM?.Config ?? []).map((c) => c.Gateway).filter(Boolean)));
    const live = new Set(snap.containers.filter((c) => c.State === "running").flatMap((c) => Object.values(c.NetworkSettings?.Networks ?? {}).map((n) => n.IPAddress)).filter(Boolean));
    const publishedUdp = new Map(
      snap.containers.filter((c) => c.State === "running").flatMap((c) => (c.Ports ?? []).filter((p) => p.Type === "udp" && p.PublicPort).map((p) => [p.PublicPort, (c.Names?.[0] ?? c.Id).replace(/^\//, "")] as const)),
    );
    const toGone: ConntrackFlow[] = [];
    const unNatted: ConntrackFlow[] = [];
    for (const f of flows) {
      const dnatted = f.reply.src !== f.orig.dst;
      if (dnatted && inDocker(f.reply.src) && !live.has(f.reply.src) && !gateways.has(f.reply.src)) toGone.push(f);
      // Sent to a port that is published now, yet answered by the host itself: tracked before the DNAT rule existed.
      else if (!dnatted && publishedUdp.has(f.orig.dport) && !inDocker(f.orig.dst) && !inDocker(f.orig.src)) unNatted.push(f);
    }
    const lines = [
      ...toGone.map((f) => `${f.orig.src}:${f.orig.sport} → ${f.orig.dst}:${f.orig.dport} DNATed to ${f.reply.src}:${f.reply.sport}, which no running container holds`),
      ...unNatted.map((f) => `${f.orig.src}:${f.orig.sport} → ${f.orig.dst}:${f.orig.dport} not DNATed, though ${publishedUdp.get(f.orig.dport)} publishes ${f.orig.dport}/udp now`),
    ];
    const fixes = [
      ...[...new Set(toGone.map((f) => f.reply.src))].map((ip) => `conntrack -D -p udp --reply-src ${ip}`),
      ...[...new Set(unNatted.map((f) => f.orig.dport))].map((port) => `conntrack -D -p udp --orig-port-dst ${port}`),
    ];
    const f: Finding = {
      id: "ports/conntrack-udp",
      area: "ports",
      status: lines.length ? "warn" : "ok",
      title: lines.length ? `stale UDP conntrack entries keep traffic away from the published container: ${lines.join("; ")}` : `${flows.length} UDP conntrack entr${flows.length === 1 ? "y" : "ies"}, none pointing at a gone container or bypassing a published port`,
      evidence: [{ source: `${source} [${res.where}]`, value: [...toGone, ...unNatted].map((x) => x.line).join("\n") || `${flows.length} udp flows, none stale` }],
      fix: lines.length ? `delete them (the next packet is tracked afresh and DNATed to the running container): ${fixes.map((x) => `\`${x}\``).join("; ")}` : undefined,
    };
    return [f];
  },
};
