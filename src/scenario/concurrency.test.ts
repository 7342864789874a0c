import { describe, expect, it } from "vitest";
import { negative } from "./check-order.js";
import { concurrencyFor, expectedCost, longestFirst } from "./concurrency.js";
import { declare, type CheckDecl } from "./define.js";
import { loadBuiltin } from "./loader.js";

describe("concurrencyFor", () => {
  it("is twice the CPUs both the machine and the engine have, capped at 8", () => {
    expect(concurrencyFor({ localCpus: 2, engineCpus: 2, foreignContainers: 0 })).toBe(4);
    expect(concurrencyFor({ localCpus: 16, engineCpus: 16, foreignContainers: 0 })).toBe(8);
    expect(concurrencyFor({ localCpus: 16, engineCpus: 1, foreignContainers: 0 })).toBe(2);
    expect(concurrencyFor({ localCpus: 4, engineCpus: 0, foreignContainers: 0 })).toBe(8);
  });

  it("shrinks when the engine is busy with other labs, never below 2", () => {
    expect(concurrencyFor({ localCpus: 2, engineCpus: 2, foreignContainers: 8 })).toBe(3);
    expect(concurrencyFor({ localCpus: 2, engineCpus: 2, foreignContainers: 200 })).toBe(2);
  });
});

describe("longestFirst", () => {
  it("starts the built-in scenarios with docker-in-docker hosts first, the rest in declared order", async () => {
    const all = await loadBuiltin();
    const declared = all.map((s) => ({ id: s.id, ...declare(s) }));
    const ordered = longestFirst(declared);
    const dind = declared.filter((d) => d.topology.dockerHosts.length > 0).map((d) => d.id);
    expect(dind).toEqual(expect.arrayContaining(["overlay/swarm", "daemon/icc-false", "daemon/mtu"]));
    expect(ordered.slice(0, dind.length).map((d) => d.id).sort()).toEqual([...dind].sort());
    // The two-host overlay outweighs any one-host daemon scenario.
    expect(ordered[0]!.id).toBe("overlay/swarm");
    expect(ordered).toHaveLength(declared.length);
    expect(new Set(ordered)).toEqual(new Set(declared));
  }, 60_000); // imports every built-in scenario file

  it("is stable for equal costs and counts positives one by one, negatives once", () => {
    const shape = (dockerHosts: number, nodes: number, checks: boolean[]) => ({
      topology: { dockerHosts: Array(dockerHosts).fill({}), nodes: Array(nodes).fill({}), segments: [], routers: [] },
      checks: checks.map((neg, i) => (neg ? negative({ name: `n${i}` } as CheckDecl) : ({ name: `p${i}` } as CheckDecl))),
    });
    const manyNegatives = shape(0, 2, [false, true, true, true, true, true]);
    const manyPositives = shape(0, 2, [false, false, false, false]);
    expect(expectedCost(manyNegatives)).toBe(2 + 1 + 1);
    expect(expectedCost(manyPositives)).toBe(2 + 4);
    const a = shape(0, 1, [false]);
    const b = shape(0, 1, [false]);
    const dind = shape(1, 1, [false]);
    expect(longestFirst([a, manyNegatives, b, dind, manyPositives])).toEqual([dind, manyPositives, manyNegatives, a, b]);
  });
});
