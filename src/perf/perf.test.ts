import { describe, expect, it } from "vitest";
import { fixtureResult } from "../../test/fixtures/perf/load.js";
import { perfMetrics, toMeasurementEvidence } from "../assert/perf.js";
import { parseIperf3Result } from "../probes/iperf3.js";
import { parsePingResult } from "../probes/ping.js";
import { parseTcpConnectResult } from "../probes/tcp-connect.js";
import type { CheckResult, Evidence, ScenarioResult } from "../report/model.js";
import { PerfCollector } from "./collector.js";
import { buildComparison } from "./comparison.js";
import { metricsFromEvidence } from "./metrics.js";
import { applyPerfResults } from "./post-pass.js";
import { qualitativeTable } from "./qualitative.js";
import { renderComparison } from "./render-comparison.js";
import type { PerfCheckSpec, PerfRecord } from "./spec.js";

const tcp = parseIperf3Result(fixtureResult("iperf3-tcp.json"), "127.0.0.1", 15201);
const udp = parseIperf3Result(fixtureResult("iperf3-udp-loss.json"), "127.0.0.1", 15201);
const ping = parsePingResult(fixtureResult("busybox-ping-loss.txt"), "127.0.0.1");
const conn = parseTcpConnectResult(fixtureResult("tcp-connect-ok.json"), "127.0.0.1", 15558);

function check(id: string, status: CheckResult["status"], evidence: Evidence[] = [], category: CheckResult["category"] = "performance"): CheckResult {
  return { id, name: id.split("/").slice(2).join("/"), category, expectation: "", status, reason: "r", evidence, startedAt: "", durationMs: 1 };
}

function scenario(id: string, mode: string, checks: CheckResult[]): ScenarioResult {
  return { id, mode, summary: "", status: "pass", startedAt: "", durationMs: 1, checks, artifacts: [] };
}

const tcpSpec = (thresholds: PerfCheckSpec["thresholds"] = []): PerfCheckSpec => ({ path: "c2c", measure: "tcp", thresholds, expects: ["throughput"] });
const record = (checkId: string, mode: string, spec: PerfCheckSpec, values: number[]): PerfRecord => ({
  checkId,
  scenarioId: checkId.split("/").slice(0, 2).join("/"),
  mode,
  spec,
  runs: values.map((v) => ({ ok: true, metrics: { throughput: v } })),
});

describe("metricsFromEvidence", () => {
  it("reads back from the evidence exactly what perfMetrics computed from the probe result", () => {
    for (const r of [tcp, udp, ping, conn]) {
      expect(r.ok).toBe(true);
      expect(metricsFromEvidence(toMeasurementEvidence(r))).toEqual(perfMetrics(r));
    }
  });

  it("ignores other evidence", () => {
    expect(metricsFromEvidence([{ kind: "note", text: "x" }])).toEqual({});
  });
});

describe("PerfCollector", () => {
  const specs = new Map([["bridge/perf/c2c-throughput-tcp", { scenarioId: "bridge/perf", mode: "bridge", spec: tcpSpec() }]]);

  it("keeps one entry per repeat; a run without its expected metric measured nothing", () => {
    const col = new PerfCollector(specs);
    col.add(check("bridge/perf/c2c-throughput-tcp", "pass", toMeasurementEvidence(tcp)));
    col.add(check("bridge/perf/c2c-throughput-tcp", "fail", []));
    col.add(check("bridge/perf/c2c-throughput-tcp", "skip", []));
    col.add(check("bridge/default/a-reaches-b-icmp", "pass", toMeasurementEvidence(tcp)));
    const [r] = col.list();
    expect(col.list()).toHaveLength(1);
    expect(r!.runs.map((x) => x.ok)).toEqual([true, false]);
  });
});

describe("applyPerfResults", () => {
  it("judges relative thresholds against the baseline mode's same path, over repeats", () => {
    const bridge = check("bridge/perf/c2c-throughput-tcp", "pass");
    const host = check("host/perf/c2c-throughput-tcp", "pass");
    const scenarios = [scenario("host/perf", "host", [host]), scenario("bridge/perf", "bridge", [bridge])];
    const records = [
      record("host/perf/c2c-throughput-tcp", "host", tcpSpec(), [10e9, 12e9, 11e9]),
      record("bridge/perf/c2c-throughput-tcp", "bridge", tcpSpec([{ metric: "throughput", atLeastRatio: 0.9, of: "host" }]), [8e9, 9e9, 7e9]),
    ];
    applyPerfResults(scenarios, records);
    expect(bridge.status).toBe("fail");
    expect(bridge.reason).toContain("0.727× host (11 Gbit/s)");
    expect(bridge.reason).toContain("p50 of 3 repeats, spread 7–9 Gbit/s");
    expect(scenarios[1]!.status).toBe("fail");
    expect(scenarios[1]!.perf?.paths.c2c?.ratioToHost).toBeCloseTo(8 / 11, 5);
    expect(host.status).toBe("pass");
    expect(host.reason).toMatch(/throughput 11 Gbit\/s \(p50 of 3 repeats, spread 10–12 Gbit\/s, cv [\d.]+%\)/);
  });

  it("skips a relative threshold whose baseline did not run, and keeps a failed measurement's verdict", () => {
    const rel = check("bridge/perf/c2c-throughput-tcp", "pass");
    const broken = check("bridge/perf/c2h-throughput-tcp", "flaky");
    const recs: PerfRecord[] = [
      record("bridge/perf/c2c-throughput-tcp", "bridge", tcpSpec([{ metric: "throughput", atLeastRatio: 0.5, of: "host" }]), [1e9]),
      { ...record("bridge/perf/c2h-throughput-tcp", "bridge", { ...tcpSpec(), path: "c2h" }, [1e9]), runs: [{ ok: true, metrics: { throughput: 1e9 } }, { ok: false, reason: "refused" }] },
    ];
    applyPerfResults([scenario("bridge/perf", "bridge", [rel, broken])], recs);
    expect(rel.status).toBe("skip");
    expect(rel.reason).toContain('no throughput baseline "host"');
    expect(broken.status).toBe("flaky");
  });
});

describe("buildComparison and renderComparison", () => {
  const scenarios = [
    scenario("host/perf", "host", []),
    scenario("bridge/perf", "bridge", []),
    scenario("bridge/default", "bridge", [check("bridge/default/a-reaches-b-icmp", "pass", [], "reachability"), check("bridge/default/a-reaches-external-icmp", "pass", [], "reachability")]),
  ];
  const latency: PerfCheckSpec = { path: "c2c", measure: "latency", thresholds: [], expects: ["latency.p50"] };
  const records: PerfRecord[] = [
    record("bridge/perf/c2c-throughput-tcp", "bridge", tcpSpec(), [5e9]),
    record("host/perf/c2c-throughput-tcp", "host", tcpSpec(), [10e9]),
    { checkId: "host/perf/c2c-latency", scenarioId: "host/perf", mode: "host", spec: latency, runs: [{ ok: true, metrics: { "latency.p50": 0.1, "latency.p95": 0.2, "connect.p50": 0.3 } }] },
    { checkId: "bridge/perf/c2c-latency", scenarioId: "bridge/perf", mode: "bridge", spec: latency, runs: [{ ok: true, metrics: { "latency.p50": 0.15, "latency.p95": 0.3, "connect.p50": 0.6 } }] },
  ];

  it("has one row per mode and path, in run order, with ratios to host", () => {
    const c = buildComparison(scenarios, records);
    expect(c.rows.map((r) => `${r.mode}/${r.path}`)).toEqual(["host/c2c", "bridge/c2c"]);
    const bridge = c.rows[1]!;
    expect(bridge.ratioToBaseline).toEqual({ throughput: 0.5, latencyP50: expect.closeTo(1.5, 5), connectP50: 2 });
    expect(bridge.checks).toEqual(["bridge/perf/c2c-throughput-tcp", "bridge/perf/c2c-latency"]);
    const text = renderComparison(c);
    expect(text).toMatch(/bridge +c2c +5 Gbit\/s +0\.5× +150 µs +300 µs +1\.5× +600 µs/);
    expect(text).toContain("access to outside       yes — bridge/default/a-reaches-external-icmp passed");
    expect(text).not.toContain("\u001b[");
  });
});

describe("qualitativeTable", () => {
  // The check ids a real `netcheck run bridge host none container user-defined` produced.
  const ids: [string, CheckResult["category"]][] = [
    ["bridge/default/a-reaches-b-icmp", "reachability"],
    ["bridge/default/a-cannot-reach-b-by-name-icmp", "isolation"],
    ["bridge/default/a-reaches-a-gateway-icmp", "reachability"],
    ["bridge/default/a-reaches-external-icmp", "reachability"],
    ["host/basic/h-in-host-network-namespace", "topology"],
    ["host/basic/h-reaches-external-icmp", "reachability"],
    ["none/isolated/n-cannot-reach-external-icmp", "isolation"],
    ["none/isolated/n-cannot-reach-host-icmp", "isolation"],
    ["none/isolated/n-cannot-reach-peer-icmp", "isolation"],
    ["container/shared/joiner-shares-namespace-with-target", "topology"],
    ["user-defined/basic/a-reaches-b-by-name-http", "reachability"],
    ["user-defined/basic/a-reaches-external-icmp", "reachability"],
    ["user-defined/basic/a-cannot-reach-legacy-icmp", "isolation"],
    ["user-defined/basic/i1-cannot-reach-external-icmp", "isolation"],
  ];
  const byMode = (failing = "") =>
    Object.fromEntries(
      qualitativeTable(
        [...new Set(ids.map(([id]) => id.split("/").slice(0, 2).join("/")))].map((sid) =>
          scenario(sid, sid.split("/")[0]!, ids.filter(([id]) => id.startsWith(`${sid}/`)).map(([id, cat]) => check(id, id === failing ? "fail" : "pass", [], cat))),
        ),
      ).map((r) => [r.mode, r]),
    );

  it("answers each cell from a passed check of the run", () => {
    const t = byMode();
    expect(t.bridge!.containerToContainer).toMatchObject({ answer: "by IP only (no name resolution)", checkId: "bridge/default/a-reaches-b-icmp" });
    expect(t.bridge!.isolation.answer).toBe("none between containers on the network");
    expect(t["user-defined"]!.containerToContainer.answer).toBe("by name and IP (embedded DNS)");
    expect(t["user-defined"]!.isolation).toMatchObject({ answer: "from other networks", checkId: "user-defined/basic/a-cannot-reach-legacy-icmp" });
    expect(t["user-defined"]!.outside.answer).toBe("yes");
    expect(t.none!.outside).toMatchObject({ answer: "no", checkId: "none/isolated/n-cannot-reach-external-icmp" });
    expect(t.none!.isolation.answer).toBe("complete: loopback only");
    expect(t.none!.containerToContainer.answer).toBe("none");
    expect(t.host!.containerToContainer.answer).toBe("the host's own stack (127.0.0.1)");
    expect(t.container!.isolation.answer).toBe("none from its target (one namespace)");
    expect(t.bridge!.multiHost.answer).toBe("not measured");
  });

  it("a failed check answers nothing", () => {
    const t = byMode("host/basic/h-reaches-external-icmp");
    expect(t.host!.outside).toMatchObject({ answer: "unknown", checkId: "host/basic/h-reaches-external-icmp", status: "fail" });
  });
});

describe("comparisonHtml", () => {
  it("one row per mode, answers linked to their checks, text escaped", async () => {
    const { comparisonHtml } = await import("../report/html/comparison-html.js");
    const scenarios = [scenario("bridge/default", "bridge", [check("bridge/default/a-reaches-external-icmp", "pass", [], "reachability")]), scenario("x<y>/z", "x<y>", [])];
    const html = comparisonHtml(buildComparison(scenarios, []), (id) => `check-${id}`);
    expect(html).toContain('<b>yes</b> <a class="mono" href="#check-bridge/default/a-reaches-external-icmp">');
    expect(html).toContain("<td>x&lt;y&gt;</td>");
    expect(html.match(/<tr>/g)).toHaveLength(3);
    expect(comparisonHtml(undefined)).toBe("");
  });
});
