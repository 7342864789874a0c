/**
 * Performance checks: iperf3 throughput and ping / TCP-connect latency between two
 * endpoints. They are selected only with --perf (or `netcheck bench`). Each check
 * evaluates its absolute thresholds on its own run; the perf run hook (src/perf/perf-hook.ts)
 * judges every threshold, relative ones ("≥ 0.8 × host") against the baseline measured
 * earlier in the run, before the result is reported, so a printed status is final.
 */
import { checkThreshold, collectRepeats, describeThreshold, evaluateThreshold, perfMetrics, toMeasurementEvidence, type PerfThreshold } from "../../assert/perf.js";
import { iperf3Client, type Iperf3ClientOptions } from "../../probes/iperf3.js";
import { pingProbe } from "../../probes/ping.js";
import type { Probe } from "../../probes/probe.js";
import { formatBitRate, formatMs } from "../../probes/stats.js";
import { tcpConnectProbe, type TcpConnectResult } from "../../probes/tcp-connect.js";
import { describeSamples } from "../../probes/stats.js";
import { startCapture, type CaptureFile, type StartedCapture } from "../../capture/index.js";
import { handshakeFilter, handshakeTimesMs } from "../../perf/handshake.js";
import { errorMessage } from "../../util/errors.js";
import { capturePlaces, type ProbeCaptures } from "./target-capture.js";
import { startConnectListener, startIperf3Server, type PerfServer } from "../../perf/servers.js";
import type { PerfCheckSpec } from "../../perf/spec.js";
import type { Evidence, MeasurementEvidence } from "../../report/model.js";
import type { CheckContext } from "../context.js";
import type { CheckDecl, CheckOutcome } from "../define.js";
import type { NodeDecl } from "../../lab/topology.js";
import { endpointLabel, type Endpoint, type Target } from "../targets.js";

export type PerfCheckDecl = CheckDecl & { perf: PerfCheckSpec };

interface CommonOptions {
  /** Comparison column; default from the target: node → c2c, host → c2h, external → c2e. */
  path?: string;
  /** Aim at 127.0.0.1 (host-network containers, shared namespaces) instead of the target's address. */
  loopback?: boolean;
  thresholds?: PerfThreshold[];
  name?: string;
}

export interface ThroughputOptions extends CommonOptions {
  protocol?: "tcp" | "udp";
  /** UDP send rate; default "200 Mbit/s". */
  bitrate?: string | number;
  /** Seconds; default 2 (the whole suite must fit a 2-core CI box), or NETCHECK_PERF_SECONDS when set. */
  durationS?: number;
  parallel?: number;
  reverse?: boolean;
  omitS?: number;
}

export interface LatencyOptions extends CommonOptions {
  /** Echo requests; default 20, every `intervalS` (default 0.05 s). */
  count?: number;
  intervalS?: number;
  /** Short TCP connections timed; default 20; 0 measures ping only. */
  connects?: number;
}

/** iperf3's window when a check does not set one: 2 s (the suite fits a 2-core box), or NETCHECK_PERF_SECONDS. */
function defaultWindowS(): number {
  const s = Number(process.env.NETCHECK_PERF_SECONDS);
  return Number.isInteger(s) && s >= 1 ? s : 2;
}

function defaultPath(to: Endpoint): string {
  return to.kind === "lab-host" ? "c2h" : to.kind === "external-ref" ? "c2e" : "c2c";
}

function validate(thresholds: PerfThreshold[]): PerfThreshold[] {
  for (const t of thresholds) checkThreshold(t); // a misspelt threshold fails at load time, before any traffic
  return thresholds;
}

function expectationOf(base: string, thresholds: PerfThreshold[]): string {
  return thresholds.length ? `${base}: ${thresholds.map(describeThreshold).join(", ")}` : `${base} is measured`;
}

/** iperf3 server on `to`, client on `from`. */
export function throughputCheck(from: Endpoint, to: Endpoint, opts: ThroughputOptions = {}): PerfCheckDecl {
  const protocol = opts.protocol ?? "tcp";
  const path = opts.path ?? defaultPath(to);
  const thresholds = validate(opts.thresholds ?? []);
  // The window is read when the check runs: NETCHECK_PERF_SECONDS shortens every default one (the e2e test's knob).
  const window = () => opts.durationS ?? defaultWindowS();
  const what = `${protocol.toUpperCase()} throughput ${endpointLabel(from)} ${opts.reverse ? "←" : "→"} ${endpointLabel(to)}`;
  return {
    name: opts.name ?? `${path}-throughput-${protocol}`,
    category: "performance",
    expectation: expectationOf(what, thresholds),
    perf: { path, measure: protocol, thresholds, expects: ["throughput"] },
    async run(ctx) {
      const address = opts.loopback ? "127.0.0.1" : ctx.resolve(to, { from }).address;
      const durationS = window();
      const server = await startIperf3Server(ctx.shellOf(to), { lifetimeS: durationS + (opts.omitS ?? 0) + 90, signal: ctx.signal });
      try {
        const client: Iperf3ClientOptions = { to: address, port: server.port, durationS, parallel: opts.parallel, reverse: opts.reverse, omitS: opts.omitS };
        if (protocol === "udp") client.udp = { bitrate: opts.bitrate ?? "200 Mbit/s" };
        const { value, evidence } = await ctx.probe(from, iperf3Client(client));
        const ev: Evidence[] = [evidence];
        if (!value.ok) return { status: "fail", reason: `iperf3 ${endpointLabel(from)} → ${address}:${server.port} failed: ${value.error}`, evidence: [...ev, await serverNote(server)] };
        ev.push(...toMeasurementEvidence(value).map((m) => ({ ...m, better: "higher" as const })));
        return judge(thresholds, perfMetrics(value), ev);
      } finally {
        await server.stop();
      }
    },
  };
}

/** Ping `to` (count × interval), then time `connects` short TCP connections to it. */
export function latencyCheck(from: Endpoint, to: Endpoint, opts: LatencyOptions = {}): PerfCheckDecl {
  const path = opts.path ?? defaultPath(to);
  const thresholds = validate(opts.thresholds ?? []);
  const count = opts.count ?? 20;
  const connects = opts.connects ?? 20;
  const what = `latency ${endpointLabel(from)} → ${endpointLabel(to)} (${count} pings${connects ? `, ${connects} TCP connects` : ""})`;
  const name = opts.name ?? `${path}-latency`;
  return {
    name,
    category: "performance",
    expectation: expectationOf(what, thresholds),
    perf: { path, measure: "latency", thresholds, expects: connects > 0 ? ["latency.p50", "connect.p50"] : ["latency.p50"] },
    async run(ctx) {
      const resolved = opts.loopback ? undefined : ctx.resolve(to, { from });
      const address = resolved?.address ?? "127.0.0.1";
      const evidence: Evidence[] = [];
      const ping = await ctx.probe(from, onEndpoint(from, pingProbe({ to: address, count, intervalS: opts.intervalS ?? 0.05, timeoutS: 2 })));
      evidence.push(ping.evidence);
      if (!ping.value.ok) return { status: "fail", reason: `ping ${endpointLabel(from)} → ${address} failed: ${ping.value.error}`, evidence };
      if (ping.value.received === 0) return { status: "fail", reason: `ping ${endpointLabel(from)} → ${address}: all ${ping.value.transmitted} echo requests were lost`, evidence };
      const metrics = perfMetrics(ping.value);
      evidence.push(...lower(toMeasurementEvidence(ping.value)));
      if (connects > 0) {
        const served = to.kind === "node" ? (resolved?.port ?? ctx.node(to).httpPort) : undefined;
        const listener = served === undefined ? await startConnectListener(ctx.shellOf(to), { lifetimeS: 120, signal: ctx.signal }) : undefined;
        try {
          const port = served ?? listener!.port;
          const conn = await timedConnects(ctx, from, to, { address, port, count: connects, name: `${name}-connect` });
          evidence.push(...conn.evidence);
          if (!conn.value.ok) return { status: "fail", reason: `TCP connect timing ${endpointLabel(from)} → ${address}:${port} failed: ${conn.value.error}`, evidence };
          if (conn.value.succeeded === 0) return { status: "fail", reason: `no TCP connection to ${address}:${port} succeeded: ${conn.value.failures[0] ?? "no detail"}`, evidence };
          Object.assign(metrics, perfMetrics(conn.value));
          evidence.push(...lower(toMeasurementEvidence(conn.value)));
        } finally {
          await listener?.stop();
        }
      }
      return judge(thresholds, metrics, evidence);
    },
  };
}

/**
 * `count` short TCP connections from `from`, timed on the wire: a capture at the
 * source gives each SYN → SYN/ACK in microseconds. Without a capture point there
 * (a VM host), the nc timer's estimate stands, and the evidence says so.
 */
async function timedConnects(
  ctx: CheckContext,
  from: Endpoint,
  to: Endpoint,
  o: { address: string; port: number; count: number; name: string },
): Promise<{ value: TcpConnectResult; evidence: Evidence[] }> {
  const flow = { address: o.address, port: o.port };
  const place = (await capturePlaces(ctx, from, to as Target, o.address).catch(() => ({}) as ProbeCaptures)).source;
  let cap: StartedCapture | undefined;
  let why = place ? "" : "no capture point at the source";
  if (place) {
    cap = await startCapture(ctx, place.point, { name: o.name, filter: handshakeFilter(flow), maxSeconds: 120, description: `${place.where}: SYN and SYN/ACK of the timed connects`, signal: ctx.signal }).catch((err: unknown) => {
      why = `no capture at ${place.where}: ${errorMessage(err)}`;
      return undefined;
    });
  }
  let file: CaptureFile | undefined;
  let conn: Awaited<ReturnType<typeof ctx.probe<TcpConnectResult>>>;
  try {
    conn = await ctx.probe(from, onEndpoint(from, tcpConnectProbe({ to: o.address, port: o.port, count: o.count })));
  } finally {
    file = await cap?.stop().catch((err: unknown) => ((why = `capture at ${place?.where} failed: ${errorMessage(err)}`), undefined));
  }
  const value = conn.value;
  if (!value.ok) return { value, evidence: [conn.evidence] };
  const samples = file ? handshakeTimesMs(file.capture.packets(), flow) : [];
  if (file && samples.length === 0) why = `the capture at ${file.where} holds no SYN/SYN-ACK pair for ${o.address}:${o.port}`;
  if (samples.length === 0) {
    return { value: { ...value, measuredBy: "timer" }, evidence: [conn.evidence, { kind: "note", text: `connect times estimated from nc's wall time minus its start-up (${why})` }] };
  }
  const note: Evidence = { kind: "note", text: `connect times: SYN → SYN/ACK of ${samples.length} of ${value.succeeded} connections, from the capture at ${file!.where} (${file!.relPath})` };
  return { value: { ...value, samplesMs: samples, stats: describeSamples(samples), measuredBy: "capture" }, evidence: [conn.evidence, note] };
}

/** The host and the external namespace have no ping/nc on PATH: busybox's own (its sh prefers applets). */
function onEndpoint<T>(from: Endpoint, probe: Probe<T>): Probe<T> {
  return from.kind === "node" ? probe : { ...probe, command: ["busybox", ...probe.command] };
}

function lower(ms: MeasurementEvidence[]): MeasurementEvidence[] {
  return ms.map((m) => ({ ...m, better: m.unit === "bit/s" ? "higher" : "lower" }));
}

async function serverNote(server: PerfServer): Promise<Evidence> {
  const log = await server.log().catch(() => "");
  return { kind: "note", text: `iperf3 server on ${server.where} port ${server.port}: ${log.trim().slice(-2000) || "(no output)"}` };
}

/** This run alone: absolute thresholds decide now; relative ones are judged by the perf run hook before the result is reported. */
function judge(thresholds: PerfThreshold[], metrics: Record<string, number>, evidence: Evidence[]): CheckOutcome {
  const measured = collectRepeats([metrics]);
  const verdicts = thresholds.filter((t) => "atLeast" in t || "atMost" in t).map((t) => evaluateThreshold(t, measured));
  const relative = thresholds.length - verdicts.length;
  const failed = verdicts.filter((v) => v.status === "fail");
  const parts = [...(failed.length ? failed : verdicts).map((v) => v.reason)];
  if (relative) parts.push(`${relative} relative threshold(s) need the baseline: judged by the perf run hook`);
  if (parts.length === 0) parts.push(headline(metrics));
  return { status: failed.length ? "fail" : "pass", reason: parts.join("; "), evidence };
}

function headline(m: Record<string, number>): string {
  const bits = [];
  if (m.throughput !== undefined) bits.push(formatBitRate(m.throughput));
  if (m["latency.p50"] !== undefined) bits.push(`ping p50 ${formatMs(m["latency.p50"])}`);
  if (m["connect.p50"] !== undefined) bits.push(`connect p50 ${formatMs(m["connect.p50"])}`);
  return bits.join(", ") || "measured";
}

export function isPerfCheck(d: CheckDecl): d is PerfCheckDecl {
  return d.category === "performance" && typeof (d as Partial<PerfCheckDecl>).perf === "object";
}

export interface ComparisonChecksOptions {
  /** The peer is reached over 127.0.0.1 (host networking, a shared namespace). */
  loopback?: boolean;
  /** Extra thresholds on the container-to-container checks. */
  c2c?: { throughput?: PerfThreshold[]; latency?: PerfThreshold[] };
  /** Also measure UDP container to container (jitter, loss) at this rate. */
  udp?: { bitrate: string; thresholds?: PerfThreshold[] };
}

/**
 * The mode comparison's fixed set, the same in every mode: TCP throughput and latency
 * from `from` to its peer container (c2c), to the host (c2h) and to the external host (c2e).
 */
export function modeComparisonChecks(from: NodeDecl, peer: NodeDecl, opts: ComparisonChecksOptions = {}): PerfCheckDecl[] {
  const host: Endpoint = { kind: "lab-host" };
  const external: Endpoint = { kind: "external-ref" };
  const loopback = opts.loopback;
  return [
    throughputCheck(from, peer, { loopback, thresholds: opts.c2c?.throughput }),
    ...(opts.udp ? [throughputCheck(from, peer, { loopback, protocol: "udp", bitrate: opts.udp.bitrate, thresholds: opts.udp.thresholds })] : []),
    latencyCheck(from, peer, { loopback, thresholds: opts.c2c?.latency }),
    throughputCheck(from, host),
    latencyCheck(from, host),
    throughputCheck(from, external),
    latencyCheck(from, external),
  ];
}
