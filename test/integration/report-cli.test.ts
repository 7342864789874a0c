/** `netcheck report` through its Command object, with files on disk; no engine needed. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import report from "../../src/cli/commands/report.js";
import type { CommandIO } from "../../src/cli/command.js";
import { REALISTIC_RUN_PATH, realisticRun } from "../fixtures/results/load-fixture.js";

async function runReport(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (d) => (out += String(d)));
  stderr.on("data", (d) => (err += String(d)));
  const io: CommandIO = { stdout, stderr, signal: new AbortController().signal, argv: ["report", ...args] };
  const code = await report.run(args, io);
  return { code, out, err };
}

const dir = mkdtempSync(join(tmpdir(), "netcheck-report-cli-"));

describe("netcheck report", () => {
  it("re-renders one run: summary on stdout, --html and --junit files", async () => {
    const html = join(dir, "one", "report.html");
    const junit = join(dir, "one", "junit.xml");
    const r = await runReport([REALISTIC_RUN_PATH, "--html", html, "--junit", junit]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toContain("13 passed, 1 failed, 1 skipped, 1 flaky");
    expect(r.out).not.toContain("\u001b[");
    expect(readFileSync(html, "utf8")).toContain("<title>netcheck k3f9a");
    expect(readFileSync(junit, "utf8")).toContain(`<testsuites name="netcheck k3f9a"`);
  });

  it("compares two runs and exits 1 on a new failure or perf regression", async () => {
    const b = realisticRun();
    b.runId = "b7777";
    b.scenarios[0]!.checks[2]!.status = "pass";
    b.scenarios[5]!.checks[0]!.status = "fail";
    b.scenarios[3]!.perf!.paths.c2c!.throughputBps = 20e9;
    const bFile = join(dir, "b.json");
    writeFileSync(bFile, JSON.stringify(b));
    const html = join(dir, "diff.html");
    const r = await runReport([REALISTIC_RUN_PATH, bFile, "--html", html, "--no-color"]);
    expect(r.code).toBe(1);
    expect(r.out).toContain("Changes from run k3f9a to run b7777");
    expect(r.out).toContain("New failures (1):\n  none/loopback-only/only-lo  pass → fail");
    expect(r.out).toContain("Fixed (1):\n  bridge/published-port-dnat/hairpin-via-host-port  fail → pass");
    expect(r.out).toMatch(/Performance regressions \(1\):\n {2}host\/throughput\/perf\/c2c {2}throughput: 38.5 Gbit\/s → 20 Gbit\/s/);
    expect(readFileSync(html, "utf8")).toContain("Changes since run k3f9a");
    // the same run twice: nothing changed, exit 0
    expect((await runReport([bFile, bFile])).code).toBe(0);
  });

  it("refuses files that are not netcheck results, with exit code 2 and a clear message", async () => {
    const pkg = join(dir, "package.json");
    writeFileSync(pkg, `{"name":"x"}`);
    const r = await runReport([pkg]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${pkg} is not a netcheck results file`);
    expect(r.err).toContain("reports/latest/results.json");
    const missing = await runReport([join(dir, "missing.json")]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("Cannot read results file");
    expect((await runReport([])).code).toBe(2);
    expect((await runReport(["a", "b", "c"])).code).toBe(2);
    expect((await runReport([REALISTIC_RUN_PATH, "--bogus"])).code).toBe(2);
  });
});
