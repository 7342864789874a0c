import type { NodeDecl, SegmentDecl } from "../../lab/topology.js";
import type { Evidence } from "../../report/model.js";
import type { CheckDecl } from "../define.js";
import type { CheckContext } from "../context.js";
import { nodeLinkOn, startedSegment } from "./macvlan-common.js";

/** The part of `ip -d -j link` a macvlan check reads. */
export interface IpLinkDetail {
  ifindex: number;
  ifname: string;
  link_index?: number;
  address?: string;
  linkinfo?: { info_kind?: string; info_data?: { mode?: string } };
}

export function parseIpLinkJson(stdout: string): IpLinkDetail[] {
  const parsed: unknown = JSON.parse(stdout || "[]");
  if (!Array.isArray(parsed)) throw new Error("`ip -j link` did not print a JSON array");
  return parsed as IpLinkDetail[];
}

/**
 * The node's interface as its kernel describes it. The probe image's busybox
 * `ip` has no `-d`, so the host's iproute2 runs inside the container's
 * network namespace (nsenter --net): same kernel view, better tool.
 */
async function detailInNode(ctx: CheckContext, node: NodeDecl, iface: string): Promise<{ link: IpLinkDetail | undefined; evidence: Evidence }> {
  const started = ctx.node(node);
  const pid = (await started.labHost.engine.inspectContainer(started.containerId)).State?.Pid;
  if (!pid) throw new Error(`container ${started.containerName} has no running process to enter`);
  const r = await ctx.inspect({ kind: "lab-host", name: started.labHost.name }, ["nsenter", `--net=/proc/${pid}/ns/net`, "ip", "-d", "-j", "link", "show", "dev", iface]);
  return { link: r.result.exitCode === 0 ? parseIpLinkJson(r.result.stdout)[0] : undefined, evidence: r.evidence };
}

/** The node's interface on the segment is a macvlan in `mode` whose lower device is the segment's parent link. */
export function macvlanInterface(node: NodeDecl, segment: SegmentDecl, mode: "bridge" | "private" | "vepa" | "passthru", opts: { name?: string } = {}): CheckDecl {
  return {
    name: opts.name ?? `${node.name}-is-macvlan-${mode}-on-${segment.name}`,
    category: "topology",
    expectation: `${node.name}'s interface on ${segment.name} is a macvlan (mode ${mode}) whose parent is the segment's link`,
    async run(ctx) {
      const seg = startedSegment(ctx, segment);
      const own = await nodeLinkOn(ctx, node, seg);
      const inside = await detailInNode(ctx, node, own.iface);
      const hostView = await ctx.inspect({ kind: "lab-host", name: seg.labHost.name }, ["ip", "-j", "link", "show"]);
      const evidence = [...own.evidence, inside.evidence, hostView.evidence];
      const l = inside.link;
      if (!l) return { status: "fail", reason: `could not read ${own.iface}'s details inside ${node.name}`, evidence };
      const parent = parseIpLinkJson(hostView.result.stdout).find((h) => h.ifindex === l.link_index);
      const problems: string[] = [];
      if (l.linkinfo?.info_kind !== "macvlan") problems.push(`kind is ${l.linkinfo?.info_kind ?? "plain (no linkinfo)"}, not macvlan`);
      if (l.linkinfo?.info_data?.mode !== mode) problems.push(`mode is ${l.linkinfo?.info_data?.mode ?? "unknown"}, not ${mode}`);
      if (parent?.ifname !== seg.link) problems.push(`its lower device is ifindex ${l.link_index} (${parent?.ifname ?? "not in the host namespace"}), not the segment's ${seg.link}`);
      const what = `${node.name} ${own.iface}@if${l.link_index} (${l.address}): macvlan mode ${l.linkinfo?.info_data?.mode}, parent ifindex ${l.link_index} = ${parent?.ifname ?? "?"} on the host`;
      if (problems.length) return { status: "fail", reason: `${node.name}: ${problems.join("; ")}`, evidence };
      return { status: "pass", reason: what, evidence };
    },
  };
}

/** Every node has its own MAC on the segment, and none of them is the parent link's. */
export function distinctMacs(segment: SegmentDecl, nodes: NodeDecl[], opts: { name?: string } = {}): CheckDecl {
  return {
    name: opts.name ?? `distinct-macs-on-${segment.name}`,
    category: "topology",
    expectation: `${nodes.map((n) => n.name).join(", ")} have distinct MACs on ${segment.name}, none equal to the parent's`,
    async run(ctx) {
      const seg = startedSegment(ctx, segment);
      const parentMac = await ctx.inspect({ kind: "lab-host", name: seg.labHost.name }, ["cat", `/sys/class/net/${seg.link}/address`]);
      const evidence: Evidence[] = [parentMac.evidence];
      const macs = new Map<string, string>();
      for (const n of nodes) {
        const l = await nodeLinkOn(ctx, n, seg);
        evidence.push(...l.evidence);
        macs.set(n.name, l.mac);
      }
      const parent = parentMac.result.stdout.trim();
      const problems: string[] = [];
      if (!parent) problems.push(`could not read the parent ${seg.link}'s MAC`);
      // One node named twice proves nothing about distinctness.
      if (macs.size < 2) problems.push(`distinct MACs need at least two different nodes (given: ${nodes.map((n) => n.name).join(", ")})`);
      for (const [name, mac] of macs) {
        if (mac === parent) problems.push(`${name} uses the parent's MAC ${mac}`);
        const twin = [...macs].find(([other, m]) => other < name && m === mac);
        if (twin) problems.push(`${name} and ${twin[0]} share MAC ${mac}`);
      }
      const listing = `${[...macs].map(([n, m]) => `${n} ${m}`).join(", ")}; parent ${seg.link} ${parent}`;
      if (problems.length) return { status: "fail", reason: `${problems.join("; ")} (${listing})`, evidence };
      return { status: "pass", reason: listing, evidence };
    },
  };
}
