import { afterAll, describe, expect, it } from "vitest";
import { resolveScenarios, loadFile } from "../../src/scenario/loader.js";
import { runScenarios } from "../../src/scenario/runner.js";
import type { RunResult } from "../../src/report/model.js";
import { leftovers } from "../support/leftovers.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const reportsRoot = mkdtempSync(join(tmpdir(), "netcheck-modes-"));
afterAll(() => rmSync(reportsRoot, { recursive: true, force: true }));

/** Every check that did not pass, except one skipped only because it states another engine release's behaviour. */
function failures(r: RunResult): string[] {
  const otherEngine = (c: RunResult["scenarios"][number]["checks"][number]) => c.status === "skip" && /^expectation for Docker .*; this engine is /.test(c.reason ?? "");
  return r.scenarios.flatMap((s) => s.checks.filter((c) => c.status !== "pass" && !otherEngine(c)).map((c) => `${c.id}: ${c.status} ${c.reason ?? ""}`));
}

describe("the five single-host modes on the real engine", () => {
  let result: RunResult;

  it("pass every check, with evidence, and leave nothing behind", async () => {
    const scenarios = await resolveScenarios(["bridge", "host", "none", "container", "user-defined"], false);
    expect(scenarios.map((s) => s.mode)).toEqual(expect.arrayContaining(["bridge", "host", "none", "container", "user-defined"]));
    // bridge/ipv6 runs on a dind host of its own: test/integration/ipv6-dind.test.ts runs it with its wrong twin.
    result = await runScenarios({ scenarios, reportsRoot, concurrency: 2, skip: ["perf", "nat", "capture", "^bridge/ipv6/"] });
    expect(failures(result)).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.totals.pass).toBeGreaterThanOrEqual(35);
    for (const s of result.scenarios) {
      expect(s.topology?.nodes.length, s.id).toBeGreaterThan(0);
      // A check skipped for another engine release ran nothing: its reason (checked above) is all it has.
      for (const c of s.checks) if (c.status !== "skip") expect(c.evidence.length, c.id).toBeGreaterThan(0);
    }
    expect(await leftovers(result.runId)).toEqual([]);
  });

  it("records the engine, kernel and iptables backend", () => {
    expect(result.host.engine?.version).toMatch(/\d+\.\d+/);
    expect(result.host.kernel).toMatch(/\d+\.\d+/);
    expect(["nft", "legacy"]).toContain(result.host.iptablesBackend);
  });

  it("the IPv6 checks ran next to the v4 ones, over v6 addresses of the lab's range", () => {
    const v6 = result.scenarios.find((s) => s.id === "user-defined/ipv6")!;
    expect(v6.status).toBe("pass");
    expect(v6.checks.length).toBeGreaterThanOrEqual(13);
    const icmp = v6.checks.find((c) => c.name === "a-reaches-b-icmp-v6")!.evidence.find((e) => e.kind === "command");
    expect(icmp && icmp.kind === "command" ? icmp.command.join(" ") : "").toMatch(/^busybox ping -6 .* fd6e:[0-9a-f:]+$/);
    expect(v6.checks.find((c) => c.name === "a-resolves-b-aaaa")!.reason).toMatch(/resolved to fd6e:[0-9a-f:]+ by 127\.0\.0\.11/);
  });

  it("every container's resolver is the lab's DNS, never the host's", () => {
    const ud = result.scenarios.find((s) => s.id === "user-defined/basic")!;
    const dnsCheck = ud.checks.find((c) => c.name === "a-resolves-lab-names-through-embedded-dns")!;
    const resolv = dnsCheck.evidence.find((e) => e.kind === "command" && e.command.join(" ") === "cat /etc/resolv.conf");
    expect(resolv && resolv.kind === "command" ? resolv.stdout : "").toMatch(/nameserver 127\.0\.0\.11/);
    const bridge = result.scenarios.find((s) => s.id === "bridge/default")!;
    const ev = bridge.checks.find((c) => c.name === "a-resolves-lab-names-through-lab-dns")!.evidence.find((e) => e.kind === "command" && e.command[0] === "cat");
    expect(ev && ev.kind === "command" ? ev.stdout : "").toMatch(/nameserver 198\.(18|19)\./);
  });
});

describe("expectations that are wrong must fail", () => {
  it("a scenario expecting names to resolve on the default bridge fails, with the NXDOMAIN as evidence", async () => {
    const scenarios = await loadFile("test/fixtures/scenarios/wrong-default-bridge-dns.ts");
    const r = await runScenarios({ scenarios, reportsRoot });
    expect(r.exitCode).toBe(1);
    const checks = r.scenarios[0]!.checks;
    expect(checks.map((c) => c.status)).toEqual(["fail", "fail"]);
    expect(checks[0]!.reason).toMatch(/"b" did not resolve/);
    expect(checks[1]!.reason).toMatch(/a → b at b \(icmp\) must connect, but: dns-failure/);
    expect(await leftovers(r.runId)).toEqual([]);
  });

  it("a probe aimed outside the lab is refused before anything is sent", async () => {
    const scenarios = await loadFile("test/fixtures/scenarios/unsafe-target.ts");
    const r = await runScenarios({ scenarios, reportsRoot });
    const [check, v6, linkLocal] = r.scenarios[0]!.checks;
    expect(check!.status).toBe("fail");
    expect(check!.reason).toMatch(/Refusing to send traffic to 192\.0\.2\.1/);
    expect(check!.evidence).toEqual([]);
    expect(v6!.reason).toMatch(/Refusing to send traffic to fd00::1/);
    expect(linkLocal!.reason).toMatch(/Refusing to send traffic to fe80::1%eth0/);
    expect([v6!.evidence, linkLocal!.evidence]).toEqual([[], []]);
    expect(await leftovers(r.runId)).toEqual([]);
  });
});
