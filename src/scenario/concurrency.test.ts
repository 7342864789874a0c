import { describe, expect, it } from "vitest";
import { concurrencyFor } from "./concurrency.js";

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
