import { explainAround } from "../../explain-gather/explain-around.js";
import type { Explanation } from "../../explain/facts.js";
import { underlayOf } from "../../lab/host-underlay.js";
import type { StartedNode } from "../../lab/started.js";
import type { ReachOutcome } from "../../probes/outcome.js";
import type { CheckContext } from "../context.js";

export const VXLAN_PORT = 4789;

/**
 * Two nodes on different Docker hosts talk through VXLAN: when their probe
 * fails, the flow to explain is the outer one — UDP 4789 from the source's
 * host to the target's, read on both hosts (every netfilter counter around
 * one more probe) — not the inner addresses, which no host's rules see.
 * `where` names that flow, to go before the explanation in the reason.
 */
export async function explainAcrossUnderlay(
  ctx: CheckContext,
  src: StartedNode,
  dst: StartedNode,
  mustReach: boolean,
  probe: () => Promise<{ outcome: ReachOutcome }>,
): Promise<{ where: string; explanation: Explanation }> {
  const [pa, pb] = [await underlayOf(src.labHost, ctx.run, ctx.signal), await underlayOf(dst.labHost, ctx.run, ctx.signal)];
  const a = src.labHost.name;
  const b = dst.labHost.name;
  const { explanation } = await explainAround({
    host: { host: dst.labHost.shell, where: `${b} (Docker host of ${dst.name})` },
    source: { host: src.labHost.shell, where: `${a} (Docker host of ${src.name})` },
    flow: { srcLabel: `${a}'s underlay address`, dstLabel: `${b}'s VXLAN port`, src: pa.address, dst: pb.address, proto: "udp", dport: VXLAN_PORT },
    expect: mustReach ? "reach" : "block",
    probe,
    signal: ctx.signal,
  });
  return { where: ` — across the underlay, VXLAN (UDP ${VXLAN_PORT}) ${a} ${pa.address} → ${b} ${pb.address}`, explanation };
}
