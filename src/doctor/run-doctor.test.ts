import { describe, expect, it } from "vitest";
import { FakeHost } from "../../test/fixtures/doctor/fake-host.js";
import { applyFixes } from "./apply-fixes.js";
import { probeKernelFeature } from "../lab/kernel-features.js";
import { doctorExitCode, runDoctor } from "./run-doctor.js";
import type { DoctorCheck, Finding } from "./types.js";

const ok = (id: string, area: Finding["area"]): Finding => ({ id, area, status: "ok", title: id, evidence: [] });

describe("runDoctor", () => {
  it("turns a throwing check into a skip, sorts by area, totals, exit code", async () => {
    const checks: DoctorCheck[] = [
      { id: "dns", area: "dns", title: "dns", run: async () => [ok("dns/a", "dns")] },
      { id: "boom", area: "firewall", title: "Boom", run: async () => { throw new Error("iptables exploded"); } },
      { id: "eng", area: "engine", title: "eng", run: async () => [{ ...ok("engine/x", "engine"), status: "fail" }] },
    ];
    const r = await runDoctor({ host: new FakeHost(), checks });
    expect(r.schemaVersion).toBe(1);
    expect(r.findings.map((f) => f.id)).toEqual(["engine/x", "boom/error", "dns/a"]);
    expect(r.findings[1]).toMatchObject({ status: "skip", title: expect.stringContaining("iptables exploded") });
    expect(r.totals).toEqual({ ok: 1, warn: 0, fail: 1, skip: 1 });
    expect(doctorExitCode(r)).toBe(1);
  });
  it("times a hung check out as a skip", async () => {
    const hang: DoctorCheck = { id: "hang", area: "kernel", title: "Hang", run: () => new Promise(() => undefined) };
    const r = await runDoctor({ host: new FakeHost(), checks: [hang], checkTimeoutMs: 50 });
    expect(r.findings[0]).toMatchObject({ id: "hang/error", status: "skip" });
    expect(doctorExitCode(r)).toBe(0);
  });
  it("runs the --probe hook when given", async () => {
    const r = await runDoctor({ host: new FakeHost(), checks: [], probe: async () => [ok("probe/bridge", "network")] });
    expect(r.findings.map((f) => f.id)).toEqual(["probe/bridge"]);
  });
});

describe("applyFixes", () => {
  const finding: Finding = {
    ...ok("sysctl/x", "sysctl"),
    status: "fail",
    fixAction: { describe: "two steps", commands: [["step", "1"], ["step", "2"]], undo: [["undo", "1"], ["undo", "2"]] },
  };
  it("asks, and rolls back the steps already run when one fails", async () => {
    const host = new FakeHost({ "step 1": "", "undo 1": "" });
    const [o] = await applyFixes(host, [finding], async () => true);
    expect(o?.status).toBe("failed");
    expect(host.ran).toEqual([["step", "1"], ["step", "2"], ["undo", "1"]]);
  });
  it("does nothing when declined", async () => {
    const host = new FakeHost();
    const [o] = await applyFixes(host, [finding], async () => false);
    expect(o?.status).toBe("declined");
    expect(host.ran).toEqual([]);
  });
});

describe("probeKernelFeature without namespace privileges", () => {
  it("falls back to the kernel config and says so", async () => {
    const host = new FakeHost({ "zcat /proc/config.gz": "# CONFIG_IPVLAN is not set\nCONFIG_MACVLAN=m\n", "ip netns add": { exitCode: 1, stderr: "Operation not permitted" } });
    const ipvlan = await probeKernelFeature(host, "ipvlan");
    expect(ipvlan).toMatchObject({ available: false, method: "config", reason: "ipvlan: unavailable, CONFIG_IPVLAN not set" });
    expect(await probeKernelFeature(host, "macvlan")).toMatchObject({ available: true, method: "config" });
    // Cached per host: the second call for ipvlan runs nothing new.
    const before = host.ran.length;
    await probeKernelFeature(host, "ipvlan");
    expect(host.ran.length).toBe(before);
  });
});

describe("renderDoctorText", () => {
  it("puts what is wrong and what to do first, fails before warnings, details after", async () => {
    const { renderDoctorText } = await import("./render-text.js");
    const checks: DoctorCheck[] = [
      { id: "a", area: "engine", title: "a", run: async () => [{ ...ok("engine/w", "engine"), status: "warn", title: "a warning", fix: "do the warn fix" }] },
      { id: "b", area: "ports", title: "b", run: async () => [{ ...ok("ports/f", "ports"), status: "fail", title: "a failure", fix: "do the fail fix" }, ok("ports/o", "ports")] },
    ];
    const text = renderDoctorText(await runDoctor({ host: new FakeHost(), checks }));
    const at = (s: string) => text.indexOf(s);
    expect(text.split("\n")[0]).toMatch(/1 fail, 1 warn, 1 ok, 0 skip/);
    expect(at("FAIL a failure")).toBeLessThan(at("WARN a warning"));
    expect(at("→ do the fail fix")).toBeLessThan(at("details"));
    expect(at("details")).toBeLessThan(at("\nports\n"));
    const clean = renderDoctorText(await runDoctor({ host: new FakeHost(), checks: [{ id: "c", area: "dns", title: "c", run: async () => [ok("dns/c", "dns")] }] }));
    expect(clean).toContain("nothing wrong found");
  });
});
