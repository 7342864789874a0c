import { describe, expect, it } from "vitest";
import { fixtureResult, fixtureText } from "../../test/fixtures/perf/load.js";
import { latencyEvidence, pingProbe, type LatencyOk, type LatencyResult } from "./ping.js";

const probe = pingProbe({ to: "127.0.0.1", count: 10, intervalS: 0.2, timeoutS: 2 });

function ok(r: LatencyResult): LatencyOk {
  if (!r.ok) throw new Error(`expected a result, got error ${r.error}`);
  return r;
}

/** ping's own summary line: [min, avg, max] as it printed them (rounded to µs). */
function summaryOf(text: string): number[] {
  const m = /min\/avg\/max(?:\/mdev)? = ([\d.]+)\/([\d.]+)\/([\d.]+)/.exec(text);
  if (!m) throw new Error("fixture has no summary");
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

describe("pingProbe command", () => {
  it("uses flags busybox and iputils share", () => {
    const p = pingProbe({ to: "10.1.0.3", count: 5, intervalS: 0.2, timeoutS: 1.5, size: 1400 });
    expect(p.command).toEqual(["ping", "-c", "5", "-i", "0.2", "-W", "2", "-s", "1400", "10.1.0.3"]);
    expect(p.timeoutMs).toBeGreaterThanOrEqual((5 * 0.2 + 1.5) * 1000);
    expect(() => pingProbe({ to: "x", count: 0, intervalS: 1, timeoutS: 1 })).toThrow(RangeError);
  });
});

describe.each(["busybox", "iputils"] as const)("%s ping output", (flavor) => {
  it("all replies: samples agree with ping's own min/avg/max", () => {
    const text = fixtureText(`${flavor}-ping-ok.txt`);
    const r = ok(probe.parse(fixtureResult(`${flavor}-ping-ok.txt`)));
    const [min, avg, max] = summaryOf(text);
    expect(r.flavor).toBe(flavor);
    expect(r).toMatchObject({ transmitted: 10, received: 10, lossPercent: 0, duplicates: 0 });
    expect(r.samplesMs).toHaveLength(10);
    expect(r.stats?.min).toBe(min);
    expect(r.stats?.max).toBe(max);
    // ping prints its average truncated to whole µs (busybox divides integer µs).
    expect(Math.abs((r.stats?.mean ?? 0) - (avg as number))).toBeLessThan(0.001);
    expect(r.stats?.p50).toBeGreaterThanOrEqual(r.stats?.min ?? Infinity);
    expect(r.stats?.p95).toBeLessThanOrEqual(r.stats?.max ?? -Infinity);
  });
  it("random loss: 16 of 20 replied", () => {
    const r = ok(probe.parse(fixtureResult(`${flavor}-ping-loss.txt`)));
    expect(r).toMatchObject({ transmitted: 20, received: 16, lossPercent: 20 });
    expect(r.samplesMs).toHaveLength(16);
    const [min, , max] = summaryOf(fixtureText(`${flavor}-ping-loss.txt`));
    expect([r.stats?.min, r.stats?.max]).toEqual([min, max]);
  });
  it("everything lost (exit code 1) is a measurement, not an error", () => {
    const r = ok(probe.parse(fixtureResult(`${flavor}-ping-all-lost.txt`, { exitCode: 1 })));
    expect(r).toMatchObject({ transmitted: 3, received: 0, lossPercent: 100, samplesMs: [] });
    expect(r.stats).toBeUndefined();
    const ev = latencyEvidence(r);
    expect(ev.map((e) => e.metric)).toEqual(["loss"]);
    expect(ev[0]?.value).toBe(100);
  });
});

describe("ping edge cases", () => {
  it("duplicates are counted, not sampled", () => {
    const text = [
      "PING 10.1.0.3 (10.1.0.3): 56 data bytes",
      "64 bytes from 10.1.0.3: seq=0 ttl=64 time=0.100 ms",
      "64 bytes from 10.1.0.3: seq=0 ttl=64 time=0.900 ms (DUP!)",
      "64 bytes from 10.1.0.3: seq=1 ttl=64 time=0.200 ms",
      "",
      "--- 10.1.0.3 ping statistics ---",
      "2 packets transmitted, 2 packets received, 1 duplicates, 0% packet loss",
      "round-trip min/avg/max = 0.100/0.400/0.900 ms",
    ].join("\n");
    const r = ok(probe.parse(fixtureResult("busybox-ping-ok.txt", { stdout: text })));
    expect(r.samplesMs).toEqual([0.1, 0.2]);
    expect(r.duplicates).toBe(1);
    expect(r.lossPercent).toBe(0);
  });
  it("iputils with a host name and +errors", () => {
    const text = [
      "64 bytes from node-b (10.1.0.3): icmp_seq=1 ttl=64 time=1.25 ms",
      "--- node-b ping statistics ---",
      "2 packets transmitted, 1 received, +1 errors, 50% packet loss, time 1001ms",
    ].join("\n");
    const r = ok(probe.parse(fixtureResult("iputils-ping-ok.txt", { stdout: text })));
    expect(r).toMatchObject({ flavor: "iputils", samplesMs: [1.25], lossPercent: 50 });
  });
  it("no statistics → failure carrying the tool's words", () => {
    const r = probe.parse(fixtureResult("busybox-ping-ok.txt", { stdout: "", stderr: "ping: permission denied (are you root?)\n", exitCode: 1 }));
    expect(r).toEqual({ kind: "latency", ok: false, to: "127.0.0.1", error: "ping printed no statistics: ping: permission denied (are you root?)" });
  });
  it("evidence: latency in ms with p50 as value, loss alongside", () => {
    const r = ok(probe.parse(fixtureResult("busybox-ping-loss.txt")));
    const [loss, latency] = latencyEvidence(r);
    expect(loss).toMatchObject({ metric: "loss", unit: "%", value: 20 });
    expect(latency).toMatchObject({ metric: "latency", unit: "ms", value: r.stats?.p50, samples: r.samplesMs });
    expect(latency?.stats?.p95).toBe(r.stats?.p95);
  });
});
