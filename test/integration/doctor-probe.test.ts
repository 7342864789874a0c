import { describe, expect, it } from "vitest";
import { runDoctorProbe } from "../../src/cli/doctor-probe.js";
import { leftovers } from "../support/leftovers.js";

describe("doctor --probe", () => {
  it("runs egress, DNS and published-port checks on a throwaway lab, all ok here, and leaves nothing", async () => {
    const before = await leftovers();
    const findings = await runDoctorProbe(AbortSignal.timeout(180_000));
    expect(findings.map((f) => f.id).sort()).toEqual([
      "probe/dns-upstream-from-default-bridge",
      "probe/egress-from-default-bridge",
      "probe/egress-from-user-defined-network",
      "probe/embedded-dns-on-user-defined-network",
      "probe/published-port-from-outside",
    ]);
    for (const f of findings) {
      expect(f.status, `${f.id}: ${f.title}`).toBe("ok");
      expect(f.evidence.length, f.id).toBeGreaterThan(0);
    }
    expect(await leftovers()).toEqual(before);
  });
});
