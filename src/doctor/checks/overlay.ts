import { parseSsListeners } from "../parse/ss.js";
import type { DoctorCheck, Finding } from "../types.js";

const SWARM_PORTS: { port: number; proto: "tcp" | "udp"; what: string; managerOnly?: boolean }[] = [
  { port: 2377, proto: "tcp", what: "cluster management", managerOnly: true },
  { port: 7946, proto: "tcp", what: "node gossip" },
  { port: 7946, proto: "udp", what: "node gossip" },
  { port: 4789, proto: "udp", what: "VXLAN data path" },
];

/** Swarm state, and the local listeners an active swarm node needs. */
export const overlayCheck: DoctorCheck = {
  id: "overlay",
  area: "overlay",
  title: "Swarm and overlay networking",
  async run(ctx) {
    const snap = await ctx.facts.engineSnapshot();
    if (!snap) return [{ id: "overlay/swarm", area: "overlay", status: "skip", title: "engine not reachable: swarm state unknown", evidence: [] }];
    const swarm = (snap.info.Swarm ?? {}) as { LocalNodeState?: string; ControlAvailable?: boolean };
    const state = swarm.LocalNodeState || "inactive";
    const out: Finding[] = [
      {
        id: "overlay/swarm",
        area: "overlay",
        status: "ok",
        title: state === "active" ? `swarm active (${swarm.ControlAvailable ? "manager" : "worker"})` : `swarm ${state}: overlay networks need \`docker swarm init\` (netcheck's overlay scenarios create their own)`,
        evidence: [{ source: "GET /info → Swarm.LocalNodeState", value: state }],
      },
    ];
    if (state !== "active") return out;
    const [tcp, udp] = await Promise.all([ctx.facts.exec(["ss", "-H", "-ltn"]), ctx.facts.exec(["ss", "-H", "-lun"])]);
    const listeners = [...parseSsListeners(tcp.stdout, "tcp"), ...parseSsListeners(udp.stdout, "udp")];
    const missing = SWARM_PORTS.filter((p) => (!p.managerOnly || swarm.ControlAvailable) && !listeners.some((l) => l.port === p.port && l.proto === p.proto));
    out.push({
      id: "overlay/ports",
      area: "overlay",
      status: missing.length ? "fail" : "ok",
      title: missing.length ? `swarm ports not listening: ${missing.map((p) => `${p.port}/${p.proto} (${p.what})`).join(", ")}` : "swarm ports 2377/tcp, 7946/tcp+udp, 4789/udp listening",
      evidence: [ctx.facts.evidence(tcp, 20), ctx.facts.evidence(udp, 20)],
      fix: missing.length ? "check dockerd's log for bind errors and that no firewall blocks these ports between nodes" : undefined,
    });
    return out;
  },
};
