import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createDoctorCommand } from "../../src/cli/commands/doctor.js";
import type { DoctorReport } from "../../src/doctor/index.js";

async function runCli(args: string[], deps: Parameters<typeof createDoctorCommand>[0] = {}) {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = "";
  let stderr = "";
  out.on("data", (c: Buffer) => (stdout += c.toString()));
  err.on("data", (c: Buffer) => (stderr += c.toString()));
  const code = await createDoctorCommand(deps).run(args, { stdout: out, stderr: err, signal: AbortSignal.timeout(60_000), argv: ["doctor", ...args] });
  return { code, stdout, stderr };
}

describe("netcheck doctor CLI on this host (read-only)", () => {
  it("--json prints the stable schema and the exit code follows the fails", async () => {
    const { code, stdout } = await runCli(["--json"]);
    const report = JSON.parse(stdout) as DoctorReport;
    expect(report.schemaVersion).toBe(1);
    expect(Object.keys(report.totals).sort()).toEqual(["fail", "ok", "skip", "warn"]);
    expect(report.findings.length).toBe(report.totals.ok + report.totals.warn + report.totals.fail + report.totals.skip);
    for (const f of report.findings) expect(f.evidence.every((e) => typeof e.source === "string" && typeof e.value === "string")).toBe(true);
    expect(code).toBe(report.totals.fail > 0 ? 1 : 0);
  });

  it("prints findings grouped by area with fixes", async () => {
    const { stdout } = await runCli([]);
    expect(stdout).toMatch(/^engine$/m);
    expect(stdout).toMatch(/^kernel$/m);
    expect(stdout).toMatch(/\d+ fail, \d+ warn, \d+ ok, \d+ skip/);
  });

  it("refuses --fix without a terminal unless --yes, and bad flags, with exit 2", async () => {
    const stdin = Object.assign(new PassThrough(), { isTTY: false });
    const fix = await runCli(["--fix"], { stdin });
    expect(fix.code).toBe(2);
    expect(fix.stderr).toContain("--yes");
    expect((await runCli(["--frobnicate"])).code).toBe(2);
  });

  it("--probe runs the wired hook", async () => {
    const { stdout } = await runCli(["--json", "--probe", "--no-engine"], {
      probe: async () => [{ id: "probe/bridge", area: "network", status: "fail", title: "bridge scenario failed", evidence: [] }],
    });
    const report = JSON.parse(stdout) as DoctorReport;
    expect(report.findings.find((f) => f.id === "probe/bridge")?.status).toBe("fail");
    expect(report.findings.find((f) => f.id === "engine/reachable")?.status).toBe("skip");
  });
});
