import { describe, expect, it } from "vitest";
import { resolveParent, slotLetters, type StartedSegment } from "./segment.js";
import { TopologyBuilder } from "./topology.js";

describe("segment naming", () => {
  it("turns every bridge-name slot into a distinct, letters-only namespace role", () => {
    const slots = [..."0123456789abcdefghijklmnopqrst"];
    const roles = slots.map(slotLetters);
    expect(new Set(roles).size).toBe(slots.length);
    for (const r of roles) expect(r).toMatch(/^[a-z]{2}$/);
    expect(slotLetters("0")).toBe("aa");
    expect(slotLetters("t")).toBe("bd");
  });
});

describe("resolveParent", () => {
  const topo = new TopologyBuilder();
  const seg = topo.segment("lan");
  const started = new Map([["lan", { name: "lan", link: "netcheck-ab12c3", subnet: "10.213.7.0/24" } as StartedSegment]]);

  it("maps a segment to its link and keeps the other driver options", () => {
    const net = topo.network("a", { driver: "macvlan", parent: seg, options: { macvlan_mode: "vepa" } });
    const r = resolveParent(net, started);
    expect(r.link).toBe("netcheck-ab12c3");
    expect(r.options).toEqual({ macvlan_mode: "vepa", parent: "netcheck-ab12c3" });
    expect(r.segment?.subnet).toBe("10.213.7.0/24");
  });

  it("passes a literal parent through, and options.parent as written", () => {
    expect(resolveParent(topo.network("b", { driver: "macvlan", parent: "netcheck-x" }), started)).toMatchObject({ link: "netcheck-x", options: { parent: "netcheck-x" } });
    expect(resolveParent(topo.network("c", { driver: "ipvlan", options: { parent: "eth1.20" } }), started)).toEqual({ link: "eth1.20", options: { parent: "eth1.20" } });
    expect(resolveParent(topo.network("d"), started).link).toBeUndefined();
  });

  it("refuses a segment that is not part of the started lab", () => {
    const other = new TopologyBuilder().segment("elsewhere");
    expect(() => resolveParent(topo.network("e", { driver: "macvlan", parent: other }), started)).toThrow(/parent segment "elsewhere" is not declared/);
  });
});

describe("TopologyBuilder segments and routers", () => {
  it("rejects duplicates and routers over undeclared segments", () => {
    const t = new TopologyBuilder();
    const a = t.segment("a");
    expect(() => t.segment("a")).toThrow(/declared twice/);
    expect(() => t.router("r", [a, new TopologyBuilder().segment("b")])).toThrow(/segment "b" is not declared/);
    expect(t.router("r", [a]).segments).toEqual([a]);
  });
});
