import { escapeMarkup, escapeXmlAttr } from "./escape.js";
import { checkEvidenceText } from "./evidence-text.js";
import type { CheckResult, RunResult, ScenarioResult } from "./model.js";

/**
 * JUnit XML in the dialect Jenkins' junit-10.xsd describes, which is what GitHub
 * Actions reporters and GitLab read. One <testsuite> per scenario, one
 * <testcase> per check (classname = scenario id, name = check name).
 *
 * Counts: failures = totals.fail, skipped = totals.skip + scenarios skipped
 * without checks, tests = totals.checks + one pseudo test case per scenario
 * that has no checks (named "(scenario)") + one per run-level error (scenario-scoped
 * ones such as a skipped --require'd mode included); errors =
 * the pseudo cases that are errors. Flaky checks count as passed: the XSD has
 * no per-testcase properties, so the flag goes in <system-out> and in the
 * suite's <properties> as `flaky.<check name>`.
 */
export const SCENARIO_CASE_NAME = "(scenario)";

interface Case {
  xml: string;
  fail: number;
  error: number;
  skip: number;
}

export function renderJunit(run: RunResult): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  for (const s of run.scenarios) {
    const cases = s.checks.length > 0 ? s.checks.map((c) => checkCase(s, c)) : [scenarioCase(s)];
    const sum = (k: "fail" | "error" | "skip") => cases.reduce((n, c) => n + c[k], 0);
    tests += cases.length;
    failures += sum("fail");
    errors += sum("error");
    skipped += sum("skip");
    const attrs = [
      ["name", s.id],
      ["tests", String(cases.length)],
      ["failures", String(sum("fail"))],
      ["errors", String(sum("error"))],
      ["skipped", String(sum("skip"))],
      ["time", seconds(s.durationMs)],
      ["timestamp", s.startedAt.slice(0, 19)],
      ["hostname", run.host.hostname],
      ["package", s.mode],
      ...(s.file ? [["file", s.file]] : []),
    ];
    suites.push(`  <testsuite ${attrString(attrs)}>\n${suiteProperties(run, s)}${cases.map((c) => c.xml).join("")}  </testsuite>\n`);
  }
  // Every run-level error is an <error> case, scenario-scoped ones too (a --require'd mode that was
  // skipped): a CI reporter must not show green while netcheck exits 1.
  if (run.errors.length > 0) {
    const cases = run.errors.map(
      (e, i) =>
        `    <testcase ${attrString([["classname", e.scenario ?? "netcheck"], ["name", e.scenario ? "(run requirement)" : `run error ${i + 1}`], ["time", "0"]])}><error message="${escapeXmlAttr(e.message)}" type="run-error"/></testcase>\n`,
    );
    tests += cases.length;
    errors += cases.length;
    suites.push(`  <testsuite ${attrString([["name", "netcheck"], ["tests", String(cases.length)], ["failures", "0"], ["errors", String(cases.length)], ["skipped", "0"], ["time", "0"]])}>\n${cases.join("")}  </testsuite>\n`);
  }
  const root = attrString([
    ["name", `netcheck ${run.runId}`],
    ["tests", String(tests)],
    ["failures", String(failures)],
    ["errors", String(errors)],
    ["time", seconds(run.durationMs)],
  ]);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ${root}>\n${suites.join("")}</testsuites>\n`;
}

function checkCase(s: ScenarioResult, c: CheckResult): Case {
  const open = `    <testcase ${attrString([["classname", s.id], ["name", c.name], ["time", seconds(c.durationMs)]])}`;
  switch (c.status) {
    case "pass":
      return { xml: `${open}/>\n`, fail: 0, error: 0, skip: 0 };
    case "skip":
      return { xml: `${open}>\n      <skipped message="${escapeXmlAttr(c.reason ?? "skipped")}"/>\n    </testcase>\n`, fail: 0, error: 0, skip: 1 };
    case "flaky": {
      const note = `FLAKY: ${c.reason ?? "passed on retry"}${c.passRate === undefined ? "" : ` (pass rate ${Math.round(c.passRate * 100)}%)`}\n\n${checkEvidenceText(c)}`;
      return { xml: `${open}>\n      <system-out>${escapeMarkup(note)}</system-out>\n    </testcase>\n`, fail: 0, error: 0, skip: 0 };
    }
    case "fail":
      return {
        xml: `${open}>\n      <failure message="${escapeXmlAttr(c.reason ?? "failed")}" type="${escapeXmlAttr(c.category)}">${escapeMarkup(checkEvidenceText(c))}</failure>\n    </testcase>\n`,
        fail: 1,
        error: 0,
        skip: 0,
      };
  }
}

/** A scenario without checks still shows up, so a lab that never came up is not silently green. */
function scenarioCase(s: ScenarioResult): Case {
  const open = `    <testcase ${attrString([["classname", s.id], ["name", SCENARIO_CASE_NAME], ["time", seconds(s.durationMs)]])}`;
  const msg = escapeXmlAttr(s.reason ?? s.summary);
  if (s.status === "fail") return { xml: `${open}>\n      <error message="${msg}" type="scenario-error">${escapeMarkup(s.reason ?? "")}</error>\n    </testcase>\n`, fail: 0, error: 1, skip: 0 };
  if (s.status === "skip") return { xml: `${open}>\n      <skipped message="${msg}"/>\n    </testcase>\n`, fail: 0, error: 0, skip: 1 };
  return { xml: `${open}/>\n`, fail: 0, error: 0, skip: 0 };
}

function suiteProperties(run: RunResult, s: ScenarioResult): string {
  const props: [string, string][] = [
    ["netcheck.runId", run.runId],
    ["netcheck.mode", s.mode],
    ["netcheck.summary", s.summary],
  ];
  if (s.repeats !== undefined) props.push(["netcheck.repeats", String(s.repeats)]);
  for (const c of s.checks) {
    if (c.status === "flaky") props.push([`flaky.${c.name}`, c.passRate === undefined ? "true" : c.passRate.toFixed(2)]);
  }
  return `    <properties>\n${props.map(([n, v]) => `      <property name="${escapeXmlAttr(n)}" value="${escapeXmlAttr(v)}"/>\n`).join("")}    </properties>\n`;
}

function attrString(attrs: string[][]): string {
  return attrs.map(([k, v]) => `${k}="${escapeXmlAttr(v ?? "")}"`).join(" ");
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}
