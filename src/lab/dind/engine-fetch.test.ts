import { describe, expect, it } from "vitest";
import { engineLine, ensureEngineRoot } from "./engine-fetch.js";

describe("dind engine versions", () => {
  it("names engine lines by major.minor", () => {
    expect(engineLine("26.1.5+dfsg1")).toBe("26.1");
    expect(engineLine("20.10")).toBe("20.10");
  });
  it("the host's own line needs nothing fetched; an unknown one is refused with the known ones", async () => {
    await expect(ensureEngineRoot("20.10", "20.10.24+dfsg1")).resolves.toBeUndefined();
    await expect(ensureEngineRoot("19.03", "20.10.24+dfsg1")).rejects.toThrow(/knows 26\.1 from Debian/);
  });
});
