import { existsSync, mkdtempSync, readFileSync, readlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { realisticRun } from "../../test/fixtures/results/load-fixture.js";
import { writeRunReport } from "./writer.js";

describe("writeRunReport", () => {
  it("writes results.json, junit.xml, index.html and points latest at the run", async () => {
    const base = join(mkdtempSync(join(tmpdir(), "netcheck-writer-")), "reports");
    const run = realisticRun();
    const out = await writeRunReport(run, { baseDir: base, junitPath: join(base, "..", "ci", "junit.xml") });
    expect(out.dir).toBe(join(base, "k3f9a"));
    for (const f of ["results.json", "junit.xml", "index.html"]) expect(existsSync(join(out.dir, f))).toBe(true);
    expect(existsSync(join(base, "..", "ci", "junit.xml"))).toBe(true);
    expect(JSON.parse(readFileSync(join(out.dir, "results.json"), "utf8")).reportDir).toBe(out.dir);
    expect(run.reportDir).toBeUndefined();
    expect(readlinkSync(join(base, "latest"))).toBe("k3f9a");

    // a second run replaces the link
    const second = await writeRunReport({ ...realisticRun(), runId: "zz999" }, { baseDir: base, html: false });
    expect(readlinkSync(join(base, "latest"))).toBe("zz999");
    expect(existsSync(join(second.dir, "index.html"))).toBe(false);
    expect(readFileSync(join(base, "latest", "results.json"), "utf8")).toContain(`"runId": "zz999"`);
  });
});
