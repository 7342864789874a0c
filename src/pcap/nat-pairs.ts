import type { CaptureSummary } from "./capture-summary.js";
import type { Flow, FlowTuple } from "./flow.js";

export type NatRewrite = "dnat" | "snat" | "dnat+snat" | "none";

/** One conversation seen in two captures, and how it was matched. */
export interface NatPair {
  a: FlowTuple;
  b: FlowTuple;
  matchedBy: "token" | "tcp-isn" | "payload";
  /** What matched, in words: `token "nc1a2b"`, `ISN 123/456`, `first payload (64 bytes)`. */
  detail: string;
  rewrite: NatRewrite;
}

/** Which ends differ between the two tuples (dst side → DNAT, src side → SNAT). */
export function classifyRewrite(a: FlowTuple, b: FlowTuple): NatRewrite {
  const src = a.src !== b.src || a.srcPort !== b.srcPort;
  const dst = a.dst !== b.dst || a.dstPort !== b.dstPort;
  return src && dst ? "dnat+snat" : dst ? "dnat" : src ? "snat" : "none";
}

/**
 * Pair flows across two captures of the same traffic: first by tokens both saw,
 * then TCP flows by initial sequence numbers (NAT rewrites addresses and ports,
 * not sequence numbers), then other flows by a hash of their first payload.
 * Each flow is paired at most once.
 */
export function matchNatPairs(a: CaptureSummary, b: CaptureSummary): NatPair[] {
  const pairs: NatPair[] = [];
  const usedA = new Set<Flow>();
  const usedB = new Set<Flow>();
  const pair = (fa: Flow, fb: Flow, matchedBy: NatPair["matchedBy"], detail: string) => {
    usedA.add(fa);
    usedB.add(fb);
    pairs.push({ a: fa.tuple, b: fb.tuple, matchedBy, detail, rewrite: classifyRewrite(fa.tuple, fb.tuple) });
  };
  for (const [token, seenA] of a.tokens) {
    const seenB = b.tokens.get(token);
    const fa = seenA.flows.find((f) => !usedA.has(f));
    const fb = seenB?.flows.find((f) => !usedB.has(f));
    if (fa && fb) pair(fa, fb, "token", `token "${token}"`);
  }
  // Several flows can share a key (a retried request, one payload to two servers): keep them all, in
  // order of first packet, and pair the n-th of a with the n-th unused of b (issue 17, item 6).
  const byIsn = new Map<string, Flow[]>();
  const byPayload = new Map<string, Flow[]>();
  const push = (m: Map<string, Flow[]>, k: string, f: Flow) => (m.get(k) ?? m.set(k, []).get(k)!).push(f);
  const take = (m: Map<string, Flow[]>, k: string, f: Flow) => {
    const candidates = (m.get(k) ?? []).filter((c) => !usedB.has(c));
    // The same tuple on both sides (nothing rewritten, or the same file twice) beats order.
    return candidates.find((c) => classifyRewrite(f.tuple, c.tuple) === "none") ?? candidates[0];
  };
  const isnKey = (f: Flow) => `${f.proto}/${f.initiatorIsn}/${f.responderIsn}`;
  const payloadKey = (f: Flow) => `${f.proto}/${f.firstPayloadHash}/${f.firstPayloadLength}`;
  for (const f of b.flows.all()) {
    if (usedB.has(f)) continue;
    if (f.initiatorIsn >= 0) push(byIsn, isnKey(f), f);
    else if (f.firstPayloadHash >= 0) push(byPayload, payloadKey(f), f);
  }
  for (const f of a.flows.all()) {
    if (usedA.has(f)) continue;
    if (f.initiatorIsn >= 0) {
      const m = take(byIsn, isnKey(f), f);
      if (m) pair(f, m, "tcp-isn", `ISN ${f.initiatorIsn}/${f.responderIsn}`);
    } else if (f.firstPayloadHash >= 0) {
      const m = take(byPayload, payloadKey(f), f);
      if (m) pair(f, m, "payload", `first payload (${f.firstPayloadLength} bytes)`);
    }
  }
  return pairs;
}
