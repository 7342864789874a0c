import { parseJsonArray, uplinkOf, type IpLink, type IpRoute } from "../parse/ip-json.js";
import type { DoctorCheck, DoctorContext, Finding, FindingEvidence } from "../types.js";

/** `ethtool -k` → feature → "on"/"off". */
export function parseEthtoolFeatures(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/^\s*([\w-]+):\s+(on|off)/gm)) out.set(m[1]!, m[2]!);
  return out;
}

/** InCsumErrors of the Udp and Tcp lines of /proc/net/snmp. */
export function checksumErrors(snmp: string): { udp: number; tcp: number } {
  const value = (proto: string) => {
    const [head, vals] = snmp.split("\n").filter((l) => l.startsWith(`${proto}:`));
    const i = head?.split(/\s+/).indexOf("InCsumErrors") ?? -1;
    return i > 0 ? Number(vals?.split(/\s+/)[i] ?? 0) : 0;
  };
  return { udp: value("Udp"), tcp: value("Tcp") };
}

interface Offload {
  dev: string;
  role: string;
  tx?: string;
  generic?: string;
  ev: FindingEvidence;
}

async function offload(ctx: DoctorContext, dev: string, role: string): Promise<Offload> {
  const res = await ctx.facts.exec(["ethtool", "-k", dev]);
  const f = parseEthtoolFeatures(res.stdout);
  return { dev, role, tx: f.get("tx-checksumming"), generic: f.get("tx-checksum-ip-generic"), ev: ctx.facts.evidence({ ...res, stdout: res.stdout.split("\n").filter((l) => /tx-checksum/.test(l)).join("\n") }) };
}

/**
 * Some NICs and hypervisors (vmxnet3, some virtio/ENA builds) compute a wrong
 * outer checksum for VXLAN with tx offload on: ICMP and small packets pass,
 * TCP across the overlay stalls. The kernel counts what it dropped in
 * InCsumErrors; with offload on *and* such drops, turning it off is the known fix.
 */
export const vxlanOffloadCheck: DoctorCheck = {
  id: "vxlan-offload",
  area: "overlay",
  title: "VXLAN checksum offload",
  async run(ctx) {
    const [linkRes, routeRes] = await Promise.all([ctx.facts.exec(["ip", "-j", "-d", "link"]), ctx.facts.exec(["ip", "-j", "route"])]);
    const links = parseJsonArray<IpLink>(linkRes.stdout);
    const vxlans = links.filter((l) => l.linkinfo?.info_kind === "vxlan").map((l) => l.ifname);
    const snap = await ctx.facts.engineSnapshot();
    const swarm = ((snap?.info.Swarm ?? {}) as { LocalNodeState?: string }).LocalNodeState === "active";
    if (vxlans.length === 0 && !swarm) return [{ id: "overlay/vxlan-offload", area: "overlay", status: "ok", title: "no VXLAN interface and no swarm: checksum offload does not matter here", evidence: [{ source: `ip -j -d link [${linkRes.where}] → kind vxlan`, value: "(none)" }] }];
    const uplink = uplinkOf(parseJsonArray<IpRoute>(routeRes.stdout));
    const devs = [...vxlans.map((d) => [d, "vxlan"] as const), ...(uplink ? [[uplink, "underlay"] as const] : [])];
    const states = await Promise.all(devs.map(([d, r]) => offload(ctx, d, r)));
    if (states.every((s) => s.tx === undefined)) {
      return [{ id: "overlay/vxlan-offload", area: "overlay", status: "skip", title: "ethtool not available: VXLAN checksum offload not checked", evidence: states.map((s) => s.ev), fix: "install ethtool (Debian/Ubuntu: `apt-get install ethtool`)" }];
    }
    const snmp = (await ctx.facts.readFile("/proc/net/snmp")) ?? "";
    const errors = checksumErrors(snmp);
    const on = states.filter((s) => s.tx === "on");
    const dropping = errors.udp + errors.tcp > 0;
    const describe = states.map((s) => `${s.dev} (${s.role}) tx-checksumming ${s.tx ?? "?"}${s.generic ? `, tx-checksum-ip-generic ${s.generic}` : ""}`).join("; ");
    const fixCmd = on.map((s) => `ethtool -K ${s.dev} tx-checksum-ip-generic off`).join("; ");
    return [
      {
        id: "overlay/vxlan-offload",
        area: "overlay",
        status: on.length && dropping ? "warn" : "ok",
        title:
          on.length && dropping
            ? `checksum errors counted (UDP ${errors.udp}, TCP ${errors.tcp} InCsumErrors) with tx checksum offload on: ${describe}: overlay TCP may stall while ping works`
            : `${describe}; ${dropping ? `InCsumErrors UDP ${errors.udp}, TCP ${errors.tcp}` : "no checksum errors counted"}${on.length ? ` (if overlay TCP stalls while ping works: \`${fixCmd}\`)` : ""}`,
        evidence: [...states.map((s) => s.ev), ctx.facts.fileEvidence("/proc/net/snmp", `Udp InCsumErrors ${errors.udp}, Tcp InCsumErrors ${errors.tcp}`)],
        fix: on.length && dropping ? `turn tx checksum offload off on the VXLAN and underlay devices: ${fixCmd} (persist it in the interface configuration); if that cures it, report the NIC/driver` : undefined,
      },
    ];
  },
};
