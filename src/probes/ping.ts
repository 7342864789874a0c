import type { ExecResult } from "../host/host.js";
import type { MeasurementEvidence } from "../report/model.js";
import { firstLine } from "../util/errors.js";
import type { Probe } from "./probe.js";
import { describeSamples, type SampleStats } from "./stats.js";

export interface PingOptions {
  to: string;
  count: number;
  /** Seconds between echo requests; below 0.2 needs root (we are root in our image). */
  intervalS: number;
  /** How long to wait for replies after the last request, seconds (ping -W). */
  timeoutS: number;
  /** ICMP payload bytes (ping -s); default 56. */
  size?: number;
}

export interface LatencyOk {
  kind: "latency";
  ok: true;
  to: string;
  flavor: "busybox" | "iputils";
  transmitted: number;
  received: number;
  duplicates: number;
  /** Computed from the counts, not ping's rounded percentage. */
  lossPercent: number;
  /** One RTT per distinct reply, in arrival order, ms. Duplicates are not samples. */
  samplesMs: number[];
  /** Undefined when nothing came back. */
  stats: SampleStats | undefined;
}

export interface LatencyFailed {
  kind: "latency";
  ok: false;
  to: string;
  error: string;
}

export type LatencyResult = LatencyOk | LatencyFailed;

/** Works with busybox ping (our probe image) and iputils ping (most hosts): same flags. */
export function pingProbe(opts: PingOptions): Probe<LatencyResult> {
  if (!Number.isInteger(opts.count) || opts.count < 1) throw new RangeError(`pingProbe: count must be a positive integer, got ${opts.count}`);
  if (!(opts.intervalS > 0)) throw new RangeError(`pingProbe: intervalS must be > 0, got ${opts.intervalS}`);
  const command = ["ping", "-c", String(opts.count), "-i", String(opts.intervalS), "-W", String(Math.max(1, Math.ceil(opts.timeoutS)))];
  if (opts.size !== undefined) command.push("-s", String(opts.size));
  command.push(opts.to);
  return {
    name: "ping",
    targets: [opts.to],
    command,
    timeoutMs: Math.ceil((opts.count * opts.intervalS + opts.timeoutS) * 1000) + 5000,
    parse: (res) => parsePingResult(res, opts.to),
  };
}

// busybox: "64 bytes from 127.0.0.1: seq=0 ttl=64 time=0.089 ms"
// iputils: "64 bytes from localhost (127.0.0.1): icmp_seq=1 ttl=64 time=0.05 ms", old ones also "time<1 ms"
const REPLY = /bytes from .*?\b(icmp_)?seq=(\d+)\b.*?\btime[=<]\s*([\d.]+)\s*ms(.*)$/;
// busybox: "3 packets transmitted, 3 packets received, 0% packet loss" (", N duplicates" before the %)
// iputils: "3 packets transmitted, 0 received, +3 errors, 100% packet loss, time 405ms"
const SUMMARY = /(\d+) packets transmitted, (\d+) (?:packets )?received(.*?)[\d.]+% packet loss/;

export function parsePingResult(res: ExecResult, to: string): LatencyResult {
  const text = res.stdout;
  const summary = SUMMARY.exec(text);
  if (!summary) {
    const why = firstLine(res.stderr) || firstLine(text) || `exit code ${res.exitCode}`;
    return { kind: "latency", ok: false, to, error: res.timedOut ? `ping timed out: ${why}` : `ping printed no statistics: ${why}` };
  }
  const samplesMs: number[] = [];
  let flavor: LatencyOk["flavor"] = /round-trip min\/avg\/max =/.test(text) ? "busybox" : "iputils";
  const seen = new Set<string>();
  let dupLines = 0;
  for (const line of text.split("\n")) {
    const m = REPLY.exec(line);
    if (!m) continue;
    flavor = m[1] ? "iputils" : "busybox";
    if (/DUP!/.test(m[4] ?? "") || seen.has(m[2] as string)) {
      dupLines++;
      continue;
    }
    seen.add(m[2] as string);
    samplesMs.push(Number(m[3]));
  }
  const transmitted = Number(summary[1]);
  const received = Number(summary[2]);
  const dupMatch = /\+?(\d+) duplicates/.exec(summary[3] ?? "");
  return {
    kind: "latency",
    ok: true,
    to,
    flavor,
    transmitted,
    received,
    duplicates: dupMatch ? Number(dupMatch[1]) : dupLines,
    lossPercent: transmitted === 0 ? 100 : ((transmitted - Math.min(received, transmitted)) / transmitted) * 100,
    samplesMs,
    stats: describeSamples(samplesMs),
  };
}

/**
 * Two measurements: "loss" (%, always) and "latency" (ms, value = p50, samples = RTTs),
 * the latter only when something came back — a NaN would turn into null in JSON.
 */
export function latencyEvidence(r: LatencyOk): MeasurementEvidence[] {
  const lossStats: Record<string, number> = { transmitted: r.transmitted, received: r.received };
  if (r.duplicates) lossStats.duplicates = r.duplicates;
  const out: MeasurementEvidence[] = [{ kind: "measurement", metric: "loss", unit: "%", value: r.lossPercent, stats: lossStats }];
  if (r.stats) {
    const { min, p50, p95, p99, max, mean, stddev } = r.stats;
    const stats = { min, p50, p95, p99, max, mean, stddev, loss: r.lossPercent };
    out.push({ kind: "measurement", metric: "latency", unit: "ms", value: p50, samples: r.samplesMs, stats });
  }
  return out;
}
