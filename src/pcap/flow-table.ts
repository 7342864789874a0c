import { normalizeAddress } from "./addr.js";
import { Flow, type FlowTuple } from "./flow.js";
import { IpProto, TcpFlag, type IpLayer, type PacketView } from "./packet-view.js";

export interface FlowQuery {
  protocol?: string;
  /** Either end's address / port. */
  address?: string;
  port?: number;
  /** Oriented: initiator and responder. */
  src?: string;
  dst?: string;
  srcPort?: number;
  dstPort?: number;
  vni?: number;
}

export interface FlowTableOptions {
  /** Bound on memory for huge captures: packets of flows beyond it are only counted. */
  maxFlows?: number;
}

interface FragmentEntry {
  flow: Flow | undefined;
  /** The first fragment went from the flow's initiator to its responder. */
  forward: boolean;
  /** Byte counts of later fragments seen before the first one. */
  waiting: number[];
}

/** Bounds on fragment bookkeeping: a capture of fragment floods must not grow memory without limit. */
const MAX_FRAGMENT_KEYS = 65_536;
const MAX_WAITING_FRAGMENTS = 64;

function fragmentKey(ip: IpLayer, vni: number): string {
  const s = ip.src;
  const d = ip.dst;
  return `${vni}/${ip.version}/${ip.proto}/${ip.fragmentId}/${s[0]},${s[1]},${s[2]},${s[3]}/${d[0]},${d[1]},${d[2]},${d[3]}`;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * Bidirectional 5-tuple flows, keyed by numbers: a 32-bit hash of the canonical
 * (lower endpoint first) tuple picks a bucket chain. String keys cost ~60% of
 * decode time in an earlier measurement, so strings are only made once per flow.
 */
export class FlowTable {
  private readonly buckets = new Map<number, Flow>();
  private readonly list: Flow[] = [];
  private readonly maxFlows: number;
  /** Packets whose flow was not tracked because maxFlows was reached. */
  untrackedPackets = 0;
  /** Non-first fragments whose first fragment (with the ports) has not been seen. */
  fragmentsUnattributed = 0;
  private readonly fragments = new Map<string, FragmentEntry>();
  /** Direction of the packet addWhole counted last. */
  private lastForward = true;

  constructor(options: FlowTableOptions = {}) {
    this.maxFlows = options.maxFlows ?? Number.POSITIVE_INFINITY;
  }

  get size(): number {
    return this.list.length;
  }

  /**
   * Count one decoded packet. With VXLAN both the overlay flow (returned) and
   * the underlay UDP flow are counted.
   */
  add(view: PacketView, sec: number, nsec: number, bytes: number, index: number): Flow | undefined {
    if (view.vni >= 0) this.addLayer(view.outer, -1, sec, nsec, bytes, index, view.data);
    return this.addLayer(view.ip, view.vni, sec, nsec, bytes, index, view.data);
  }

  addLayer(ip: IpLayer, vni: number, sec: number, nsec: number, bytes: number, index: number, data: Buffer): Flow | undefined {
    if (ip.version === 0 || ip.proto < 0) return undefined;
    if (ip.fragment) return this.addLaterFragment(ip, vni, sec, nsec, bytes, index);
    const flow = this.addWhole(ip, vni, sec, nsec, bytes, index, data);
    if (flow !== undefined && ip.fragmentId >= 0) this.firstFragment(ip, vni, flow);
    return flow;
  }

  /**
   * A non-first fragment carries no ports: it belongs to the flow of the first fragment with the same
   * addresses, protocol and IP id (issue 17, item 5), never to a port-0 flow of its own. Fragments
   * that arrive before their first fragment wait for it; those whose first never comes stay counted
   * in `fragmentsUnattributed`.
   */
  private addLaterFragment(ip: IpLayer, vni: number, sec: number, nsec: number, bytes: number, index: number): Flow | undefined {
    const key = fragmentKey(ip, vni);
    const known = this.fragments.get(key);
    if (known?.flow !== undefined) {
      this.count(known.flow, known.forward, sec, nsec, bytes, index);
      return known.flow;
    }
    this.fragmentsUnattributed++;
    if (this.fragments.size >= MAX_FRAGMENT_KEYS) this.fragments.clear();
    const waiting = known ?? { flow: undefined, forward: true, waiting: [] };
    if (waiting.waiting.length < MAX_WAITING_FRAGMENTS) waiting.waiting.push(bytes);
    this.fragments.set(key, waiting);
    return undefined;
  }

  private firstFragment(ip: IpLayer, vni: number, flow: Flow): void {
    const forward = this.lastForward;
    const key = fragmentKey(ip, vni);
    const waiting = this.fragments.get(key)?.waiting ?? [];
    if (this.fragments.size >= MAX_FRAGMENT_KEYS) this.fragments.clear();
    this.fragments.set(key, { flow, forward, waiting: [] });
    for (const bytes of waiting) {
      this.fragmentsUnattributed--;
      this.count(flow, forward, flow.lastSec, flow.lastNsec, bytes, flow.lastPacket);
    }
  }

  private count(flow: Flow, forward: boolean, sec: number, nsec: number, bytes: number, index: number): void {
    flow.packets++;
    flow.bytes += bytes;
    if (forward) {
      flow.packetsForward++;
      flow.bytesForward += bytes;
    } else {
      flow.packetsReverse++;
      flow.bytesReverse += bytes;
    }
    flow.lastSec = sec;
    flow.lastNsec = nsec;
    flow.lastPacket = index;
  }

  private addWhole(ip: IpLayer, vni: number, sec: number, nsec: number, bytes: number, index: number, data: Buffer): Flow | undefined {
    const aIsSrc = srcIsLower(ip);
    const a = aIsSrc ? ip.src : ip.dst;
    const b = aIsSrc ? ip.dst : ip.src;
    const ports = aIsSrc ? ip.srcPort * 65536 + ip.dstPort : ip.dstPort * 65536 + ip.srcPort;
    let h = Math.imul(FNV_OFFSET ^ ip.proto ^ (vni << 8), FNV_PRIME);
    h = Math.imul(h ^ a[0]!, FNV_PRIME);
    h = Math.imul(h ^ b[0]!, FNV_PRIME);
    if (ip.version === 6) {
      h = Math.imul(h ^ a[1]! ^ b[1]!, FNV_PRIME);
      h = Math.imul(h ^ a[2]! ^ b[2]!, FNV_PRIME);
      h = Math.imul(h ^ a[3]!, FNV_PRIME);
      h = Math.imul(h ^ b[3]!, FNV_PRIME);
    }
    h = Math.imul(h ^ ports, FNV_PRIME);
    h ^= h >>> 15;
    const head = this.buckets.get(h);
    let flow = head;
    while (flow !== undefined && !flow.matchesKey(ip, aIsSrc, vni)) flow = flow.nextInBucket;
    if (flow === undefined) {
      if (this.list.length >= this.maxFlows) {
        this.untrackedPackets++;
        return undefined;
      }
      flow = new Flow(this.list.length, ip.version, ip.proto, vni, a.slice(), b.slice(), ports, initiatorIsSrc(ip) === aIsSrc);
      flow.nextInBucket = head;
      this.buckets.set(h, flow);
      this.list.push(flow);
      flow.firstSec = sec;
      flow.firstNsec = nsec;
      flow.firstPacket = index;
    }
    this.lastForward = flow.forwardIsA === aIsSrc;
    this.count(flow, this.lastForward, sec, nsec, bytes, index);
    if (ip.proto === IpProto.TCP) {
      const f = ip.tcpFlags;
      flow.tcpFlags |= f;
      if (f & TcpFlag.SYN) {
        if (f & TcpFlag.ACK) flow.responderIsn = ip.seq;
        else flow.initiatorIsn = ip.seq;
      }
    }
    if (flow.firstPayloadHash < 0 && ip.payloadLength > 0) {
      flow.firstPayloadHash = fnv1a(data, ip.payloadOffset, Math.min(ip.payloadLength, 64));
      flow.firstPayloadLength = ip.payloadLength;
    }
    return flow;
  }

  all(): Flow[] {
    return this.list.slice();
  }

  byId(id: number): Flow | undefined {
    return this.list[id];
  }

  find(q: FlowQuery = {}): Flow[] {
    const address = q.address === undefined ? undefined : normalizeAddress(q.address);
    const src = q.src === undefined ? undefined : normalizeAddress(q.src);
    const dst = q.dst === undefined ? undefined : normalizeAddress(q.dst);
    return this.list.filter((f) => matches(f.tuple, f.vni, { ...q, address, src, dst }));
  }

  /** The n largest flows by bytes (ties: more packets first). */
  top(n: number): Flow[] {
    return this.list
      .slice()
      .sort((x, y) => y.bytes - x.bytes || y.packets - x.packets || x.id - y.id)
      .slice(0, n);
  }
}

function matches(t: FlowTuple, vni: number, q: FlowQuery): boolean {
  if (q.protocol !== undefined && t.protocol !== q.protocol.toLowerCase()) return false;
  if (q.address !== undefined && t.src !== q.address && t.dst !== q.address) return false;
  if (q.port !== undefined && t.srcPort !== q.port && t.dstPort !== q.port) return false;
  if (q.src !== undefined && t.src !== q.src) return false;
  if (q.dst !== undefined && t.dst !== q.dst) return false;
  if (q.srcPort !== undefined && t.srcPort !== q.srcPort) return false;
  if (q.dstPort !== undefined && t.dstPort !== q.dstPort) return false;
  if (q.vni !== undefined && vni !== q.vni) return false;
  return true;
}

function srcIsLower(ip: IpLayer): boolean {
  const s = ip.src;
  const d = ip.dst;
  for (let i = 0; i < 4; i++) if (s[i] !== d[i]) return s[i]! < d[i]!;
  return ip.srcPort <= ip.dstPort;
}

/** Who started it: the SYN sender, the echo requester, otherwise the first packet's sender. */
function initiatorIsSrc(ip: IpLayer): boolean {
  if (ip.proto === IpProto.TCP) return (ip.tcpFlags & (TcpFlag.SYN | TcpFlag.ACK)) !== (TcpFlag.SYN | TcpFlag.ACK);
  if (ip.proto === IpProto.ICMP) return ip.icmpType !== 0;
  if (ip.proto === IpProto.ICMPV6) return ip.icmpType !== 129;
  return true;
}

export function fnv1a(b: Buffer, off: number, len: number): number {
  let h = FNV_OFFSET;
  for (let i = off; i < off + len; i++) h = Math.imul(h ^ b[i]!, FNV_PRIME);
  return h >>> 0;
}
