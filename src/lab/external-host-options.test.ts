import { describe, expect, it } from "vitest";
import { TopologyBuilder } from "./topology.js";

describe("lab.externalHost() options are validated when declared", () => {
  it("accepts sameLan and TCP ports to listen on, once each", () => {
    const t = new TopologyBuilder();
    t.externalHost({ sameLan: true, listen: [8080, 8080] });
    t.externalHost({ listen: [9000] });
    expect(t.externalRoutesToLab).toBe(true);
    expect(t.externalListen).toEqual([8080, 9000]);
  });
  it("rejects an unknown key, a port out of range and a non-boolean sameLan, naming the field", () => {
    const t = new TopologyBuilder();
    expect(() => t.externalHost({ sameLAN: true } as never)).toThrow(/externalHost\(\).*sameLAN/);
    expect(() => t.externalHost({ listen: [70000] })).toThrow(/listen\[0\]/);
    expect(() => t.externalHost({ sameLan: "yes" } as never)).toThrow(/sameLan/);
  });
});
