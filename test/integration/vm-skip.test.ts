import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadFile, resolveScenarios } from "../../src/scenario/loader.js";
import { runScenarios } from "../../src/scenario/runner.js";
import { projectRoot } from "../../src/util/version.js";
import { leftovers } from "../support/leftovers.js";

const reportsRoot = mkdtempSync(join(tmpdir(), "netcheck-vm-skip-"));
afterAll(() => rmSync(reportsRoot, { recursive: true, force: true }));

/**
 * On the local single-host lab (no ipvlan, no 8021q, one Docker host) the VM
 * scenarios must be skipped — every check — with the probed reason: neither a
 * crash nor a pass. Cheap: nothing is brought up.
 */
describe("ipvlan and macvlan-over-802.1q on the local lab (overlay runs on dind hosts: dind-overlay.test.ts)", () => {
  it("skip every check with the kernel's and the lab's own reasons", async () => {
    const scenarios = [
      ...(await resolveScenarios(["ipvlan"], false)).filter((s) => !s.id.includes("fixture")),
      ...(await loadFile(join(projectRoot(), "scenarios", "macvlan", "vlan-8021q.ts"))),
    ];
    expect(scenarios.map((s) => s.id).sort()).toEqual(["ipvlan/l2", "ipvlan/l3", "macvlan/vlan-8021q"]);
    const result = await runScenarios({ scenarios, reportsRoot });
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    const kernelHas = async (kind: string) => (await import("execa")).execa("sh", ["-c", `ip netns add netcheck-vmskip && ip -n netcheck-vmskip link add d0 type veth peer name d1 && ip -n netcheck-vmskip link add t0 link d0 type ${kind} ${kind === "vlan" ? "id 5" : ""}; rc=$?; ip netns del netcheck-vmskip; exit $rc`], { reject: false });
    const ipvlan = (await kernelHas("ipvlan")).exitCode === 0;
    const vlan = (await kernelHas("vlan")).exitCode === 0;
    for (const s of result.scenarios) {
      expect(s.status, s.id).toBe("skip");
      expect(s.checks.length, s.id).toBeGreaterThan(0);
      for (const c of s.checks) expect(c.status, c.id).toBe("skip");
      expect(s.reason, s.id).toContain("netcheck vm up");
    }
    const reason = (id: string) => result.scenarios.find((s) => s.id === id)!.reason!;
    // The kernel's config and its own answer to `ip link add`, both quoted.
    if (!ipvlan) expect(reason("ipvlan/l2")).toMatch(/kernel\.ipvlan on local: ipvlan: unavailable, CONFIG_IPVLAN not set; `ip link add \S+ link nc0 type ipvlan mode l2` → .+/);
    if (!vlan) expect(reason("macvlan/vlan-8021q")).toMatch(/kernel\.8021q on local: 8021q: unavailable, CONFIG_VLAN_8021Q not set; `ip link add \S+ link nc0 type vlan id 10` → /);
    expect(await leftovers(result.runId)).toEqual([]);
  });
});
