import { describe, expect, it } from "vitest";
import { compileSelection } from "./select.js";

describe("compileSelection", () => {
  const ids = ["bridge/default/a-reaches-b-icmp", "bridge/default/a-cannot-resolve-b", "host/basic/interfaces", "user-defined/basic/a-resolves-b"];
  const pick = (only?: string[], skip?: string[]) => ids.filter(compileSelection({ only, skip }));

  it("selects everything without patterns", () => expect(pick()).toEqual(ids));
  it("ORs --only patterns", () => expect(pick(["^host/", "resolves"])).toEqual([ids[2], ids[3]]));
  it("removes --skip matches", () => expect(pick(undefined, ["resolve"])).toEqual([ids[0], ids[2]]));
  it("negates with !", () => expect(pick(["!^bridge/"])).toEqual([ids[2], ids[3]]));
  it("negated skip keeps only matches", () => expect(pick(undefined, ["!default"])).toEqual([ids[0], ids[1]]));
  it("reports bad regexes by pattern", () => expect(() => compileSelection({ only: ["(x"] })).toThrow(/invalid pattern "\(x"/));
});
