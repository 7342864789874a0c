import type { DoctorCheck, DoctorContext, Finding, FindingEvidence } from "../types.js";
import { dockerBridges } from "./docker-bridges.js";

async function sysctl(ctx: DoctorContext, key: string): Promise<{ value?: string; evidence: FindingEvidence }> {
  const path = `/proc/sys/${key.replace(/\./g, "/")}`;
  const text = await ctx.facts.readFile(path);
  return { value: text?.trim(), evidence: ctx.facts.fileEvidence(path, text?.trim() ?? "absent") };
}

function flip(key: string, to: string, from: string): { describe: string; commands: string[][]; undo: string[][] } {
  return { describe: `sysctl -w ${key}=${to}`, commands: [["sysctl", "-w", `${key}=${to}`]], undo: [["sysctl", "-w", `${key}=${from}`]] };
}

/** Forwarding, bridge netfilter, reverse-path filtering on Docker bridges, conntrack headroom. */
export const sysctlsCheck: DoctorCheck = {
  id: "sysctl",
  area: "sysctl",
  title: "Kernel networking settings",
  async run(ctx) {
    const area = "sysctl" as const;
    const out: Finding[] = [];
    const fwd = await sysctl(ctx, "net.ipv4.ip_forward");
    const fwdOff = fwd.value === "0";
    out.push({
      id: "sysctl/ip-forward",
      area,
      status: fwdOff ? "fail" : fwd.value === undefined ? "skip" : "ok",
      title: fwdOff ? "net.ipv4.ip_forward=0: containers cannot reach anything beyond their bridge, published ports do not answer from outside" : `net.ipv4.ip_forward=${fwd.value ?? "unreadable"}`,
      evidence: [fwd.evidence],
      fix: fwdOff ? "sysctl -w net.ipv4.ip_forward=1 and persist `net.ipv4.ip_forward=1` in /etc/sysctl.d/99-docker.conf (something reset it: check other sysctl.d files)" : undefined,
      fixAction: fwdOff ? flip("net.ipv4.ip_forward", "1", "0") : undefined,
    });
    const brnf = await sysctl(ctx, "net.bridge.bridge-nf-call-iptables");
    const brnfOff = brnf.value === "0";
    out.push({
      id: "sysctl/bridge-nf-call-iptables",
      area,
      status: brnfOff ? "warn" : brnf.value === undefined ? "warn" : "ok",
      title: brnf.value === undefined
        ? "net.bridge.bridge-nf-call-iptables absent: br_netfilter not loaded, iptables does not see bridged traffic"
        : brnfOff ? "net.bridge.bridge-nf-call-iptables=0: iptables rules (ICC=false, DOCKER-USER) do not apply to traffic within a bridge" : `net.bridge.bridge-nf-call-iptables=${brnf.value}`,
      evidence: [brnf.evidence],
      fix: brnf.value === undefined ? "modprobe br_netfilter" : brnfOff ? "sysctl -w net.bridge.bridge-nf-call-iptables=1" : undefined,
      fixAction: brnfOff ? flip("net.bridge.bridge-nf-call-iptables", "1", "0") : undefined,
    });
    const bridges = await dockerBridges(ctx);
    const rp = await Promise.all(["all", ...bridges].map(async (dev) => ({ dev, ...(await sysctl(ctx, `net.ipv4.conf.${dev}.rp_filter`)) })));
    const all = rp[0]?.value;
    const strict = rp.slice(1).filter((r) => r.value === "1" || (all === "1" && r.value !== undefined));
    out.push({
      id: "sysctl/rp-filter",
      area,
      status: strict.length ? "warn" : "ok",
      title: strict.length
        ? `strict reverse-path filtering on ${strict.map((r) => r.dev).join(", ")}: asymmetric replies (multi-homed containers, policy routing) are dropped`
        : `rp_filter not strict on Docker bridges (${bridges.join(", ") || "none"})`,
      evidence: rp.map((r) => r.evidence),
      fix: strict.length ? `sysctl -w ${strict.map((r) => `net.ipv4.conf.${r.dev}.rp_filter=2`).join(" ")} (loose mode)` : undefined,
    });
    const count = await sysctl(ctx, "net.netfilter.nf_conntrack_count");
    const max = await sysctl(ctx, "net.netfilter.nf_conntrack_max");
    const c = Number(count.value);
    const m = Number(max.value);
    const known = count.value !== undefined && max.value !== undefined && m > 0;
    const high = known && c / m > 0.8;
    out.push({
      id: "sysctl/conntrack",
      area,
      status: !known ? "skip" : high ? "warn" : "ok",
      title: !known ? "conntrack table size unknown (nf_conntrack not loaded)" : `conntrack ${c}/${m} entries (${((100 * c) / m).toFixed(1)}%)`,
      evidence: [count.evidence, max.evidence],
      fix: high ? `raise net.netfilter.nf_conntrack_max (e.g. sysctl -w net.netfilter.nf_conntrack_max=${m * 2}); new flows are dropped when the table is full` : undefined,
    });
    return out;
  },
};
