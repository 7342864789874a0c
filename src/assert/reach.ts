import type { Packet } from "../pcap/index.js";
import { CLASS_WORDS, type ReachOutcome } from "../probes/outcome.js";
import type { ProbeSignature } from "../probes/reach.js";

/**
 * Reachability and isolation verdicts: pure functions of what a probe gathered.
 *
 * The rule they keep: a negative check passes only on a proven block. A
 * refusal is an open path (the target's kernel answered); a probe that could
 * not run, or a name that did not resolve when the name was not the point,
 * proves nothing; a timeout is a block only when a capture at the target shows
 * that none of the probe's packets arrived (else the request may have arrived
 * and only the reply been lost: asymmetric routing, an internal network's
 * un-NATed leak to a host with no route back).
 */
export type Verdict = "pass" | "fail" | "inconclusive" | "error";

export interface VerdictFinding {
  /** What the run records: only `pass` passes; inconclusive and error count as failures. */
  status: "pass" | "fail";
  verdict: Verdict;
  reason: string;
}

/** What a capture at the target saw of this probe's packets. */
export interface TargetArrival {
  /** "b's namespace", "external host eth0". */
  where: string;
  /** TCP: SYNs the probe sent, seen at the source. */
  sent?: number;
  /** Probe packets toward the target (SYNs with the probe's source port; echo requests of its size). */
  requests: number;
  /** Answers from the target (SYN/ACK, RST, echo reply) seen there. */
  replies: number;
  /** The capture file, relative to the report folder. */
  file?: string;
}

/** When the probe addressed its target by name and the name was the point (`byName`). */
export interface NameLookupOutcome {
  nxdomain: boolean;
  server?: string;
  detail: string;
}

export interface ReachJudgement {
  mustReach: boolean;
  /** "a → b at 10.213.4.3:80 (tcp)". */
  subject: string;
  outcome: ReachOutcome;
  identity?: string;
  expectIdentity?: string;
  byName?: boolean;
  nameLookup?: NameLookupOutcome;
  arrival?: TargetArrival;
}

const finding = (verdict: Verdict, reason: string): VerdictFinding => ({
  status: verdict === "pass" ? "pass" : "fail",
  verdict,
  reason: verdict === "pass" || verdict === "fail" ? reason : `${verdict}: ${reason}`,
});

function arrivalText(a: TargetArrival): string {
  const of = a.sent !== undefined ? ` of ${a.sent}` : "";
  return a.requests === 0
    ? `0${of} probe packets arrived at ${a.where}`
    : `${a.requests}${of} probe packet${a.requests === 1 && !of ? "" : "s"} arrived at ${a.where}, ${a.replies} repl${a.replies === 1 ? "y" : "ies"} seen there`;
}

export function judgeReach(j: ReachJudgement): VerdictFinding {
  const o = j.outcome;
  const seen = j.arrival ? `; ${arrivalText(j.arrival)}` : "";
  if (j.mustReach) {
    if (o.class !== "delivered") {
      const lost = o.class === "timeout" && j.arrival && j.arrival.requests > 0 ? " — the request got there, the reply never came back" : "";
      return finding("fail", `${j.subject} must connect, but: ${CLASS_WORDS[o.class]} — ${o.why}${seen}${lost}`);
    }
    if (j.expectIdentity && j.identity !== j.expectIdentity) {
      return finding("fail", `${j.subject}: the connection was answered by ${j.identity ? `node ${j.identity}` : "something that did not say which node it is"}, not by ${j.expectIdentity}`);
    }
    return finding("pass", `delivered: ${o.why}${j.identity ? ` (node ${j.identity})` : ""}`);
  }
  switch (o.class) {
    case "delivered":
      return finding("fail", `${j.subject} must NOT connect, but it did: ${o.why}${j.identity ? ` (node ${j.identity} answered)` : ""}`);
    case "refused":
      return finding("fail", `${j.subject} must NOT connect, but the path is open: the target's kernel answered (${o.why})`);
    case "unreachable":
      return finding("pass", `blocked ${o.at === "source" ? "at the source" : "on the path"}: ${o.why}${seen}`);
    case "timeout":
      if (!j.arrival) return finding("inconclusive", `${j.subject}: no answer (${o.why}), and no capture at the target could show whether the request arrived and only the reply was lost`);
      // The probe ran (a timeout is read from its own words, never from an exec kill) yet no SYN left the source:
      // its stack held them (e.g. the next hop never answered ARP). Still nothing arrived: blocked at the source.
      if (j.arrival.sent === 0 && j.arrival.requests === 0) {
        return finding("pass", `blocked at the source: ${o.why}; none of the probe's SYNs left the source (held by its own stack: no neighbour for the next hop, or a local rule) and 0 arrived at ${j.arrival.where}`);
      }
      if (j.arrival.requests > 0) {
        return finding("fail", `${j.subject} must NOT connect, but the path toward the target is open: ${arrivalText(j.arrival)} — no reply reached the source (no route back, or the target's own firewall dropped it)`);
      }
      return finding("pass", `blocked: silently dropped — ${o.why}; ${arrivalText(j.arrival)}`);
    case "dns-failure":
      if (!j.byName) return finding("error", `${j.subject}: the target's name did not resolve (${o.why}), which says nothing about the path`);
      if (j.nameLookup?.nxdomain) return finding("pass", `cannot reach it by name: the name does not exist for the source (${j.nameLookup.detail})`);
      return finding("inconclusive", `${j.subject}: the name did not resolve, but not with NXDOMAIN (${j.nameLookup?.detail ?? "no lookup evidence"}): a DNS server that does not answer proves nothing`);
    case "probe-error":
      return finding("error", `${j.subject}: the probe could not run (${o.why})`);
  }
}

/** The probe's SYNs as the source sent them (pure): their initial sequence numbers. */
export function probeSynsAtSource(packets: Packet[], sig: ProbeSignature): number[] {
  const isns = new Set<number>();
  for (const p of packets) if (p.tcp && p.tcp.dstPort === sig.dstPort && (p.tcp.flags & 0x12) === 0x02) isns.add(p.tcp.seq);
  return [...isns];
}

/**
 * Count the probe's own packets in a capture taken at the target (pure:
 * decoded packets in). TCP: SYNs carrying one of the probe's ISNs (NAT keeps
 * them), and answers acknowledging one (SYN/ACK or RST: ack = ISN + 1).
 * ICMP: echo requests and replies of the probe's payload size.
 */
export function countProbePackets(packets: Packet[], sig: ProbeSignature): { requests: number; replies: number } {
  let requests = 0;
  let replies = 0;
  const isns = new Set(sig.isns ?? []);
  for (const p of packets) {
    if (sig.proto === "tcp" && p.tcp) {
      if ((p.tcp.flags & 0x12) === 0x02 && isns.has(p.tcp.seq)) requests++;
      else if ((p.tcp.flags & 0x14) !== 0 && isns.has((p.tcp.ack - 1) >>> 0)) replies++;
    } else if (sig.proto === "icmp" && p.icmp && p.ip?.version === (sig.family ?? 4) && sig.payloadSize !== undefined) {
      // The echo payload (after the 8-byte ICMP/ICMPv6 header) is exactly the probe's -s size.
      if (p.payload.length !== sig.payloadSize) continue;
      const [request, reply] = p.ip.version === 6 ? [128, 129] : [8, 0];
      if (p.icmp.type === request) requests++;
      else if (p.icmp.type === reply) replies++;
    }
  }
  return { requests, replies };
}
