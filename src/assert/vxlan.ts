import type { Packet } from "../pcap/index.js";

export const VXLAN_PORT = 4789;

export interface VxlanExpectation {
  /** The two Docker hosts' underlay addresses: the outer header must go between exactly these. */
  outer: { a: string; b: string };
  /** The containers' overlay addresses: the inner header (a → b, and the replies b → a). */
  inner: { a: string; b: string };
  /** The overlay network's VNI as the engine reports it, when known. */
  vni?: number;
}

export interface VxlanVerdict {
  status: "pass" | "fail";
  reason: string;
  /** The packets that carry the inner conversation, for the evidence. */
  carrying: Packet[];
}

/**
 * Traffic between containers on two hosts is VXLAN on the underlay: the
 * inner a → b packets and b → a replies are each wrapped in UDP to port 4789
 * between the two hosts' underlay addresses, in one VNI (the network's, when
 * given). A capture showing the inner packets unwrapped, or wrapped between
 * other addresses, or in another VNI, fails. Pure.
 */
export function assertVxlan(packets: readonly Packet[], e: VxlanExpectation): VxlanVerdict {
  const between = (p: Packet, s: string, d: string) => p.ip?.src === s && p.ip?.dst === d;
  const inner = packets.filter((p) => between(p, e.inner.a, e.inner.b) || between(p, e.inner.b, e.inner.a));
  const carrying = inner.filter((p) => p.vxlan);
  if (inner.length === 0) return { status: "fail", reason: `no packet between ${e.inner.a} and ${e.inner.b} on the underlay (${packets.length} packets captured)`, carrying };
  const bare = inner.filter((p) => !p.vxlan);
  if (bare.length > 0) return { status: "fail", reason: `${bare.length} packets between ${e.inner.a} and ${e.inner.b} crossed the underlay without VXLAN encapsulation`, carrying };
  for (const p of carrying) {
    const o = p.vxlan!.outer;
    const forward = between(p, e.inner.a, e.inner.b);
    const [src, dst] = forward ? [e.outer.a, e.outer.b] : [e.outer.b, e.outer.a];
    if (o.src !== src || o.dst !== dst) return { status: "fail", reason: `inner ${p.ip!.src} → ${p.ip!.dst} was carried ${o.src} → ${o.dst}, not between the hosts' underlay addresses ${src} → ${dst}`, carrying };
    if (o.protocol !== "udp" || o.dstPort !== VXLAN_PORT) return { status: "fail", reason: `outer header is ${o.protocol} port ${o.dstPort}, not UDP ${VXLAN_PORT}`, carrying };
  }
  const vnis = [...new Set(carrying.map((p) => p.vxlan!.vni))];
  if (vnis.length !== 1) return { status: "fail", reason: `the conversation spans VNIs ${vnis.join(", ")}: one overlay network has one VNI`, carrying };
  if (e.vni !== undefined && vnis[0] !== e.vni) return { status: "fail", reason: `carried in VNI ${vnis[0]}, but the overlay network's VNI is ${e.vni}`, carrying };
  const fwd = carrying.filter((p) => between(p, e.inner.a, e.inner.b)).length;
  const back = carrying.length - fwd;
  if (fwd === 0 || back === 0) return { status: "fail", reason: `only one direction was seen encapsulated (${fwd} a → b, ${back} b → a)`, carrying };
  return {
    status: "pass",
    reason: `${fwd} a → b and ${back} b → a packets in VXLAN (UDP ${VXLAN_PORT}, VNI ${vnis[0]}${e.vni !== undefined ? ", the network's" : ""}) between the underlay addresses ${e.outer.a} ⇄ ${e.outer.b}`,
    carrying,
  };
}
