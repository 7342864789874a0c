import type { Packet } from "../pcap/index.js";

/**
 * Verdicts of the VM lab's trunk scenarios (802.1Q, ipvlan): pure functions of
 * decoded frames and of what commands printed. Each names what it saw, so a
 * failure says which frame, which tag, which MAC.
 */
export interface TrunkFinding {
  status: "pass" | "fail";
  reason: string;
}

const pass = (reason: string): TrunkFinding => ({ status: "pass", reason });
const fail = (reason: string): TrunkFinding => ({ status: "fail", reason });

/** A frame sent by `ip`: its IP source, or an ARP it sent. */
const fromIp = (p: Packet, ip: string): boolean => p.ip?.src === ip || p.arp?.senderIp === ip;

export interface TaggedSource {
  /** "a20". */
  name: string;
  ip: string;
  vlan: number;
}

/**
 * Every source was seen on the trunk, and every frame it sent there carries
 * exactly its own VLAN's tag (one tag, not another VLAN's, not untagged).
 */
export function judgeVlanTags(packets: Packet[], sources: TaggedSource[]): TrunkFinding {
  const seen: string[] = [];
  for (const s of sources) {
    const frames = packets.filter((p) => fromIp(p, s.ip));
    if (frames.length === 0) return fail(`no frame from ${s.name} (${s.ip}) was seen on the trunk`);
    const wrong = frames.filter((p) => p.vlans.length !== 1 || p.vlans[0] !== s.vlan);
    if (wrong.length) {
      const tags = [...new Set(wrong.map((p) => (p.vlans.length ? p.vlans.join(".") : "untagged")))].join(", ");
      return fail(`${wrong.length} of ${frames.length} frames from ${s.name} (${s.ip}) are not tagged VLAN ${s.vlan} (seen: ${tags})`);
    }
    seen.push(`${s.name}: ${frames.length} frames, all VLAN ${s.vlan}`);
  }
  return pass(seen.join("; "));
}

export interface MacSource {
  name: string;
  ip: string;
}

/**
 * ipvlan: every node answers ARP with the parent's MAC and sends its frames
 * from it. At least one ARP reply per node is needed: "the ARP answers carry
 * it" cannot pass on a capture without ARP answers.
 */
export function judgeSharedMac(packets: Packet[], parentMac: string, nodes: MacSource[]): TrunkFinding {
  const want = parentMac.toLowerCase();
  const seen: string[] = [];
  for (const n of nodes) {
    const replies = packets.filter((p) => p.arp && p.arp.operation === "reply" && p.arp.senderIp === n.ip);
    if (replies.length === 0) return fail(`no ARP reply for ${n.name} (${n.ip}) was captured: nothing shows which MAC answers for it`);
    const badArp = replies.find((p) => p.arp!.senderMac.toLowerCase() !== want);
    if (badArp) return fail(`the ARP reply for ${n.name} (${n.ip}) carries ${badArp.arp!.senderMac}, not the parent's MAC ${want}`);
    const frames = packets.filter((p) => fromIp(p, n.ip));
    const badSrc = frames.find((p) => (p.srcMac ?? "").toLowerCase() !== want);
    if (badSrc) return fail(`a frame from ${n.name} (${n.ip}) has source MAC ${badSrc.srcMac ?? "?"}, not the parent's MAC ${want}`);
    seen.push(`${n.name} ${n.ip}: ${replies.length} ARP repl${replies.length === 1 ? "y" : "ies"} and ${frames.length} frames, all from ${want}`);
  }
  return pass(seen.join("; "));
}

/** What a command returned, for verdicts over Docker's own answers. */
export interface CommandAnswer {
  exitCode: number;
  stderr: string;
}

/**
 * Docker must refuse `what`, with an error matching `expected` (its own
 * words). Accepted is a failure; refused for another reason proves nothing
 * about this rule and fails too, quoting the error.
 */
export function judgeRefused(r: CommandAnswer, expected: RegExp, what: string): TrunkFinding {
  const err = r.stderr.trim();
  if (r.exitCode === 0) return fail(`Docker accepted ${what}; it must refuse it (${expected.source})`);
  if (!expected.test(err)) return fail(`Docker refused ${what}, but not for this reason: "${err || `exit ${r.exitCode}, no message`}" (expected ${expected.source})`);
  return pass(`refused as expected: ${err}`);
}

/** `ip -d link show <dev>` at each step of a sub-interface's life (undefined: the link did not exist). */
export interface SubInterfaceLife {
  dev: string;
  vlan: number;
  /** Before any network used it; for a pre-existing link, after we made it. */
  before?: string;
  /** While the network exists. */
  during?: string;
  /** After the last network using it was removed. */
  after?: string;
  /** Whether the link existed before Docker saw it (we made it). */
  preexisting: boolean;
}

const isVlan = (out: string | undefined, id: number): boolean => out !== undefined && new RegExp(`vlan protocol 802\\.1Q id ${id}\\b`).test(out);

/**
 * A sub-interface Docker made is Docker's: it exists only while a network uses
 * it. One that existed before is the user's: Docker uses it and leaves it.
 */
export function judgeSubInterfaceLife(l: SubInterfaceLife): TrunkFinding {
  if (l.preexisting) {
    if (!isVlan(l.before, l.vlan)) return fail(`${l.dev} was to be made before the network (VLAN ${l.vlan}), but it is not there: the experiment did not start`);
    if (!isVlan(l.during, l.vlan)) return fail(`${l.dev} vanished while the network used it`);
    if (!isVlan(l.after, l.vlan)) return fail(`${l.dev} existed before the network, and Docker removed it with the network`);
    return pass(`${l.dev} existed before the network and is still there after it is removed (Docker keeps what it did not create)`);
  }
  if (l.before !== undefined) return fail(`${l.dev} already existed before the network: this cannot show that Docker creates it`);
  if (!isVlan(l.during, l.vlan)) return fail(`${l.dev} is not a VLAN ${l.vlan} link while the network exists: Docker did not create it`);
  if (l.after !== undefined) return fail(`${l.dev} is still there after the last network using it was removed: Docker left it behind`);
  return pass(`${l.dev} appeared with the network (802.1Q id ${l.vlan}) and went with it`);
}

/**
 * The node's packets to an off-subnet address went to the gateway: each echo
 * request from `src` to `dst` seen at the gateway is addressed to the
 * gateway's MAC (routed through it, not sent on the segment directly).
 */
export function judgeViaGateway(packets: Packet[], e: { node: string; src: string; dst: string; gateway: string; gatewayMac: string }): TrunkFinding {
  const want = e.gatewayMac.toLowerCase();
  const requests = packets.filter((p) => p.icmp?.type === 8 && p.ip?.src === e.src && p.ip?.dst === e.dst);
  if (requests.length === 0) return fail(`no echo request from ${e.node} (${e.src}) to ${e.dst} reached the gateway ${e.gateway}`);
  const other = requests.find((p) => (p.dstMac ?? "").toLowerCase() !== want);
  if (other) return fail(`an echo request from ${e.node} to ${e.dst} was sent to MAC ${other.dstMac ?? "?"}, not to the gateway ${e.gateway} (${want})`);
  return pass(`${requests.length} echo requests from ${e.node} to ${e.dst} were framed to the gateway ${e.gateway} (${want})`);
}

/** What a reach probe's outcome said (its class, and where an `unreachable` was raised). */
export interface OutcomeClass {
  class: string;
  at?: "source" | "path";
  why: string;
}

/** What was gathered around one probe from an ipvlan L3 container toward an address beyond its host. */
export interface NoRouteOutEvidence {
  /** "a → 198.18.4.2 (external)". */
  subject: string;
  outcome: OutcomeClass;
  /** The probe's packets in each capture (undefined: that capture did not run): in the container, on the parent's wire, at the destination. */
  leftSource?: number;
  onParent?: number;
  atDestination?: number;
  /** "vm1 eth1". */
  parent: string;
  /** Counter deltas over the probe where ipvlan L3 counts a packet it cannot route: the slave's tx_dropped, the parent's tx_errors. */
  slaveTxDropped?: number;
  parentTxErrors?: number;
  /** ARP requests for the destination on the parent's wire, and the parent's neighbour entry for it afterwards (`ip neigh show`). */
  arpOnParent?: number;
  neighbour?: string;
  /** What the host's own routing says about the destination (`ip route get`). */
  hostRoute: string;
}

/**
 * "No route out" of an ipvlan L3 network: nothing the container sends beyond
 * its host reaches anything. The issue expected the source to see
 * `unreachable`; on Docker 20.10 / kernel 6.1 (the VMs) it sees a timeout. In
 * L3 mode the slave hands the packet to the parent, whose route lookup is
 * bound to the parent (oif): with no route the kernel assumes the destination
 * is on the parent's link and ARPs for it there. Nobody answers, the packets
 * die in the neighbour queue, and no ICMP error reaches the source. (A
 * lookup that fails outright is counted instead, by ipvlan_process_v4_outbound
 * in the kernel's source: the slave's tx_dropped, the parent's tx_errors.) So the claim is proven, not read from silence: the
 * probe left the container, its packets were neither on the parent's wire nor
 * at the destination, and the host's drop is seen — the unanswered ARP with a
 * FAILED/INCOMPLETE neighbour entry, or the drop counters.
 * `requireUnreachable` states the issue's literal expectation (a wrong twin on
 * this engine and kernel).
 */
export function judgeNoRouteOut(e: NoRouteOutEvidence, opts: { requireUnreachable?: boolean } = {}): TrunkFinding {
  const o = e.outcome;
  const got = `${o.class}${o.at ? ` (at the ${o.at})` : ""}: ${o.why}`;
  if (o.class === "delivered" || o.class === "refused") return fail(`${e.subject} has a way out: ${got}`);
  if (o.class !== "timeout" && o.class !== "unreachable") return fail(`error: ${e.subject}: the probe proves nothing (${got})`);
  if (e.atDestination === undefined || e.onParent === undefined) return fail(`inconclusive: ${e.subject}: no capture ${e.atDestination === undefined ? "at the destination" : `on ${e.parent}`}, so whether the probe left the host is unknown`);
  if (e.atDestination > 0) return fail(`${e.subject} left the host: ${e.atDestination} of its packets arrived at the destination (the missing reply has no way back; there IS a way out)`);
  if (e.onParent > 0) return fail(`${e.subject} left the host: ${e.onParent} of its packets were on ${e.parent}'s wire`);
  const nowhere = `none of its packets on ${e.parent}'s wire nor at the destination; the host's route: ${e.hostRoute.trim() || "(none printed)"}`;
  if (o.class === "unreachable") {
    if (o.at !== "source") return fail(`${e.subject}: unreachable, but not at the source (${o.why}): something beyond the container answered`);
    return pass(`refused at the source (${o.why}); ${nowhere}`);
  }
  if (opts.requireUnreachable) return fail(`${e.subject} must be refused at the source (unreachable), but the source sees a timeout: ${o.why}; ${nowhere}`);
  if (!e.leftSource) return fail(`inconclusive: ${e.subject}: no answer, but ${e.leftSource === undefined ? "no capture in the container shows" : "the capture in the container shows none of"} the probe's packets leaving it, so the silence proves nothing`);
  const neigh = (e.neighbour ?? "").trim();
  const seen = [
    ...(e.arpOnParent && /\b(FAILED|INCOMPLETE)\b/.test(neigh) ? [`the host took the destination for on-link and ARPed for it on ${e.parent} (${e.arpOnParent} requests, unanswered: "${neigh}")`] : []),
    ...(e.slaveTxDropped !== undefined && e.slaveTxDropped >= e.leftSource ? [`the container's eth0 tx_dropped +${e.slaveTxDropped}`] : []),
    ...(e.parentTxErrors !== undefined && e.parentTxErrors >= e.leftSource ? [`${e.parent} tx_errors +${e.parentTxErrors}`] : []),
  ];
  if (seen.length === 0) {
    return fail(
      `inconclusive: ${e.subject}: ${e.leftSource} packets left the container and vanished, but nothing on the host shows where (ARP for it on ${e.parent}: ${e.arpOnParent ?? "?"}, neighbour "${neigh || "none"}", tx_dropped +${e.slaveTxDropped ?? "?"}, ${e.parent} tx_errors +${e.parentTxErrors ?? "?"})`,
    );
  }
  return pass(`dropped silently on the host, not refused at the source: ${e.leftSource} packets left the container; ${seen.join("; ")}; ${nowhere}; the source sees a timeout (${o.why})`);
}
