import { describe, expect, it } from "vitest";
import { fixtureResult } from "../../test/fixtures/perf/load.js";
import { parseTcpConnectResult, tcpConnectEvidence, tcpConnectProbe, type TcpConnectOk, type TcpConnectResult } from "./tcp-connect.js";

function ok(r: TcpConnectResult): TcpConnectOk {
  if (!r.ok) throw new Error(`expected a result, got error ${r.error}`);
  return r;
}

const parse = (name: string) => parseTcpConnectResult(fixtureResult(name), "127.0.0.1", 5558);

describe("tcpConnectProbe command", () => {
  it("passes target and counts as positional arguments, never inside the script", () => {
    const p = tcpConnectProbe({ to: "10.1.0.2; reboot", port: 80, count: 7, connectTimeoutS: 3 });
    expect(p.command.slice(0, 2)).toEqual(["sh", "-c"]);
    expect(p.command.slice(3)).toEqual(["netcheck-tcp-connect", "10.1.0.2; reboot", "80", "7", "3"]);
    expect(p.command[2]).not.toContain("reboot");
    expect(p.timeoutMs).toBeGreaterThan(7 * 3000);
    expect(() => tcpConnectProbe({ to: "x", port: 70000, count: 1 })).toThrow(RangeError);
  });
});

describe("parsing recorded runs", () => {
  it("20 connections to a listener that holds them open", () => {
    const r = ok(parse("tcp-connect-ok.json"));
    expect(r).toMatchObject({ attempted: 20, succeeded: 20, failed: 0, failures: [] });
    expect(r.overheadMs).toBeGreaterThan(0);
    // Each corrected sample is its raw wall time minus the calibrated process-start cost.
    r.rawSamplesMs.forEach((raw, i) => expect(r.samplesMs[i]).toBeCloseTo(Math.max(0, raw - r.overheadMs), 3));
    expect(r.stats?.n).toBe(20);
    // A loopback connect through a fresh process takes well under the 2 s timeout.
    expect(Math.max(...r.rawSamplesMs)).toBeLessThan(100);
  });
  it("refused connections are failures with nc's reason, deduplicated", () => {
    const r = ok(parse("tcp-connect-refused.json"));
    expect(r).toMatchObject({ attempted: 5, succeeded: 0, failed: 5, samplesMs: [] });
    expect(r.failures).toEqual(["nc: can't connect to remote host (127.0.0.1): Connection refused"]);
    expect(r.stats).toBeUndefined();
    expect(tcpConnectEvidence(r)).toBeUndefined();
  });
  it("a shell without $EPOCHREALTIME (dash) is a clean failure", () => {
    const r = parse("tcp-connect-dash.json");
    expect(r).toMatchObject({ ok: false, error: expect.stringContaining("EPOCHREALTIME") });
  });
  it("timestamps are subtracted exactly, in integer microseconds", () => {
    const stdout = ["tcpc cal 0 0 1795438569.999999 1795438570.000499", "tcpc conn 0 0 1795438570.000500 1795438570.001201"].join("\n");
    const r = ok(parseTcpConnectResult(fixtureResult("tcp-connect-ok.json", { stdout, stderr: "" }), "h", 1));
    expect(r.overheadMs).toBe(0.5);
    expect(r.rawSamplesMs).toEqual([0.701]);
    expect(r.samplesMs).toEqual([0.201]);
  });
  it("nothing attempted (sh missing, timeout) is a failure", () => {
    const r = parseTcpConnectResult(fixtureResult("tcp-connect-ok.json", { stdout: "", stderr: "sh: not found\n", exitCode: 127 }), "h", 1);
    expect(r).toMatchObject({ ok: false, error: "tcp-connect made no attempt: sh: not found" });
  });
  it("evidence: connect in ms, value = p50", () => {
    const r = ok(parse("tcp-connect-ok.json"));
    expect(tcpConnectEvidence(r)).toMatchObject({ metric: "connect", unit: "ms", value: r.stats?.p50, samples: r.samplesMs, stats: { attempted: 20, failed: 0, overheadMs: r.overheadMs } });
  });
});
