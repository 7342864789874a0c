import type { ExecResult } from "../host/host.js";
import type { MeasurementEvidence } from "../report/model.js";
import { firstLine } from "../util/errors.js";
import type { Probe } from "./probe.js";
import { describeSamples, percentile, type SampleStats } from "./stats.js";

export interface TcpConnectOptions {
  to: string;
  port: number;
  count: number;
  /** Per-connection connect timeout, seconds (nc -w). Default 2. */
  connectTimeoutS?: number;
}

export interface TcpConnectOk {
  kind: "tcp-connect";
  ok: true;
  to: string;
  port: number;
  attempted: number;
  succeeded: number;
  failed: number;
  /** Distinct error lines nc printed ("can't connect to remote host (…): Connection refused"). */
  failures: string[];
  /** Wall time of each successful `nc` run, ms, including process start. */
  rawSamplesMs: number[];
  /** Median wall time of the same `nc` binary doing no network I/O: the process-start cost. */
  overheadMs: number;
  /**
   * The connect handshake itself: SYN → SYN/ACK from a capture at the source when one
   * was taken (`measuredBy: "capture"`), else rawSamplesMs minus overheadMs (floored at
   * 0), an estimate at the timer's resolution.
   */
  samplesMs: number[];
  stats: SampleStats | undefined;
  measuredBy?: "capture" | "timer";
}

export interface TcpConnectFailed {
  kind: "tcp-connect";
  ok: false;
  to: string;
  port: number;
  error: string;
}

export type TcpConnectResult = TcpConnectOk | TcpConnectFailed;

/**
 * Busybox `date` has no %N, but busybox ash has $EPOCHREALTIME (µs). Each attempt is
 * `nc ADDR PORT -e true`: busybox nc execs `true` once connected, so it exits right
 * after the handshake even if the server keeps the connection open (plain
 * `nc </dev/null` waits for the server to close). The process start (~1 ms) dwarfs a
 * loopback handshake (~50 µs), so every attempt is paired with a calibration run,
 * `nc -f /dev/null -e true` (same binary, no socket), and the median of those is
 * subtracted. Requires the image's `sh` to be busybox ash, and `nc`/`true` on PATH.
 * Arguments are passed positionally, never spliced into the script.
 */
const SCRIPT = [
  '[ -n "$EPOCHREALTIME" ] || { echo "tcpc-error this sh has no EPOCHREALTIME (needs busybox ash)"; exit 3; }',
  "i=0",
  'while [ "$i" -lt "$3" ]; do',
  '  s=$EPOCHREALTIME; nc -f /dev/null -e true </dev/null >/dev/null 2>&1; r=$?; e=$EPOCHREALTIME; echo "tcpc cal $i $r $s $e"',
  '  s=$EPOCHREALTIME; nc -w "$4" "$1" "$2" -e true </dev/null >/dev/null; r=$?; e=$EPOCHREALTIME; echo "tcpc conn $i $r $s $e"',
  "  i=$((i+1))",
  "done",
].join("\n");

export function tcpConnectProbe(opts: TcpConnectOptions): Probe<TcpConnectResult> {
  if (!Number.isInteger(opts.count) || opts.count < 1) throw new RangeError(`tcpConnectProbe: count must be a positive integer, got ${opts.count}`);
  if (!Number.isInteger(opts.port) || opts.port < 1 || opts.port > 65535) throw new RangeError(`tcpConnectProbe: port must be 1..65535, got ${opts.port}`);
  const wait = Math.max(1, Math.ceil(opts.connectTimeoutS ?? 2));
  return {
    name: "tcp-connect",
    targets: [opts.to],
    command: ["sh", "-c", SCRIPT, "netcheck-tcp-connect", opts.to, String(opts.port), String(opts.count), String(wait)],
    timeoutMs: opts.count * (wait * 1000 + 50) + 5000,
    parse: (res) => parseTcpConnectResult(res, opts.to, opts.port),
  };
}

/** "1795438569.136705" → integer microseconds, exact (a double would lose the last digit). */
function micros(stamp: string): bigint {
  const [sec = "0", frac = ""] = stamp.split(".");
  return BigInt(sec) * 1_000_000n + BigInt(frac.padEnd(6, "0").slice(0, 6));
}

const LINE = /^tcpc (cal|conn) (\d+) (\d+) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)$/;

export function parseTcpConnectResult(res: ExecResult, to: string, port: number): TcpConnectResult {
  const fail = (error: string): TcpConnectFailed => ({ kind: "tcp-connect", ok: false, to, port, error });
  const own = /^tcpc-error (.*)$/m.exec(res.stdout);
  if (own) return fail(own[1] as string);
  const cal: number[] = [];
  const raw: number[] = [];
  let attempted = 0;
  for (const line of res.stdout.split("\n")) {
    const m = LINE.exec(line.trim());
    if (!m) continue;
    const ms = Number(micros(m[5] as string) - micros(m[4] as string)) / 1000;
    const ok = m[3] === "0";
    if (m[1] === "cal") {
      if (ok) cal.push(ms);
    } else {
      attempted++;
      if (ok) raw.push(ms);
    }
  }
  if (attempted === 0) {
    const why = firstLine(res.stderr) || firstLine(res.stdout) || `exit code ${res.exitCode}`;
    return fail(res.timedOut ? `tcp-connect timed out before the first attempt: ${why}` : `tcp-connect made no attempt: ${why}`);
  }
  if (cal.length === 0) return fail(`nc could not run its calibration (nc -f /dev/null -e true): ${firstLine(res.stderr) || "no detail"}`);
  const overheadMs = percentile(cal, 50);
  // Rounded to the microsecond: the clock's resolution, and no 0.1459999 in reports.
  const samplesMs = raw.map((v) => Math.round(Math.max(0, v - overheadMs) * 1000) / 1000);
  const failures = [...new Set(res.stderr.split("\n").map((l) => l.trim()).filter((l) => l !== ""))];
  return {
    kind: "tcp-connect",
    ok: true,
    to,
    port,
    attempted,
    succeeded: raw.length,
    failed: attempted - raw.length,
    failures,
    rawSamplesMs: raw,
    overheadMs,
    samplesMs,
    stats: describeSamples(samplesMs),
  };
}

/** "connect" in ms (value = p50 of overhead-corrected samples), only when a connection succeeded. */
export function tcpConnectEvidence(r: TcpConnectOk): MeasurementEvidence | undefined {
  if (!r.stats) return undefined;
  const { min, p50, p95, p99, max, mean, stddev } = r.stats;
  return {
    kind: "measurement",
    metric: "connect",
    unit: "ms",
    value: p50,
    samples: r.samplesMs,
    stats: { min, p50, p95, p99, max, mean, stddev, attempted: r.attempted, failed: r.failed, overheadMs: r.overheadMs },
  };
}
