import type { ExecResult } from "../host/host.js";
import { firstLine } from "../util/errors.js";
import type { Probe } from "./probe.js";

/**
 * A don't-fragment ping of one size: iputils `ping -M do`. busybox ping has no
 * -M, and without DF the sender's kernel fragments a packet larger than the
 * route MTU, so a too-small path would still "pass". The probe image carries
 * busybox only: this runs the host's iputils ping inside the node's network
 * namespace (nsenter), which sends exactly what the node would.
 */
export interface DfPingResult {
  kind: "df-ping";
  to: string;
  /** ICMP payload bytes (ping -s). */
  payload: number;
  /** The IP packet size: payload + 28. */
  packetSize: number;
  /** ping printed its statistics (it ran). */
  ran: boolean;
  transmitted: number;
  received: number;
  /** "ping: local error: message too long, mtu=N": the sender's route MTU refused it before it left. */
  localMtu?: number;
  /** "From R … Frag needed and DF set (mtu = N)": a hop on the path refused it and said so. */
  fragNeeded?: { from: string; mtu: number };
  /** "From R … Destination … Unreachable". */
  unreachable?: string;
  /** Why it did not run, when it did not. */
  error?: string;
}

export const ICMP_IP_OVERHEAD = 28;

export function dfPingProbe(to: string, payload: number, opts: { count?: number } = {}): Probe<DfPingResult> {
  if (!Number.isInteger(payload) || payload < 0 || payload > 65507) throw new RangeError(`dfPingProbe: payload must be 0..65507, got ${payload}`);
  const count = opts.count ?? 2;
  return {
    name: "df-ping",
    targets: [to],
    command: ["ping", "-M", "do", "-n", "-c", String(count), "-i", "0.2", "-W", "1", "-s", String(payload), to],
    timeoutMs: count * 200 + 6000,
    parse: (res) => parseDfPing(res, to, payload),
  };
}

const SUMMARY = /(\d+) packets transmitted, (\d+) received/;
const LOCAL = /local error: message too long, mtu=(\d+)/;
const FRAG = /From (\S+?):? .*Frag needed and DF set \(mtu = (\d+)\)/;
const UNREACH = /From (\S+?):? .*?((?:Destination|Net|Host|Port)[\w ]*Unreachable)/;

export function parseDfPing(res: ExecResult, to: string, payload: number): DfPingResult {
  const base = { kind: "df-ping" as const, to, payload, packetSize: payload + ICMP_IP_OVERHEAD };
  const all = `${res.stdout}\n${res.stderr}`;
  const summary = SUMMARY.exec(res.stdout);
  const local = LOCAL.exec(all);
  const frag = FRAG.exec(all);
  const unreach = UNREACH.exec(all);
  const extra = {
    ...(local ? { localMtu: Number(local[1]) } : {}),
    ...(frag ? { fragNeeded: { from: frag[1]!, mtu: Number(frag[2]) } } : {}),
    ...(unreach ? { unreachable: `${unreach[2]} from ${unreach[1]}` } : {}),
  };
  if (!summary) {
    const why = firstLine(res.stderr) || firstLine(res.stdout) || `exit code ${res.exitCode}`;
    return { ...base, ran: false, transmitted: 0, received: 0, ...extra, error: res.timedOut ? `ping timed out: ${why}` : `ping printed no statistics: ${why}` };
  }
  return { ...base, ran: true, transmitted: Number(summary[1]), received: Number(summary[2]), ...extra };
}

/** One line for evidence and reasons: "1450-byte DF packet: 2/2 answered", "…: refused locally (mtu=1450)". */
export function describeDfPing(r: DfPingResult): string {
  const head = `${r.packetSize}-byte DF packet (payload ${r.payload})`;
  if (!r.ran) return `${head}: ${r.error}`;
  if (r.received > 0) return `${head}: ${r.received}/${r.transmitted} answered`;
  // A hop's "Frag needed" lowers the cached path MTU: later packets are refused locally at that MTU.
  if (r.fragNeeded) return `${head}: refused by ${r.fragNeeded.from} (Frag needed and DF set, mtu ${r.fragNeeded.mtu})`;
  if (r.localMtu !== undefined) return `${head}: refused by the sender's kernel (message too long, route MTU ${r.localMtu})`;
  if (r.unreachable) return `${head}: ${r.unreachable}`;
  return `${head}: 0/${r.transmitted} answered, no error came back (silently lost)`;
}
