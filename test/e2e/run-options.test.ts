/**
 * The run options CI relies on, proven on the built CLI with small fixture
 * scenarios (test/fixtures/scenarios/): --require, --repeat flake detection,
 * --retry, --timeout, selection and `list --json`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, explain, FIXTURES, netcheck, readJson, takeRunIds, workDir } from "./cli.js";
import { assertNothingLeftBehind } from "./leftovers.js";
import { junitCounts } from "./junit-counts.js";

const twoHosts = join(FIXTURES, "needs-two-hosts.ts");
const flaky = join(FIXTURES, "flaky-alternating.ts");
const fails = join(FIXTURES, "always-fails.ts");
const slow = join(FIXTURES, "slow-check.ts");

beforeAll(ensureBuilt, 180_000);
afterEach(() => assertNothingLeftBehind(takeRunIds()));

describe("--require", () => {
  it("a skipped mode is reported but does not fail the run without --require", async () => {
    const dir = workDir();
    const r = await netcheck(["run", twoHosts, "--json", "r.json", "--reports", "reports"], dir);
    expect(r.exitCode, explain(r)).toBe(0);
    const run = readJson(join(dir, "r.json"));
    expect(run.scenarios[0]).toMatchObject({ id: "overlay/fixture-needs-two-hosts", status: "skip" });
    expect(run.scenarios[0]!.reason).toMatch(/2 Docker hosts|hosts\.2/);
    expect(r.stdout).toContain(run.scenarios[0]!.reason);
    expect(run.errors).toEqual([]);
  });

  it("a required-but-skipped mode fails the run: exit 1, the reason in the output and in the JSON errors", async () => {
    const dir = workDir();
    const r = await netcheck(["run", "bridge", twoHosts, "--only", "^bridge/default/|^overlay/", "--require", "overlay", "--json", "r.json", "--junit", "j.xml", "--reports", "reports"], dir);
    expect(r.exitCode, explain(r)).toBe(1);
    const run = readJson(join(dir, "r.json"));
    expect(run.exitCode).toBe(1);
    expect(run.totals.fail).toBe(0); // no check failed: the skip itself is the failure
    expect(run.scenarios.find((s) => s.id === "bridge/default")?.status).toBe("pass");
    const error = run.errors.find((e) => e.scenario === "overlay/fixture-needs-two-hosts");
    expect(error?.message).toMatch(/required mode "overlay" was skipped: .*(2 Docker hosts|hosts\.2)/);
    expect(r.stdout).toContain(error!.message);
  });

  it("--require all fails on any skipped mode of the run", async () => {
    const dir = workDir();
    const r = await netcheck(["run", twoHosts, "--require", "all", "--json", "r.json", "--reports", "reports"], dir);
    expect(r.exitCode, explain(r)).toBe(1);
    expect(readJson(join(dir, "r.json")).errors.map((e) => e.message).join("\n")).toMatch(/required mode "overlay" was skipped/);
  });

  // A CI JUnit reporter must not show green while netcheck exits 1.
  it("the JUnit file of a run failed by --require shows a failure or error", async () => {
    const dir = workDir();
    const r = await netcheck(["run", twoHosts, "--require", "overlay", "--junit", "j.xml", "--json", "r.json", "--reports", "reports"], dir);
    expect(r.exitCode).toBe(1);
    readJson(join(dir, "r.json"));
    const j = junitCounts(readFileSync(join(dir, "j.xml"), "utf8"));
    expect(j.failures + j.errors).toBeGreaterThan(0);
  });
});

describe("--repeat flake detection", () => {
  it("a check that passes and fails across repeats is flaky with its pass rate, distinct from failed", async () => {
    const dir = workDir();
    const r = await netcheck(["run", flaky, "--repeat", "3", "--json", "r.json", "--junit", "j.xml", "--reports", "reports"], dir);
    expect(r.exitCode, explain(r)).toBe(0); // flaky is allowed
    const run = readJson(join(dir, "r.json"));
    const check = run.scenarios[0]!.checks.find((c) => c.name === "alternates")!;
    expect(check.status).toBe("flaky");
    expect(check.passRate).toBeCloseTo(2 / 3, 5);
    expect(check.attempts?.map((a) => a.status)).toEqual(["pass", "fail", "pass"]);
    expect(check.reason).toMatch(/passed 2 of 3 attempts \(67%\)/);
    expect(run.scenarios[0]!.checks.find((c) => c.name !== "alternates")?.status).toBe("pass");
    expect(run.totals).toMatchObject({ flaky: 1, pass: 1, fail: 0 });
    expect(run.scenarios[0]!.repeats).toBe(3);
    expect(r.stdout).toMatch(/FLAKY[\s\S]*alternates: flaky: passed 2 of 3 attempts \(67%\)/);
    const xml = readFileSync(join(dir, "j.xml"), "utf8");
    expect(xml).toContain('<property name="flaky.alternates" value="0.67"/>');
    expect(junitCounts(xml)).toMatchObject({ tests: 2, failures: 0, flaky: 1 });
  });

  it("without --repeat the same check is just a pass (one attempt, no flake)", async () => {
    const dir = workDir();
    const r = await netcheck(["run", flaky, "--json", "r.json", "--reports", "reports"], dir);
    expect(r.exitCode, explain(r)).toBe(0);
    expect(readJson(join(dir, "r.json")).totals).toMatchObject({ pass: 2, flaky: 0 });
  });
});

describe("--retry and --timeout", () => {
  it("retries of a failing check are reported, never hidden", async () => {
    const dir = workDir();
    const r = await netcheck(["run", fails, "--retry", "2", "--json", "r.json", "--reports", "reports"], dir);
    expect(r.exitCode, explain(r)).toBe(1);
    const check = readJson(join(dir, "r.json")).scenarios[0]!.checks.find((c) => c.name === "alone-reaches-server-impossible")!;
    expect(check.status).toBe("fail");
    expect(check.attempts?.map((a) => a.status)).toEqual(["fail", "fail", "fail"]);
  });

  it("a retry that passes makes the check flaky, not passed", async () => {
    const dir = workDir();
    const r = await netcheck(["run", flaky, "--only", "alternates", "--retry", "1", "--repeat", "2", "--json", "r.json", "--reports", "reports"], dir);
    expect(r.exitCode, explain(r)).toBe(0);
    const check = readJson(join(dir, "r.json")).scenarios[0]!.checks[0]!;
    // attempt 1 passes; repeat 2: attempt 2 fails, its retry (attempt 3) passes
    expect(check.attempts?.map((a) => a.status)).toEqual(["pass", "fail", "pass"]);
    expect(check.status).toBe("flaky");
  });

  it("--timeout fails a check that runs too long, and says so", async () => {
    const dir = workDir();
    const started = Date.now();
    const r = await netcheck(["run", slow, "--timeout", "1", "--json", "r.json", "--reports", "reports"], dir);
    expect(r.exitCode, explain(r)).toBe(1);
    const check = readJson(join(dir, "r.json")).scenarios[0]!.checks[0]!;
    expect(check.reason).toMatch(/timed out after 1s \(--timeout\)/);
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});

describe("selection", () => {
  it("list --json with --only/--skip and ! negation over mode/scenario/check ids", async () => {
    const dir = workDir();
    const all = JSON.parse((await netcheck(["list", "--json"], dir)).stdout) as { scenarios: { id: string; mode: string; checks: { id: string }[] }[] };
    const ids = all.scenarios.flatMap((s) => s.checks.map((c) => c.id));
    expect(all.scenarios.map((s) => s.mode)).toEqual(expect.arrayContaining(["bridge", "host", "none", "container", "user-defined"]));
    const only = JSON.parse((await netcheck(["list", "--json", "--only", "^bridge/", "--skip", "isolated|cannot"], dir)).stdout) as typeof all;
    const onlyIds = only.scenarios.flatMap((s) => s.checks.map((c) => c.id));
    expect(onlyIds.length).toBeGreaterThan(0);
    expect(onlyIds).toEqual(ids.filter((id) => /^bridge\//.test(id) && !/isolated|cannot/.test(id)));
    const negated = JSON.parse((await netcheck(["list", "--json", "--only", "!^bridge/"], dir)).stdout) as typeof all;
    expect(negated.scenarios.map((s) => s.mode)).not.toContain("bridge");
    expect(negated.scenarios.flatMap((s) => s.checks).length).toBe(ids.filter((id) => !id.startsWith("bridge/")).length);
  });

  it("run --only runs exactly the selected checks", async () => {
    const dir = workDir();
    const r = await netcheck(["run", "none", "--only", "interfaces|routes", "--json", "r.json", "--reports", "reports"], dir);
    expect(r.exitCode, explain(r)).toBe(0);
    const checks = readJson(join(dir, "r.json")).scenarios.flatMap((s) => s.checks.map((c) => c.id));
    expect(checks.length).toBeGreaterThan(0);
    for (const id of checks) expect(id).toMatch(/interfaces|routes/);
  });
});
