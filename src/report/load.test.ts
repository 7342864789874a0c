import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REALISTIC_RUN_PATH } from "../../test/fixtures/results/load-fixture.js";
import { parseRunResult, readRunResult, ResultsFileError } from "./load.js";

describe("parseRunResult / readRunResult", () => {
  it("reads the fixture", async () => {
    expect((await readRunResult(REALISTIC_RUN_PATH)).runId).toBe("k3f9a");
  });

  it("says clearly when a file is not a netcheck results file", () => {
    expect(() => parseRunResult("{not json", "x.json")).toThrow(/x.json is not a netcheck results file: it is not valid JSON/);
    expect(() => parseRunResult(`{"name":"package"}`, "package.json")).toThrow(ResultsFileError);
    expect(() => parseRunResult(`{"schemaVersion":99,"tool":{"name":"netcheck"}}`, "new.json")).toThrow(/schema version 99; this netcheck reads version 1/);
  });

  it("reports a missing file with the path and a hint", async () => {
    const dir = mkdtempSync(join(tmpdir(), "netcheck-load-"));
    await expect(readRunResult(join(dir, "nope.json"))).rejects.toMatchObject({ code: "NETCHECK_RESULTS_FILE" });
    writeFileSync(join(dir, "results.json"), "[]");
    await expect(readRunResult(dir)).rejects.toThrow(/results.json is not a netcheck results file/);
  });
});
