import { classifyRewrite, formatSummaryLine, formatTuple, type Capture, type Flow, type FlowTuple } from "../pcap/index.js";
import type { ConntrackEntry, ConntrackTuple } from "../probes/conntrack.js";
import type { Evidence, NatEvidence, PacketsEvidence } from "../report/model.js";

/** What a path is expected to do to a flow's addresses between two capture points. */
export type ObservedRewrite = "dnat" | "snat" | "none" | "proxy" | "dnat+snat";
export type ExpectedRewrite = ObservedRewrite;

export interface NatCaptureSide {
  /** Who saw it, in words: "external host eth0", "server's namespace". */
  label: string;
  /** The pcap, relative to the report folder. */
  file: string;
  capture: Capture;
  /** Tuple fields this side must show; unset fields are not checked. */
  expect?: Partial<FlowTuple>;
}

export interface NatAssertion {
  expect: ExpectedRewrite;
  /** Unique bytes the probe carried, found in both captures. */
  token: string;
  /** Nearer the flow's initiator. */
  before: NatCaptureSide;
  after: NatCaptureSide;
}

export interface NatFinding {
  status: "pass" | "fail";
  reason: string;
  observed?: ObservedRewrite;
  before?: FlowTuple;
  after?: FlowTuple;
  evidence: Evidence[];
}

const WORDS: Record<ObservedRewrite, string> = {
  dnat: "DNAT (destination rewritten, source kept)",
  snat: "SNAT (source rewritten, destination kept)",
  none: "no address rewrite",
  proxy: "a userland proxy (a second TCP connection from the proxy's own address)",
  "dnat+snat": "both source and destination rewritten within one connection",
};

const EXPLAIN: Record<ObservedRewrite, string> = {
  dnat: "The destination changed between the capture points while the source did not: a DNAT rule (a published port) rewrote it.",
  snat: "The source changed between the capture points while the destination did not: MASQUERADE/SNAT gave the flow the host's address on the way out.",
  none: "Both capture points saw the same tuple: nothing on this path rewrites addresses or ports.",
  proxy:
    "The two captures carry the same request in two different TCP connections (different initial sequence numbers): a userland proxy (docker-proxy) accepted the first and opened the second from its own address. NAT would keep the sequence numbers.",
  "dnat+snat": "Source and destination both changed while the TCP sequence numbers stayed: DNAT and SNAT on one path (hairpin or a masqueraded published port).",
};

/**
 * Prove (or refute) a rewrite from two captures of one tokened flow. Never
 * throws: a missing token, a different rewrite or a wrong address is a `fail`
 * whose evidence holds the packets that contradict the expectation.
 */
export function assertNat(a: NatAssertion): NatFinding {
  const fb = tokenFlow(a.before.capture, a.token);
  const fa = tokenFlow(a.after.capture, a.token);
  const evidence: Evidence[] = [packetsEvidence(a.before, fb), packetsEvidence(a.after, fa)];
  const missing = [fb ? undefined : a.before, fa ? undefined : a.after].filter((s): s is NatCaptureSide => s !== undefined);
  if (!fb || !fa) {
    const which = missing.map((s) => `${s.label} (${s.capture.length} packets captured)`).join(" and ");
    return { status: "fail", reason: `the probe's token ${a.token} never showed up in ${which}: the flow did not pass that capture point, so no rewrite can be proven`, evidence };
  }
  const observed = classify(fb, fa);
  const nat: NatEvidence = {
    kind: "nat",
    rewrite: observed === "dnat+snat" ? "dnat" : observed,
    token: a.token,
    before: { capture: a.before.label, tuple: fb.tuple, packets: fb.packets },
    after: { capture: a.after.label, tuple: fa.tuple, packets: fa.packets },
    explanation: EXPLAIN[observed],
  };
  evidence.unshift(nat);
  const sides = `${a.before.label} saw ${formatTuple(fb.tuple)}; ${a.after.label} saw ${formatTuple(fa.tuple)}`;
  const base = { observed, before: fb.tuple, after: fa.tuple, evidence };
  if (observed !== a.expect) return { ...base, status: "fail", reason: `expected ${WORDS[a.expect]}, but the packets show ${WORDS[observed]}: ${sides}` };
  const wrong = [...mismatches(a.before, fb.tuple), ...mismatches(a.after, fa.tuple)];
  if (wrong.length > 0) return { ...base, status: "fail", reason: `${WORDS[observed]} as expected, but ${wrong.join("; ")} (${sides})` };
  return { ...base, status: "pass", reason: `${WORDS[observed]} proven by token ${a.token}: ${sides}` };
}

/** The first flow whose packets carry the token. */
export function tokenFlow(c: Capture, token: string): Flow | undefined {
  for (const p of c.packetsContaining(token)) {
    const f = c.flowOf(p.index);
    if (f) return f;
  }
  return undefined;
}

function classify(before: Flow, after: Flow): ObservedRewrite {
  const r = classifyRewrite(before.tuple, after.tuple);
  const isns = before.initiatorIsn >= 0 && after.initiatorIsn >= 0;
  if (isns && before.initiatorIsn !== after.initiatorIsn && before.tuple.protocol === "tcp") return "proxy";
  return r;
}

function mismatches(side: NatCaptureSide, t: FlowTuple): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(side.expect ?? {}) as [keyof FlowTuple, FlowTuple[keyof FlowTuple]][]) {
    if (v !== undefined && t[k] !== v) out.push(`${side.label} saw ${k} ${t[k]}, expected ${v}`);
  }
  return out;
}

/** The flow's first packets as tcpdump-like lines (all of the capture's first lines when the flow is missing). */
export function packetsEvidence(side: NatCaptureSide, flow: Flow | undefined, max = 8): PacketsEvidence {
  const lines: string[] = [];
  const c = side.capture;
  for (let i = 0; i < c.length && lines.length < max; i++) {
    if (flow && c.flowOf(i) !== flow) continue;
    lines.push(formatSummaryLine(c.packet(i)));
  }
  return { kind: "packets", capture: side.label, file: side.file, lines, total: flow ? flow.packets : c.length };
}

/** What the kernel recorded for one connection, compared with what a capture saw on the wire. */
export interface ConntrackNatJudgement {
  expect: ExpectedRewrite;
  /** The flow as captured (initiator → responder) at `wireLabel`. */
  wire: FlowTuple;
  wireLabel: string;
  entries: ConntrackEntry[];
  token?: string;
}

/**
 * NAT proven from the kernel's own record of the connection: the conntrack
 * entry whose original or reply tuple is the captured one. Where no capture
 * point sits between the rewrite and the socket (a host-network container),
 * this is the only place a rewrite shows.
 */
export function judgeConntrackNat(j: ConntrackNatJudgement): NatFinding {
  const w = j.wire;
  const entry = j.entries.find(
    (e) =>
      e.protocol === w.protocol &&
      ((e.orig.src === w.src && e.orig.sport === w.srcPort && e.orig.dst === w.dst && e.orig.dport === w.dstPort) ||
        (e.reply.src === w.dst && e.reply.sport === w.dstPort && e.reply.dst === w.src && e.reply.dport === w.srcPort)),
  );
  const evidence: Evidence[] = [{ kind: "note", text: entry ? `conntrack: ${entry.line}` : `conntrack: no entry for ${formatTuple(w)} among ${j.entries.length}` }];
  if (!entry) return { status: "fail", reason: `the kernel has no connection-tracking entry for the flow ${j.wireLabel} saw (${formatTuple(w)}): nothing can be proven`, evidence };
  const dnat = entry.reply.src !== entry.orig.dst || entry.reply.sport !== entry.orig.dport;
  const snat = entry.reply.dst !== entry.orig.src || entry.reply.dport !== entry.orig.sport;
  const observed: ObservedRewrite = dnat && snat ? "dnat+snat" : dnat ? "dnat" : snat ? "snat" : "none";
  const t = (x: ConntrackTuple) => `${x.src}:${x.sport} → ${x.dst}:${x.dport}`;
  // The tuple as conntrack first saw it, and the reply tuple reversed: what the far side of any rewrite sees.
  const asSeen: FlowTuple = { protocol: w.protocol, src: entry.orig.src, srcPort: entry.orig.sport, dst: entry.orig.dst, dstPort: entry.orig.dport };
  const farSide: FlowTuple = { protocol: w.protocol, src: entry.reply.dst, srcPort: entry.reply.dport, dst: entry.reply.src, dstPort: entry.reply.sport };
  evidence.unshift({
    kind: "nat",
    rewrite: observed === "dnat+snat" ? "dnat" : observed,
    ...(j.token ? { token: j.token } : {}),
    before: { capture: "kernel conntrack: original tuple", tuple: asSeen, packets: 0 },
    after: { capture: "kernel conntrack: reply tuple, reversed", tuple: farSide, packets: 0 },
    explanation: `${EXPLAIN[observed]} (From the kernel's connection-tracking entry: NAT rewrites are recorded there even where no capture point sits between the rewrite and the socket.)`,
  });
  const sides = `original ${t(entry.orig)}, reply ${t(entry.reply)} (${j.wireLabel} saw ${formatTuple(w)})`;
  if (observed !== j.expect) return { status: "fail", observed, reason: `expected ${WORDS[j.expect]}, but the kernel's conntrack entry shows ${WORDS[observed]}: ${sides}`, evidence };
  return { status: "pass", observed, reason: `${WORDS[observed]}, from the kernel's conntrack entry: ${sides}`, evidence };
}
