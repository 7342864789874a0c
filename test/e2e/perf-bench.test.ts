/**
 * The built-in perf scenarios (<mode>/perf), `netcheck bench` and the ratios to host
 * networking, end to end through the built CLI, with 1 s iperf3 windows
 * (NETCHECK_PERF_SECONDS): every mode's row is measured, each non-host row has
 * its ratio to the host row of the same run, TCP connect times come from
 * captures (microseconds, not a 0 ms timer estimate), and nothing is left.
 */
import { join } from "node:path";
import { execa } from "execa";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { BIN, ensureBuilt, explain, readJson, remember, takeRunIds, workDir } from "./cli.js";
import { assertNothingLeftBehind } from "./leftovers.js";

beforeAll(ensureBuilt, 180_000);
afterEach(() => assertNothingLeftBehind(takeRunIds()));

describe("netcheck bench, end to end", () => {
  it("measures every built-in perf scenario and prints ratios to host networking from the same run", async () => {
    const dir = workDir();
    const res = await execa("node", [BIN, "bench", "--repeat", "1", "--json", "r.json", "--reports", "reports", "--no-color"], {
      cwd: dir,
      reject: false,
      timeout: 400_000,
      env: { NO_COLOR: "1", NETCHECK_PERF_SECONDS: "1" },
    });
    const r = remember({ exitCode: res.exitCode ?? -1, stdout: String(res.stdout), stderr: String(res.stderr) });
    const run = readJson(join(dir, "r.json"));
    const failed = run.scenarios.flatMap((s) => s.checks.filter((c) => c.status === "fail").map((c) => `${c.id}: ${c.reason}`));
    expect(failed, explain(r)).toEqual([]);
    expect(r.exitCode, explain(r)).toBe(0);
    // overlay/swarm measures container to container across its two docker-in-docker hosts.
    expect(run.scenarios.map((s) => s.id).sort()).toEqual(["bridge/perf", "container/perf", "host/perf", "overlay/swarm", "user-defined/perf"]);
    // Only performance checks ran, and host (the baseline) ran first.
    expect(run.scenarios.flatMap((s) => s.checks).every((c) => c.category === "performance")).toBe(true);
    expect(Math.min(...run.scenarios.map((s) => Date.parse(s.startedAt)))).toBe(Date.parse(run.scenarios.find((s) => s.mode === "host")!.startedAt));

    const rows = run.comparison!.rows;
    for (const mode of ["host", "bridge", "container", "user-defined"]) {
      expect(rows.filter((x) => x.mode === mode).map((x) => x.path).sort(), mode).toEqual(["c2c", "c2e", "c2h"]);
    }
    expect(rows.filter((x) => x.mode === "overlay").map((x) => x.path)).toEqual(["c2c"]);
    for (const row of rows) {
      expect(row.throughputBps?.median, `${row.mode} ${row.path} throughput`).toBeGreaterThan(1e6);
      expect(row.latencyP50Ms?.median, `${row.mode} ${row.path} ping`).toBeGreaterThan(0);
      // Measured on the wire: a handshake takes some microseconds, never a rounded-down 0.
      expect(row.connectP50Ms?.median, `${row.mode} ${row.path} connect`).toBeGreaterThan(0);
      expect(row.connectP50Ms!.median, `${row.mode} ${row.path} connect`).toBeLessThan(100);
      if (row.mode === "host") expect(row.ratioToBaseline?.throughput).toBeCloseTo(1, 5);
      else expect(row.ratioToBaseline?.throughput, `${row.mode} ${row.path}`).toBeGreaterThan(0);
    }
    const notes = run.scenarios.flatMap((s) => s.checks.filter((c) => c.name.endsWith("-latency")).map((c) => c.evidence.find((e) => e.kind === "note")));
    for (const n of notes) expect(n && n.kind === "note" ? n.text : "").toMatch(/^connect times: SYN → SYN\/ACK of \d+ of \d+ connections, from the capture at /);
    // The printed comparison: a ratio column against host networking.
    expect(r.stdout).toMatch(/ratios to host networking in this run/);
    expect(r.stdout).toMatch(/^bridge\s+c2c\s+[\d.]+ [GM]bit\/s\s+[\d.]+×/m);
  });
});
