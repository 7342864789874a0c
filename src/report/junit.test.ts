import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateRun } from "../../test/fixtures/results/generate-run.js";
import { JUNIT_XSD_PATH, realisticRun } from "../../test/fixtures/results/load-fixture.js";
import { renderJunit, SCENARIO_CASE_NAME } from "./junit.js";
import type { RunResult } from "./model.js";

function validate(xml: string): void {
  if (!existsSync("/usr/bin/xmllint")) throw new Error("xmllint is missing: apt-get install -y libxml2-utils");
  const file = join(mkdtempSync(join(tmpdir(), "netcheck-junit-")), "junit.xml");
  writeFileSync(file, xml);
  // Throws (with xmllint's complaint in the message) when the document does not validate.
  execFileSync("xmllint", ["--noout", "--schema", JUNIT_XSD_PATH, file], { stdio: "pipe" });
}

const attr = (xml: string, el: string, name: string) => Number(new RegExp(`<${el} [^>]*\\b${name}="([^"]*)"`).exec(xml)?.[1]);

describe("renderJunit", () => {
  it("validates against junit-10.xsd for the realistic and the generated run", () => {
    validate(renderJunit(realisticRun()));
    validate(renderJunit(generateRun(10)));
  });

  it("the schema really rejects a malformed document", () => {
    expect(() => validate(`<testsuites><testsuite name="x"><testcase/></testsuite></testsuites>`)).toThrow();
  });

  it("counts match the JSON totals (plus one pseudo case per scenario without checks)", () => {
    const run = realisticRun();
    const xml = renderJunit(run);
    const noChecks = run.scenarios.filter((s) => s.checks.length === 0);
    // Every run error, scenario-scoped ones included, is one <error> case of the "netcheck" suite.
    expect(run.errors.length).toBeGreaterThan(0);
    expect(attr(xml, "testsuites", "tests")).toBe(run.totals.checks + noChecks.length + run.errors.length);
    expect(attr(xml, "testsuites", "failures")).toBe(run.totals.fail);
    expect(attr(xml, "testsuites", "errors")).toBe(noChecks.filter((s) => s.status === "fail").length + run.errors.length);
    expect(attr(xml, "testsuites", "time")).toBeCloseTo(run.durationMs / 1000, 3);
    const skipped = [...xml.matchAll(/<testsuite [^>]*skipped="(\d+)"/g)].reduce((n, m) => n + Number(m[1]), 0);
    expect(skipped).toBe(run.totals.skip + noChecks.filter((s) => s.status === "skip").length);
    expect((xml.match(/<testcase /g) ?? []).length).toBe(run.totals.checks + noChecks.length + run.errors.length);
    expect((xml.match(/<failure /g) ?? []).length).toBe(run.totals.fail);
  });

  it("one suite per scenario, classname = scenario id, name = check name", () => {
    const run = realisticRun();
    const xml = renderJunit(run);
    expect((xml.match(/<testsuite /g) ?? []).length).toBe(run.scenarios.length + (run.errors.length > 0 ? 1 : 0));
    expect(xml).toContain(`<testcase classname="bridge/published-port-dnat" name="hairpin-via-host-port"`);
    expect(xml).toContain(`<skipped message="the engine has no IPv6 enabled (daemon.json &quot;ipv6&quot;: false)"/>`);
  });

  it("failure bodies carry the evidence: command, exit code, output, NAT tuples", () => {
    const xml = renderJunit(realisticRun());
    const failure = /<failure [^>]*>([\s\S]*?)<\/failure>/.exec(xml)?.[1] ?? "";
    expect(failure).toContain("$ busybox nc -w 3 10.200.0.1 18080");
    expect(failure).toContain("exit 1, timed out");
    expect(failure).toContain("before [client eth0] tcp 172.30.0.3:51000 → 10.200.0.1:18080 (3 packets)");
    // hostile output is escaped, ANSI stripped, control characters made visible
    expect(failure).toContain("&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;");
    expect(failure).not.toContain("\u001b");
    expect(failure).toContain("\\x01red");
  });

  it("a flaky check passes, with a system-out note and a suite property", () => {
    const xml = renderJunit(realisticRun());
    const tc = /<testcase classname="bridge\/user-defined-dns" name="resolve-peer-by-name"[\s\S]*?<\/testcase>/.exec(xml)?.[0] ?? "";
    expect(tc).toContain("<system-out>FLAKY: passed 2 of 3 attempts");
    expect(tc).not.toContain("<failure");
    expect(xml).toContain(`<property name="flaky.resolve-peer-by-name" value="0.67"/>`);
  });

  it("a scenario that never came up is an error test case; a skipped one a skipped case", () => {
    const xml = renderJunit(realisticRun());
    expect(xml).toMatch(new RegExp(`<testcase classname="ipvlan/l2-basic" name="${SCENARIO_CASE_NAME.replace(/[()]/g, "\\$&")}"[^>]*>\\s*<error message="lab did not come up`));
    expect(xml).toMatch(/<testcase classname="macvlan\/vlan-parent"[^>]*>\s*<skipped message="requires kernel module 8021q/);
  });

  it("run-level errors without a scenario become a netcheck suite", () => {
    const run: RunResult = { ...realisticRun(), errors: [{ message: "--require macvlan but macvlan was skipped" }] };
    const xml = renderJunit(run);
    validate(xml);
    expect(xml).toContain(`<error message="--require macvlan but macvlan was skipped" type="run-error"/>`);
    expect(attr(xml, "testsuites", "errors")).toBe(2);
  });
});
