import type { Packet } from "../pcap/index.js";
import { cidrContains, parseCidr } from "../util/ipv4.js";
import { VXLAN_PORT } from "./vxlan.js";

export const IPPROTO_ESP = 50;

/**
 * An encrypted overlay shows only ESP between the two hosts on the underlay:
 * at least one ESP packet each way while the containers talked, and zero
 * plaintext VXLAN packets (UDP 4789 whose inner packet is readable). With
 * `inner` (the overlay's own subnet), plaintext VXLAN whose inner packet is
 * another network's (another overlay between the same hosts at the same time)
 * is not this overlay's and is only counted in the reason; UDP 4789 that does
 * not decode as VXLAN cannot be attributed, so it counts. Pure.
 */
export function judgeEncryptedUnderlay(packets: readonly Packet[], outer: { a: string; b: string }, inner?: string): { status: "pass" | "fail"; reason: string; esp: number; plaintext: number } {
  const between = (p: Packet, s: string, d: string) => p.ip?.src === s && p.ip?.dst === d;
  const outerOf = (p: Packet) => (p.vxlan ? p.vxlan.outer : p.ip ? { src: p.ip.src, dst: p.ip.dst } : undefined);
  const hostToHost = packets.filter((p) => {
    const o = outerOf(p);
    return o !== undefined && ((o.src === outer.a && o.dst === outer.b) || (o.src === outer.b && o.dst === outer.a));
  });
  const esp = hostToHost.filter((p) => !p.vxlan && p.ip?.protocol === IPPROTO_ESP);
  const ours = inner ? parseCidr(inner) : undefined;
  const mine = (p: Packet) => !ours || !p.vxlan || !p.ip || cidrContains(ours, p.ip.src) || cidrContains(ours, p.ip.dst);
  const allPlain = hostToHost.filter((p) => p.vxlan || p.udp?.dstPort === VXLAN_PORT);
  const plaintext = allPlain.filter(mine);
  const others = allPlain.length - plaintext.length;
  const otherNote = others ? `; ${others} plaintext VXLAN packets of other networks (inner addresses outside ${inner}) not counted` : "";
  const fwd = esp.filter((p) => between(p, outer.a, outer.b)).length;
  const back = esp.length - fwd;
  const counts = { esp: esp.length, plaintext: plaintext.length };
  const of = inner ? ` of ${inner}` : "";
  if (plaintext.length > 0) return { status: "fail", reason: `${plaintext.length} plaintext VXLAN packets${of} (UDP ${VXLAN_PORT}) between ${outer.a} and ${outer.b} on the underlay: the overlay is not encrypted (${esp.length} ESP)${otherNote}`, ...counts };
  if (fwd === 0 || back === 0) return { status: "fail", reason: `no ESP both ways between ${outer.a} and ${outer.b} (${fwd} → , ${back} ←): nothing proves the traffic crossed encrypted${otherNote}`, ...counts };
  return { status: "pass", reason: `only ESP on the underlay: ${fwd} ${outer.a} → ${outer.b} and ${back} back, 0 plaintext VXLAN packets${of}${otherNote}`, ...counts };
}
