import type { CaptureSummary } from "./capture-summary.js";
import { formatTuple } from "./flow.js";
import { linkTypeName } from "./link-types.js";
import type { NatPair } from "./nat-pairs.js";
import { secondsBetween } from "./record.js";
import { formatTime } from "./summary-line.js";
import { isPrintableSecond, utcDate } from "./clock.js";

/** Lines `netcheck pcap` prints for one capture. Pure: a function of the summary. */
export function renderCaptureSummary(s: CaptureSummary, options: { top?: number } = {}): string[] {
  const lines = [`${s.source}: ${s.packets} packets, ${s.bytes} bytes`];
  if (s.first && s.last) {
    const span = secondsBetween(s.first, s.last);
    const when = (t: typeof s.first) => (isPrintableSecond(t.sec) ? `${utcDate(t.sec)} ${formatTime(t)}` : `${t.sec}.${String(t.nsec).padStart(9, "0")} s after 1970`);
    if (isPrintableSecond(s.first.sec) && isPrintableSecond(s.last.sec)) lines.push(`  time: ${utcDate(s.first.sec)} ${formatTime(s.first)} → ${formatTime(s.last)} UTC (${span.toFixed(6)} s)`);
    else lines.push(`  time: ${when(s.first)} → ${when(s.last)} (${span.toFixed(6)} s; outside the calendar tcpdump prints)`);
  }
  const links = [...s.linkTypes].map(([t, n]) => `${linkTypeName(t)} (${t}) ×${n}`);
  if (links.length > 0) lines.push(`  link types: ${links.join(", ")}`);
  const protos = Object.entries(s.protocols).filter(([, n]) => n > 0).map(([p, n]) => `${p} ${n}`);
  if (protos.length > 0) lines.push(`  protocols: ${protos.join(", ")}`);
  const vlans = [...s.vlans].map(([ids, n]) => `${ids} ×${n}`);
  if (vlans.length > 0) lines.push(`  vlan ids: ${vlans.join(", ")}`);
  const flows = s.flows;
  const untracked = flows.untrackedPackets > 0 ? ` (flow limit reached: ${flows.untrackedPackets} packets not attributed)` : "";
  const orphans = flows.fragmentsUnattributed > 0 ? ` (${flows.fragmentsUnattributed} IP fragments whose first fragment was not captured)` : "";
  lines.push(`  flows: ${flows.size}${untracked}${orphans}`);
  for (const f of flows.top(options.top ?? 10)) {
    const vni = (f.vni >= 0 ? ` vni ${f.vni}` : "") + (f.vlans.length > 0 ? ` vlan ${f.vlans.join(",")}` : "");
    const tcp = f.proto === 6 ? ` flags [${f.tcpFlagsSeen}]` : "";
    lines.push(`    ${formatTuple(f.tuple)}${vni}: ${f.packetsForward}+${f.packetsReverse} packets, ${f.bytes} bytes${tcp}`);
  }
  for (const [token, seen] of s.tokens) {
    const where = seen.flows.map((f) => formatTuple(f.tuple)).join("; ");
    lines.push(`  token "${token}": ${seen.packets} packets${where ? ` in ${where}` : ""}`);
  }
  return lines;
}

/** Lines for the flows matched across two captures. */
export function renderNatPairs(pairs: NatPair[], names: [string, string]): string[] {
  if (pairs.length === 0) return [`No conversation matched between ${names[0]} and ${names[1]} (no shared token, TCP ISN or first payload).`];
  const lines = [`Matched conversations (${names[0]} ⇒ ${names[1]}):`];
  for (const p of pairs) {
    const what = p.rewrite === "none" ? "unchanged" : p.rewrite.toUpperCase();
    lines.push(`  ${formatTuple(p.a)}  ⇒  ${formatTuple(p.b)}  [${what}; matched by ${p.detail}]`);
  }
  return lines;
}
