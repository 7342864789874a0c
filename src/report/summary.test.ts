import { describe, expect, it } from "vitest";
import { realisticRun } from "../../test/fixtures/results/load-fixture.js";
import { renderCheckLine, renderSummary } from "./summary.js";
import { shouldColor } from "./term-style.js";

describe("renderSummary", () => {
  const run = { ...realisticRun(), reportDir: "reports/k3f9a" };

  it("lists scenarios failures first, failed and skipped checks with reasons, totals and the report path", () => {
    const text = renderSummary(run, { color: false });
    const lines = text.split("\n");
    expect(lines[0]).toMatch(/^✗ FAIL +bridge\/published-port-dnat \(bridge\)/);
    expect(text).toContain("    ✗ hairpin-via-host-port: connection timed out after 3000 ms");
    expect(text).toContain("    - ipv6-isolated: the engine has no IPv6 enabled");
    expect(text).toContain("    ~ resolve-peer-by-name: passed 2 of 3 attempts");
    expect(text).toMatch(/- SKIP +macvlan\/vlan-parent \(macvlan\) — requires kernel module 8021q/);
    expect(text).toContain("13 passed, 1 failed, 1 skipped, 1 flaky, 1 error (16 checks in 9 scenarios");
    expect(text).toContain("Report: reports/k3f9a/index.html");
    expect(text).not.toContain("\u001b[");
    const failIdx = lines.findIndex((l) => l.includes("ipvlan/l2-basic"));
    const passIdx = lines.findIndex((l) => l.includes("none/loopback-only"));
    expect(failIdx).toBeLessThan(passIdx);
  });

  it("says 1 check in 1 scenario, not 1 checks in 1 scenarios", () => {
    const one = { ...run, scenarios: run.scenarios.slice(0, 1), totals: { ...run.totals, checks: 1, scenarios: 1 } };
    expect(renderSummary(one, { color: false })).toMatch(/\(1 check in 1 scenario, /);
  });

  it("colors only when asked, and cuts lines to the width", () => {
    expect(renderSummary(run, { color: true })).toContain("\u001b[31m");
    const narrow = renderSummary(run, { color: false, width: 60 });
    for (const l of narrow.split("\n").filter((l) => l.startsWith("    "))) expect(l.length).toBeLessThanOrEqual(60);
  });

  it("renders a live check line with status, id, reason and duration", () => {
    const check = run.scenarios[0]!.checks[2]!;
    expect(renderCheckLine(check, { color: false })).toBe(`  ✗ ${check.id}: ${check.reason} 3.12 s`);
    expect(renderCheckLine(run.scenarios[0]!.checks[0]!, { color: false })).toBe("  ✓ bridge/published-port-dnat/external-reaches-published-port 412 ms");
  });

  it("NO_COLOR and non-TTY mean plain", () => {
    expect(shouldColor({ isTTY: true }, {})).toBe(true);
    expect(shouldColor({ isTTY: false }, {})).toBe(false);
    expect(shouldColor({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(shouldColor({ isTTY: false }, { FORCE_COLOR: "1" })).toBe(true);
  });
});
