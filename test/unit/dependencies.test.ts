import { execa } from "execa";
import { describe, expect, it } from "vitest";

describe("module boundaries", () => {
  it("src/ respects the layering in .dependency-cruiser.cjs (cli → run/doctor → scenario → lab/probes/capture → engine → host → util; pure pcap/report/assert)", async () => {
    const res = await execa("npx", ["depcruise", "src", "--config", ".dependency-cruiser.cjs", "--output-type", "err"], { reject: false });
    expect(res.stdout + res.stderr).toContain("no dependency violations found");
    expect(res.exitCode).toBe(0);
  }, 120_000);
});
