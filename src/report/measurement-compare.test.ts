import { describe, expect, it } from "vitest";
import { compareMeasurements, higherIsBetter, pooledStddev } from "./measurement-compare.js";

describe("compareMeasurements", () => {
  it("pooled stddev of two equal-spread samples is that spread", () => {
    expect(pooledStddev([1, 2, 3], [11, 12, 13])).toBeCloseTo(1, 10);
  });

  it("with noisy samples the allowance is 2 x pooled stddev, above 5%", () => {
    const a = [90, 100, 110]; // sd 10
    const cmp = compareMeasurements({ value: 100, samples: a }, { value: 85, samples: [75, 85, 95] }, true);
    expect(cmp.allowance).toBeCloseTo(20, 6);
    expect(cmp.regression).toBe(false);
    expect(compareMeasurements({ value: 100, samples: a }, { value: 70, samples: [60, 70, 80] }, true).regression).toBe(true);
  });

  it("with tight samples the 5% floor applies", () => {
    const cmp = compareMeasurements({ value: 100, samples: [100, 100, 100] }, { value: 96, samples: [96, 96, 96] }, true);
    expect(cmp.allowance).toBeCloseTo(5, 6);
    expect(cmp.regression).toBe(false);
    expect(compareMeasurements({ value: 100, samples: [100, 100, 100] }, { value: 94, samples: [94, 94, 94] }, true).regression).toBe(true);
  });

  it("knows which way is better", () => {
    expect(higherIsBetter({ metric: "tcp throughput", unit: "bps" })).toBe(true);
    expect(higherIsBetter({ metric: "tcp connect", unit: "ms" })).toBe(false);
    expect(higherIsBetter({ metric: "odd", unit: "ms", better: "higher" })).toBe(true);
  });
});
