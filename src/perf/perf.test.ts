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
import { perfHook } from "./perf-hook.js";
import { throughputCheck } from "../scenario/checks/perf.js";
import type { NodeDecl } from "../lab/topology.js";
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

describe("perfHook: a reported status is final", () => {
  const node = (name: string): NodeDecl => ({ kind: "node", name, options: {} });
  const scen = (id: string, mode: string) => ({ id, mode, summary: "", kind: "netcheck-scenario" as const, lab: () => ({}), checks: () => [] });
  const measured = (bps: number): Evidence[] => [{ kind: "measurement", metric: "throughput", unit: "bit/s", value: bps }];
  const attempt = (id: string, bps: number) => check(id, "pass", measured(bps));

  it("runs perf scenarios alone, the baseline mode first, and selects perf checks only when asked", () => {
    const d = throughputCheck(node("a"), node("b"));
    const plain = { name: "x", category: "reachability" as const, expectation: "", run: async () => ({ status: "pass" as const, evidence: [] }) };
    const off = perfHook("off");
    expect([off.selects!(scen("b/p", "bridge"), d), off.selects!(scen("b/p", "bridge"), plain)]).toEqual([false, true]);
    expect(perfHook("only").selects!(scen("b/p", "bridge"), plain)).toBe(false);
    expect(perfHook("with").selects!(scen("b/p", "bridge"), d)).toBe(true);
    expect(off.runsAlone!(scen("b/p", "bridge"), [plain, d])).toBe(true);
    expect(off.runsAlone!(scen("b/d", "bridge"), [plain])).toBe(false);
    expect(off.rank!(scen("host/perf", "host"))).toBeLessThan(off.rank!(scen("bridge/perf", "bridge")));
  });

  it("judges a relative threshold against the baseline measured earlier in the run, before the result is reported", () => {
    const hook = perfHook("with");
    const hostDecl = throughputCheck(node("a"), node("b"));
    const bridgeDecl = throughputCheck(node("a"), node("b"), { thresholds: [{ metric: "throughput", atLeastRatio: 0.9, of: "host" }] });
    for (const bps of [10e9, 12e9, 11e9]) expect(hook.judge!(scen("host/perf", "host"), hostDecl, attempt("host/perf/c2c-throughput-tcp", bps)).status).toBe("pass");
    const bridge = hook.judge!(scen("bridge/perf", "bridge"), bridgeDecl, attempt("bridge/perf/c2c-throughput-tcp", 8e9));
    expect(bridge.status).toBe("fail");
    expect(bridge.reason).toContain("0.727× host (11 Gbit/s)");
    // The wrong-expectation twin: the same figure against a lower bar passes.
    const lenient = throughputCheck(node("a"), node("b"), { thresholds: [{ metric: "throughput", atLeastRatio: 0.7, of: "host" }] });
    expect(perfHook("with").judge!(scen("bridge/perf", "bridge"), lenient, attempt("bridge/perf/c2c-throughput-tcp", 8e9)).status).toBe("skip");
    const hook2 = perfHook("with");
    hook2.judge!(scen("host/perf", "host"), hostDecl, attempt("host/perf/c2c-throughput-tcp", 11e9));
    expect(hook2.judge!(scen("bridge/perf", "bridge"), lenient, attempt("bridge/perf/c2c-throughput-tcp", 8e9)).status).toBe("pass");
  });

  it("after the run: summaries and the spread over repeats, statuses untouched", () => {
    const hook = perfHook("with");
    const hostDecl = throughputCheck(node("a"), node("b"));
    const results = [10e9, 12e9, 11e9].map((bps) => hook.judge!(scen("host/perf", "host"), hostDecl, attempt("host/perf/c2c-throughput-tcp", bps)));
    const merged = { ...results[2]!, status: "flaky" as const };
    const scenarios = [scenario("host/perf", "host", [merged])];
    const extra = hook.finish!(scenarios);
    expect(merged.status).toBe("flaky");
    expect(merged.reason).toMatch(/over 3 repeats: throughput 11 Gbit\/s \(p50 of 3 repeats, spread 10–12 Gbit\/s, cv [\d.]+%\)/);
    expect(scenarios[0]!.perf?.paths.c2c?.throughputBps).toBe(11e9);
    expect(extra.comparison?.rows.map((r) => r.mode)).toEqual(["host"]);
    expect(extra.options).toEqual({ perf: "with" });
  });

  it("keeps a failed measurement's verdict, and skips a relative threshold whose baseline did not run", () => {
    const hook = perfHook("with");
    const rel = throughputCheck(node("a"), node("b"), { thresholds: [{ metric: "throughput", atLeastRatio: 0.5, of: "host" }] });
    const skipped = hook.judge!(scen("bridge/perf", "bridge"), rel, attempt("bridge/perf/c2c-throughput-tcp", 1e9));
    expect(skipped.status).toBe("skip");
    expect(skipped.reason).toContain('no throughput baseline "host"');
    const broken = { ...check("bridge/perf/c2c-throughput-tcp", "fail"), reason: "iperf3 refused" };
    expect(hook.judge!(scen("bridge/perf", "bridge"), rel, broken)).toEqual(broken);
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
    expect(t.bridge!.containerToContainer).toMatchObject({ answer: "by IP only (no name resolution)", checkId: "bridge/default/a-cannot-reach-b-by-name-icmp" });
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
