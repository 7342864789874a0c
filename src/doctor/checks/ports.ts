import { parseSsListeners } from "../parse/ss.js";
import type { DoctorCheck, Finding } from "../types.js";

/** Published host ports held by a process other than docker-proxy: local clients reach that process, remote ones the container. */
export const portsCheck: DoctorCheck = {
  id: "ports",
  area: "ports",
  title: "Published ports vs local listeners",
  async run(ctx) {
    const snap = await ctx.facts.engineSnapshot();
    if (!snap) return [{ id: "ports/listeners", area: "ports", status: "skip", title: "engine not reachable: no published ports to compare", evidence: [] }];
    const [tcp, udp] = await Promise.all([ctx.facts.exec(["ss", "-H", "-ltnp"]), ctx.facts.exec(["ss", "-H", "-lunp"])]);
    if (tcp.exitCode !== 0) return [{ id: "ports/listeners", area: "ports", status: "skip", title: "ss not available", evidence: [ctx.facts.evidence(tcp)] }];
    const listeners = [...parseSsListeners(tcp.stdout, "tcp"), ...parseSsListeners(udp.stdout, "udp")];
    const clashes: string[] = [];
    let published = 0;
    for (const c of snap.containers) {
      if (c.State !== "running") continue;
      for (const p of c.Ports ?? []) {
        if (!p.PublicPort) continue;
        published++;
        const holders = listeners.filter((l) => l.port === p.PublicPort && l.proto === p.Type && l.processes.length > 0 && !l.processes.every((n) => n === "docker-proxy"));
        for (const h of holders) clashes.push(`${p.PublicPort}/${p.Type} of ${(c.Names?.[0] ?? c.Id).replace(/^\//, "")} is also held by ${h.processes.join(",")} on ${h.address}`);
      }
    }
    const finding: Finding = {
      id: "ports/listeners",
      area: "ports",
      status: clashes.length ? "warn" : "ok",
      title: clashes.length ? clashes.join("; ") : `${published} published port(s), none held by another process`,
      evidence: [ctx.facts.evidence(tcp, 20), ctx.facts.evidence(udp, 20)],
      fix: clashes.length ? "stop the other process or publish the container on a different host port (`-p <free port>:<container port>`)" : undefined,
    };
    return [finding];
  },
};
