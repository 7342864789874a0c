import { describe, expect, it } from "vitest";
import { fixtureResult, fixtureText } from "../../test/fixtures/perf/load.js";
import { iperf3Client, iperf3Server, throughputEvidence, type ThroughputOk, type ThroughputResult } from "./iperf3.js";

// The fixtures' own numbers, read independently of the parser under test.
const raw = (name: string) => JSON.parse(fixtureText(name)) as { end: Record<string, Record<string, number>>; intervals: { sum: Record<string, unknown> }[] };

function parse(name: string): ThroughputResult {
  return iperf3Client({ to: "127.0.0.1", port: 15201, durationS: 2 }).parse(fixtureResult(name));
}

function ok(r: ThroughputResult): ThroughputOk {
  if (!r.ok) throw new Error(`expected a result, got error ${r.error}`);
  return r;
}

describe("iperf3 commands", () => {
  it("client: TCP with streams, warm-up and reverse", () => {
    const p = iperf3Client({ to: "10.1.0.2", port: 5201, durationS: 5, parallel: 4, reverse: true, omitS: 1 });
    expect(p.command).toEqual(["iperf3", "-c", "10.1.0.2", "-p", "5201", "-J", "-t", "5", "-P", "4", "-O", "1", "-R", "--connect-timeout", "5000"]);
    expect(p.targets).toEqual(["10.1.0.2"]);
    expect(p.timeoutMs).toBeGreaterThan(6000);
  });
  it("client: UDP bitrate in human units becomes bits/s", () => {
    const p = iperf3Client({ to: "10.1.0.2", port: 5201, durationS: 2, udp: { bitrate: "100 Mbit/s" } });
    expect(p.command.join(" ")).toContain("-u -b 100000000");
    expect(() => iperf3Client({ to: "x", port: 5201, durationS: 2, udp: { bitrate: "1 GB/s" } })).toThrow(/bitrate/);
    expect(() => iperf3Client({ to: "x", port: 0, durationS: 2 })).toThrow(/port/);
  });
  it("server: time-boxed, idle-reset, readiness line", () => {
    const s = iperf3Server({ port: 15201, oneOff: true, maxLifetimeS: 60 });
    expect(s.command.slice(0, 3)).toEqual(["timeout", "60", "iperf3"]);
    expect(s.command).toContain("-1");
    expect(s.ready.test("Server listening on 15201 (test #1)")).toBe(true);
    expect(s.ready.test("Server listening on 152011")).toBe(false);
    expect(iperf3Server({ port: 5201 }).command).not.toContain("-1");
  });
});

describe("parsing recorded iperf3 -J output", () => {
  it("TCP, 2 streams, 1 s omitted", () => {
    const r = ok(parse("iperf3-tcp.json"));
    const doc = raw("iperf3-tcp.json");
    expect(r.protocol).toBe("tcp");
    expect(r.streams).toBe(2);
    expect(r.bitsPerSecond).toBe(doc.end.sum_received?.bits_per_second);
    expect(r.senderBitsPerSecond).toBe(doc.end.sum_sent?.bits_per_second);
    expect(r.retransmits).toBe(doc.end.sum_sent?.retransmits);
    const kept = doc.intervals.filter((i) => !i.sum.omitted);
    expect(kept.length).toBeLessThan(doc.intervals.length);
    expect(r.intervalsBps).toEqual(kept.map((i) => i.sum.bits_per_second));
    expect(r.cpu?.localPercent).toBe(doc.end.cpu_utilization_percent?.host_total);
    expect(r.udp).toBeUndefined();
    expect(r.reverse).toBe(false);
  });
  it("TCP reverse", () => {
    const r = ok(parse("iperf3-tcp-reverse.json"));
    expect(r.reverse).toBe(true);
    expect(r.bitsPerSecond).toBe(raw("iperf3-tcp-reverse.json").end.sum_received?.bits_per_second);
  });
  it("UDP, clean and lossy", () => {
    const clean = ok(parse("iperf3-udp.json"));
    expect(clean.protocol).toBe("udp");
    expect(clean.retransmits).toBeUndefined();
    expect(clean.udp).toMatchObject({ lostPackets: 0, lostPercent: 0 });
    expect(clean.udp?.packets).toBe(raw("iperf3-udp.json").end.sum?.packets);
    const lossy = ok(parse("iperf3-udp-loss.json"));
    const sum = raw("iperf3-udp-loss.json").end.sum as Record<string, number>;
    expect(lossy.udp).toEqual({ jitterMs: sum.jitter_ms, lostPackets: sum.lost_packets, packets: sum.packets, lostPercent: sum.lost_percent });
    expect(lossy.udp?.lostPackets).toBeGreaterThan(0);
  });
  it.each([
    ["iperf3-error-refused.json", "unable to connect to server: Connection refused"],
    ["iperf3-error-busy.json", "the server is busy running a test. try again later"],
  ])("%s is a clean failure with iperf3's message, despite exit code 0", (name, message) => {
    const r = parse(name);
    expect(r).toEqual({ kind: "throughput", ok: false, to: "127.0.0.1", port: 15201, error: message });
  });
  it("no JSON (tool missing) and a timeout are failures, not exceptions", () => {
    const p = iperf3Client({ to: "127.0.0.1", port: 15201, durationS: 2 });
    const missing = p.parse(fixtureResult("iperf3-tcp.json", { stdout: "", stderr: "iperf3: command not found\n", exitCode: 127 }));
    expect(missing).toMatchObject({ ok: false, error: expect.stringContaining("command not found") });
    const slow = p.parse(fixtureResult("iperf3-tcp.json", { stdout: "{", timedOut: true, durationMs: 22000 }));
    expect(slow).toMatchObject({ ok: false, error: expect.stringContaining("timed out") });
  });
});

describe("throughputEvidence", () => {
  it("maps to a MeasurementEvidence in bit/s", () => {
    const r = ok(parse("iperf3-udp-loss.json"));
    const e = throughputEvidence(r);
    expect(e).toMatchObject({ kind: "measurement", metric: "throughput", unit: "bit/s", value: r.bitsPerSecond, samples: r.intervalsBps });
    expect(e.stats?.loss).toBe(r.udp?.lostPercent);
    expect(JSON.parse(JSON.stringify(e))).toEqual(e);
  });
});
