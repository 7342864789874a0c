import type { ExecResult } from "../host/host.js";
import type { MeasurementEvidence } from "../report/model.js";
import { firstLine } from "../util/errors.js";
import type { Probe } from "./probe.js";
import { describeSamples, parseBitRate, type SampleStats } from "./stats.js";

export interface Iperf3ServerOptions {
  port: number;
  /** Exit after one test (iperf3 -1). Off by default so --repeat can reuse one server. */
  oneOff?: boolean;
  /** Hard cap on the server's life, via `timeout`, so a lost handle cannot orphan it. Default 600 s. */
  maxLifetimeS?: number;
}

export interface Iperf3ServerCommand {
  name: "iperf3-server";
  port: number;
  command: string[];
  /** Matches the line the server prints once it accepts clients (flushed thanks to --forceflush). */
  ready: RegExp;
}

/**
 * The server is plain text (not -J): with -J it prints nothing until a test ends, so
 * readiness could not be seen. --idle-timeout resets a server whose client vanished
 * mid-test; without it the server answers "busy" to every later client.
 */
export function iperf3Server(opts: Iperf3ServerOptions): Iperf3ServerCommand {
  const port = checkPort(opts.port);
  const life = opts.maxLifetimeS ?? 600;
  return {
    name: "iperf3-server",
    port,
    command: ["timeout", String(life), "iperf3", "-s", "-p", String(port), "--forceflush", "--idle-timeout", "30", ...(opts.oneOff ? ["-1"] : [])],
    ready: new RegExp(`Server listening on ${port}\\b`),
  };
}

export interface Iperf3ClientOptions {
  to: string;
  port: number;
  durationS: number;
  parallel?: number;
  /** iperf3 -R: the server sends, the client receives. */
  reverse?: boolean;
  /** UDP at a target rate: bits/s or "100 Mbit/s". Without it the test is TCP. */
  udp?: { bitrate: number | string };
  /** Seconds of warm-up excluded from the results (iperf3 -O). */
  omitS?: number;
}

export interface ThroughputOk {
  kind: "throughput";
  ok: true;
  protocol: "tcp" | "udp";
  to: string;
  port: number;
  reverse: boolean;
  streams: number;
  durationS: number;
  /** Headline figure: what the receiving side got, bits/s. */
  bitsPerSecond: number;
  senderBitsPerSecond: number;
  receiverBitsPerSecond: number;
  /** Per-interval totals across streams (omitted warm-up intervals excluded), bits/s. */
  intervalsBps: number[];
  intervalStats: SampleStats | undefined;
  /** TCP only. */
  retransmits?: number;
  /** UDP only. */
  udp?: { jitterMs: number; lostPackets: number; packets: number; lostPercent: number };
  cpu?: { localPercent: number; remotePercent: number };
  congestion?: string;
}

export interface ThroughputFailed {
  kind: "throughput";
  ok: false;
  to: string;
  port: number;
  /** iperf3's own message ("unable to connect to server: Connection refused") or why the output was unusable. */
  error: string;
}

export type ThroughputResult = ThroughputOk | ThroughputFailed;

export function iperf3Client(opts: Iperf3ClientOptions): Probe<ThroughputResult> {
  const port = checkPort(opts.port);
  if (!(opts.durationS >= 1)) throw new RangeError(`iperf3Client: durationS must be ≥ 1, got ${opts.durationS}`);
  const parallel = opts.parallel ?? 1;
  const omit = opts.omitS ?? 0;
  const args = ["iperf3", "-c", opts.to, "-p", String(port), "-J", "-t", String(opts.durationS), "-P", String(parallel)];
  if (omit > 0) args.push("-O", String(omit));
  if (opts.reverse) args.push("-R");
  if (opts.udp) {
    const bps = parseBitRate(opts.udp.bitrate);
    if (bps === undefined) throw new RangeError(`iperf3Client: cannot read UDP bitrate ${JSON.stringify(opts.udp.bitrate)}; write e.g. "100 Mbit/s"`);
    args.push("-u", "-b", String(Math.round(bps)));
  }
  args.push("--connect-timeout", "5000");
  return {
    name: "iperf3",
    targets: [opts.to],
    command: args,
    // Connect timeout + warm-up + test + the final results exchange, with room for a slow box.
    timeoutMs: (opts.durationS + omit) * 1000 + 20_000,
    parse: (res) => parseIperf3Result(res, opts.to, port),
  };
}

export function parseIperf3Result(res: ExecResult, to: string, port: number): ThroughputResult {
  const fail = (error: string): ThroughputFailed => ({ kind: "throughput", ok: false, to, port, error });
  if (res.timedOut) return fail(`iperf3 timed out after ${res.durationMs} ms`);
  let doc: Iperf3Json;
  try {
    doc = JSON.parse(res.stdout) as Iperf3Json;
  } catch {
    // Not JSON: iperf3 missing ("command not found") or killed before printing.
    const detail = firstLine(res.stderr) || firstLine(res.stdout) || `exit code ${res.exitCode}`;
    return fail(`iperf3 printed no JSON result: ${detail}`);
  }
  // iperf3 3.12 exits 0 even when it reports an error in -J mode: the field is the truth.
  if (typeof doc.error === "string") return fail(doc.error);
  return fromJson(doc, to, port) ?? fail("iperf3 JSON has no end-of-test summary");
}

interface Iperf3Sum {
  bits_per_second?: number;
  retransmits?: number;
  jitter_ms?: number;
  lost_packets?: number;
  packets?: number;
  lost_percent?: number;
  omitted?: boolean;
}

interface Iperf3Json {
  error?: string;
  start?: { test_start?: { protocol?: string; num_streams?: number; duration?: number; reverse?: number } };
  intervals?: { sum?: Iperf3Sum }[];
  end?: {
    sum?: Iperf3Sum;
    sum_sent?: Iperf3Sum;
    sum_received?: Iperf3Sum;
    cpu_utilization_percent?: { host_total?: number; remote_total?: number };
    sender_tcp_congestion?: string;
  };
}

function fromJson(doc: Iperf3Json, to: string, port: number): ThroughputOk | undefined {
  const end = doc.end;
  const received = end?.sum_received ?? end?.sum;
  const sent = end?.sum_sent ?? end?.sum;
  if (!end || received?.bits_per_second === undefined || sent?.bits_per_second === undefined) return undefined;
  const test = doc.start?.test_start ?? {};
  const protocol = test.protocol === "UDP" ? "udp" : "tcp";
  const intervalsBps = (doc.intervals ?? [])
    .map((i) => i.sum)
    .filter((s): s is Iperf3Sum => s !== undefined && !s.omitted && typeof s.bits_per_second === "number")
    .map((s) => s.bits_per_second as number);
  const result: ThroughputOk = {
    kind: "throughput",
    ok: true,
    protocol,
    to,
    port,
    reverse: test.reverse === 1,
    streams: test.num_streams ?? 1,
    durationS: test.duration ?? intervalsBps.length,
    bitsPerSecond: received.bits_per_second,
    senderBitsPerSecond: sent.bits_per_second,
    receiverBitsPerSecond: received.bits_per_second,
    intervalsBps,
    intervalStats: describeSamples(intervalsBps),
  };
  if (protocol === "tcp" && typeof sent.retransmits === "number") result.retransmits = sent.retransmits;
  if (protocol === "udp") {
    // The client's "sum" carries the server-side loss and jitter; 3.12 copies them into sum_received too.
    const u = end.sum ?? received;
    result.udp = { jitterMs: u.jitter_ms ?? 0, lostPackets: u.lost_packets ?? 0, packets: u.packets ?? 0, lostPercent: u.lost_percent ?? 0 };
  }
  const cpu = end.cpu_utilization_percent;
  if (cpu?.host_total !== undefined && cpu.remote_total !== undefined) result.cpu = { localPercent: cpu.host_total, remotePercent: cpu.remote_total };
  if (end.sender_tcp_congestion) result.congestion = end.sender_tcp_congestion;
  return result;
}

/** One "throughput" measurement (bits/s), intervals as samples, the rest as named stats. */
export function throughputEvidence(r: ThroughputOk): MeasurementEvidence {
  const stats: Record<string, number> = {
    senderBps: r.senderBitsPerSecond,
    receiverBps: r.receiverBitsPerSecond,
    streams: r.streams,
    durationS: r.durationS,
  };
  if (r.intervalStats) Object.assign(stats, { min: r.intervalStats.min, p50: r.intervalStats.p50, max: r.intervalStats.max });
  if (r.retransmits !== undefined) stats.retransmits = r.retransmits;
  if (r.udp) Object.assign(stats, { jitterMs: r.udp.jitterMs, lostPackets: r.udp.lostPackets, packets: r.udp.packets, loss: r.udp.lostPercent });
  if (r.cpu) Object.assign(stats, { cpuLocalPercent: r.cpu.localPercent, cpuRemotePercent: r.cpu.remotePercent });
  return { kind: "measurement", metric: "throughput", unit: "bit/s", value: r.bitsPerSecond, samples: r.intervalsBps, stats };
}

function checkPort(port: number): number {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RangeError(`iperf3: port must be 1..65535, got ${port}`);
  return port;
}
