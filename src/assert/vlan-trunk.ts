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

/**
 * "No route out": the source's own stack refuses the packet (`unreachable`
 * at the source). A timeout is not this claim (something may have swallowed
 * it on the way), nor is an ICMP error from further along the path.
 */
export function judgeNoRouteOut(o: OutcomeClass, subject: string): TrunkFinding {
  if (o.class === "unreachable" && o.at === "source") return pass(`unreachable at the source: ${o.why}`);
  return fail(`${subject} must be refused at the source (no route out), but the outcome is ${o.class}${o.at ? ` (at the ${o.at})` : ""}: ${o.why}`);
}
