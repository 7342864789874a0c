import type { Packet } from "../pcap/index.js";
import { VXLAN_PORT } from "./vxlan.js";

export const IPPROTO_ESP = 50;

/**
 * An encrypted overlay shows only ESP between the two hosts on the underlay:
 * at least one ESP packet each way while the containers talked, and zero
 * plaintext VXLAN packets (UDP 4789 whose inner packet is readable). Pure.
 */
export function judgeEncryptedUnderlay(packets: readonly Packet[], outer: { a: string; b: string }): { status: "pass" | "fail"; reason: string; esp: number; plaintext: number } {
  const between = (p: Packet, s: string, d: string) => p.ip?.src === s && p.ip?.dst === d;
  const outerOf = (p: Packet) => (p.vxlan ? p.vxlan.outer : p.ip ? { src: p.ip.src, dst: p.ip.dst } : undefined);
  const hostToHost = packets.filter((p) => {
    const o = outerOf(p);
    return o !== undefined && ((o.src === outer.a && o.dst === outer.b) || (o.src === outer.b && o.dst === outer.a));
  });
  const esp = hostToHost.filter((p) => !p.vxlan && p.ip?.protocol === IPPROTO_ESP);
  const plaintext = hostToHost.filter((p) => p.vxlan || p.udp?.dstPort === VXLAN_PORT);
  const fwd = esp.filter((p) => between(p, outer.a, outer.b)).length;
  const back = esp.length - fwd;
  const counts = { esp: esp.length, plaintext: plaintext.length };
  if (plaintext.length > 0) return { status: "fail", reason: `${plaintext.length} plaintext VXLAN packets (UDP ${VXLAN_PORT}) between ${outer.a} and ${outer.b} on the underlay: the overlay is not encrypted (${esp.length} ESP)`, ...counts };
  if (fwd === 0 || back === 0) return { status: "fail", reason: `no ESP both ways between ${outer.a} and ${outer.b} (${fwd} → , ${back} ←): nothing proves the traffic crossed encrypted`, ...counts };
  return { status: "pass", reason: `only ESP on the underlay: ${fwd} ${outer.a} → ${outer.b} and ${back} back, 0 plaintext VXLAN packets`, ...counts };
}
