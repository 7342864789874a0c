import { linkTypeName } from "./link-types.js";
import type { DnsMessage } from "./dns.js";
import type { Packet } from "./packet.js";
import type { Timestamp } from "./record.js";
import { isPrintableSecond, pad2, UNCONVERTIBLE_TIME } from "./clock.js";

export interface SummaryLineOptions {
  /** Fraction digits: 6 (tcpdump's default) or 9 (--time-stamp-precision=nano). */
  precision?: 6 | 9;
  /** Print times in UTC (default) or the local zone. */
  utc?: boolean;
}

/** HH:MM:SS.ffffff, as tcpdump prints it (and "[Error converting time]" where tcpdump does). */
export function formatTime(ts: Timestamp, options: SummaryLineOptions = {}): string {
  if (!isPrintableSecond(ts.sec)) return UNCONVERTIBLE_TIME;
  const utc = options.utc ?? true;
  // Local time needs the zone's offset at that instant, which only Date knows (and only within its range).
  const local = utc ? 0 : -new Date(Math.min(ts.sec, 8.64e12) * 1000).getTimezoneOffset() * 60;
  const day = (((ts.sec + local) % 86_400) + 86_400) % 86_400;
  const frac = options.precision === 9 ? String(ts.nsec).padStart(9, "0") : String(Math.floor(ts.nsec / 1000)).padStart(6, "0");
  return `${pad2(Math.floor(day / 3600))}:${pad2(Math.floor(day / 60) % 60)}:${pad2(day % 60)}.${frac}`;
}

/**
 * One tcpdump-like line (`tcpdump -nn` style, absolute sequence numbers) for
 * evidence: `12:00:00.000001 IP 10.1.0.2.41234 > 10.1.0.3.80: Flags [S], seq 1, win 64240, length 0`.
 */
export function formatSummaryLine(p: Packet, options: SummaryLineOptions = {}): string {
  const vlan = p.vlans.length > 0 ? `vlan ${p.vlans.join(" vlan ")} ` : "";
  const vx = p.vxlan ? `VXLAN vni ${p.vxlan.vni} (${p.vxlan.outer.src} > ${p.vxlan.outer.dst}): ` : "";
  return `${formatTime(p.ts, options)} ${vlan}${vx}${describe(p)}`;
}

function describe(p: Packet): string {
  if (p.arp) {
    const a = p.arp;
    if (a.operation === "request") return `ARP, Request who-has ${a.targetIp} tell ${a.senderIp}, length 28`;
    if (a.operation === "reply") return `ARP, Reply ${a.senderIp} is-at ${a.senderMac}, length 28`;
    return `ARP, operation ${a.operation}, length 28`;
  }
  const ip = p.ip;
  if (!ip) {
    if (p.etherType !== undefined) return `ethertype 0x${p.etherType.toString(16).padStart(4, "0")}, length ${p.originalLength}`;
    return `${linkTypeName(p.linkType)} frame, length ${p.originalLength}`;
  }
  const fam = ip.version === 4 ? "IP" : "IP6";
  const len = p.payload.length;
  const ports = p.tcp ?? p.udp;
  const src = ports ? `${ip.src}.${ports.srcPort}` : ip.src;
  const dst = ports ? `${ip.dst}.${ports.dstPort}` : ip.dst;
  const head = `${fam} ${src} > ${dst}:`;
  if (p.dns) return `${head} ${describeDns(p.dns, len)}`;
  if (p.tcp) {
    const t = p.tcp;
    const ack = t.flags & 0x10 ? `, ack ${t.ack}` : "";
    return `${head} Flags [${t.flagsText}], seq ${t.seq}${ack}, win ${t.window}, length ${len}`;
  }
  if (p.udp) return `${head} UDP, length ${len}`;
  if (p.icmp) {
    const i = p.icmp;
    const v6 = ip.version === 6;
    const echo = i.id !== undefined ? `, id ${i.id}, seq ${i.seq}, length ${len + 8}` : `, length ${len + 4}`;
    return `${head} ${v6 ? "ICMP6, " : "ICMP "}${icmpName(v6, i.type, i.code)}${echo}`;
  }
  if (ip.fragment) return `${head} fragment, proto ${ip.protocol}`;
  return `${head} ip-proto-${ip.protocol}`;
}

function icmpName(v6: boolean, type: number, code: number): string {
  const names: Record<number, string> = v6
    ? { 1: "destination unreachable", 2: "packet too big", 3: "time exceeded", 128: "echo request", 129: "echo reply", 133: "router solicitation", 134: "router advertisement", 135: "neighbor solicitation", 136: "neighbor advertisement" }
    : { 0: "echo reply", 3: "destination unreachable", 8: "echo request", 11: "time exceeded" };
  return names[type] ?? `type ${type} code ${code}`;
}

function describeDns(m: DnsMessage, len: number): string {
  if (!m.response) {
    const q = m.questions.map((x) => `${x.type}? ${x.name}`).join(" ");
    return `${m.id}+ ${q} (${len})`;
  }
  const rcode = m.rcode === 0 ? "" : m.rcode === 3 ? " NXDomain" : ` rcode ${m.rcode}`;
  const ans = m.answers.map((a) => ` ${a.type} ${a.data}`).join(",");
  return `${m.id}${rcode} ${m.answers.length}/${m.authorities}/${m.additionals}${ans} (${len})`;
}
