import { describe, expect, it } from "vitest";
import { fixtureResult } from "../../test/fixtures/perf/load.js";
import { iperf3Client } from "../probes/iperf3.js";
import { pingProbe } from "../probes/ping.js";
import { parseTcpConnectResult } from "../probes/tcp-connect.js";
import { UsageError } from "../util/errors.js";
import { checkThreshold, collectRepeats, describeThreshold, evaluateThreshold, perfMetrics, toMeasurementEvidence } from "./perf.js";

const iperf = iperf3Client({ to: "127.0.0.1", port: 15201, durationS: 2 });
const ping = pingProbe({ to: "127.0.0.1", count: 10, intervalS: 0.2, timeoutS: 2 });

describe("absolute thresholds", () => {
  const measured = { throughput: [412e6, 398e6, 430e6], "latency.p95": [1.2], loss: [0] };
  it("fails below the floor, with the numbers, the aggregate and the spread", () => {
    const v = evaluateThreshold({ metric: "throughput", atLeast: "1 Gbit/s" }, measured);
    expect(v.status).toBe("fail");
    expect(v.measured).toBe(412e6);
    expect(v.reason).toBe("throughput 412 Mbit/s < required at least 1 Gbit/s (p50 of 3 repeats, spread 398–430 Mbit/s)");
  });
  it("passes at or above the floor", () => {
    expect(evaluateThreshold({ metric: "throughput", atLeast: "412 Mbit/s" }, measured).status).toBe("pass");
    expect(evaluateThreshold({ metric: "throughput", atLeast: "413 Mbit/s" }, measured).status).toBe("fail");
  });
  it("ceilings on latency and loss, in human units", () => {
    expect(evaluateThreshold({ metric: "latency.p95", atMost: "2 ms" }, measured)).toMatchObject({ status: "pass", reason: "latency.p95 1.2 ms ≤ allowed at most 2 ms (1 run)" });
    const tight = evaluateThreshold({ metric: "latency.p95", atMost: "150us" }, measured);
    expect(tight).toMatchObject({ status: "fail", reason: "latency.p95 1.2 ms > allowed at most 150 µs (1 run)" });
    expect(evaluateThreshold({ metric: "loss", atMost: "1%" }, measured).status).toBe("pass");
  });
  it("a metric that was never measured fails rather than passing quietly", () => {
    const v = evaluateThreshold({ metric: "latency.p99", atMost: "2 ms" }, measured);
    expect(v.status).toBe("fail");
    expect(v.reason).toContain("latency.p99 was not measured");
  });
});

describe("relative thresholds", () => {
  const baselines = { host: { throughput: [1e9, 1.02e9, 0.98e9], "latency.p50": [0.05] } };
  it("compares medians and explains the ratio", () => {
    const v = evaluateThreshold({ metric: "throughput", atLeastRatio: 0.8, of: "host" }, { throughput: [700e6] }, baselines);
    expect(v.status).toBe("fail");
    expect(v.reason).toBe("throughput 700 Mbit/s is 0.7× host (1 Gbit/s), < required at least 0.8× (1 run)");
    expect(evaluateThreshold({ metric: "throughput", atLeastRatio: 0.8, of: "host" }, { throughput: [900e6] }, baselines).status).toBe("pass");
    expect(evaluateThreshold({ metric: "latency.p50", atMostRatio: 3, of: "host" }, { "latency.p50": [0.2] }, baselines).status).toBe("fail");
  });
  it("skips with a reason when the baseline is missing", () => {
    const v = evaluateThreshold({ metric: "throughput", atLeastRatio: 0.8, of: "c2c" }, { throughput: [700e6] }, baselines);
    expect(v).toMatchObject({ status: "skip", reason: expect.stringContaining('baseline "c2c"') });
  });
});

describe("threshold validation", () => {
  it("rejects unknown metrics and unreadable limits as usage errors", () => {
    expect(() => checkThreshold({ metric: "speed", atLeast: "1 Gbit/s" })).toThrow(UsageError);
    expect(() => checkThreshold({ metric: "latency.p42", atMost: "1 ms" })).toThrow(/Unknown performance metric/);
    expect(() => checkThreshold({ metric: "throughput", atLeast: "1 GB/s" })).toThrow(/Cannot read "1 GB\/s"/);
    expect(() => checkThreshold({ metric: "latency.p95", atMost: "2 Gbit/s" })).toThrow(UsageError);
    expect(() => checkThreshold({ metric: "throughput", atLeastRatio: 0, of: "host" })).toThrow(UsageError);
    expect(checkThreshold({ metric: "retransmits", atMost: 10 }).limit).toBe(10);
  });
  it("describes the expectation in words", () => {
    expect(describeThreshold({ metric: "throughput", atLeast: "1 Gbit/s" })).toBe("throughput ≥ 1 Gbit/s");
    expect(describeThreshold({ metric: "latency.p95", atMostRatio: 2, of: "host" })).toBe("latency.p95 ≤ 2× host");
  });
});

describe("from recorded probe output to verdicts and evidence", () => {
  it("iperf3 and ping fixtures feed thresholds", () => {
    const tcp = iperf.parse(fixtureResult("iperf3-tcp.json"));
    const lossy = ping.parse(fixtureResult("busybox-ping-loss.txt"));
    const m = collectRepeats([{ ...perfMetrics(tcp), ...perfMetrics(lossy) }]);
    expect(m.throughput?.[0]).toBeGreaterThan(1e9);
    expect(evaluateThreshold({ metric: "throughput", atLeast: "1 Gbit/s" }, m).status).toBe("pass");
    expect(evaluateThreshold({ metric: "loss", atMost: "1%" }, m)).toMatchObject({ status: "fail", reason: "loss 20% > allowed at most 1% (1 run)" });
    expect(m["latency.p95"]?.[0]).toBeLessThan(1);
  });
  it("a failed probe yields no metrics, so its thresholds fail", () => {
    const refused = iperf.parse(fixtureResult("iperf3-error-refused.json"));
    expect(perfMetrics(refused)).toEqual({});
    expect(toMeasurementEvidence(refused)).toEqual([]);
    expect(evaluateThreshold({ metric: "throughput", atLeast: "1 Mbit/s" }, collectRepeats([perfMetrics(refused)])).status).toBe("fail");
  });
  it("collectRepeats keeps repeat order per metric", () => {
    expect(collectRepeats([{ throughput: 1, loss: 0 }, { throughput: 2 }])).toEqual({ throughput: [1, 2], loss: [0] });
  });
  it("evidence covers each probe kind", () => {
    const kinds = [
      iperf.parse(fixtureResult("iperf3-udp.json")),
      ping.parse(fixtureResult("iputils-ping-ok.txt")),
      parseTcpConnectResult(fixtureResult("tcp-connect-ok.json"), "127.0.0.1", 5558),
    ].flatMap(toMeasurementEvidence);
    expect(kinds.map((e) => `${e.metric}:${e.unit}`)).toEqual(["throughput:bit/s", "loss:%", "latency:ms", "connect:ms"]);
    for (const e of kinds) expect(Number.isFinite(e.value)).toBe(true);
  });
});
