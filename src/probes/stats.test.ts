import { describe, expect, it } from "vitest";
import {
  describeSamples,
  formatBitRate,
  formatMs,
  mean,
  parseBitRate,
  parseDurationMs,
  parsePercent,
  percentile,
  stddev,
  summarizeRepeats,
} from "./stats.js";

describe("percentile (nearest rank)", () => {
  const oneToTen = [7, 3, 10, 1, 5, 2, 9, 4, 8, 6];
  it("returns observed samples at rank ceil(p·n)", () => {
    expect(percentile(oneToTen, 50)).toBe(5);
    expect(percentile(oneToTen, 90)).toBe(9);
    expect(percentile(oneToTen, 91)).toBe(10);
    expect(percentile(oneToTen, 0)).toBe(1);
    expect(percentile(oneToTen, 100)).toBe(10);
  });
  it("does not reorder its input, and rejects nonsense", () => {
    const copy = [...oneToTen];
    percentile(copy, 50);
    expect(copy).toEqual(oneToTen);
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});

describe("mean and sample stddev", () => {
  it("match a worked example", () => {
    const v = [2, 4, 4, 4, 5, 5, 7, 9];
    expect(mean(v)).toBe(5);
    // Σ(x−5)² = 32, /(n−1)=7 → √(32/7)
    expect(stddev(v)).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(stddev([3])).toBe(0);
  });
  it("describeSamples is undefined without samples", () => {
    expect(describeSamples([])).toBeUndefined();
    expect(describeSamples([0.2, 0.1, 0.3])).toMatchObject({ n: 3, min: 0.1, max: 0.3, p50: 0.2, p99: 0.3 });
  });
});

describe("summarizeRepeats", () => {
  it("gives spread and coefficient of variation", () => {
    const s = summarizeRepeats([398e6, 412e6, 430e6]);
    expect(s).toMatchObject({ n: 3, min: 398e6, max: 430e6, median: 412e6 });
    expect(s.cv).toBeCloseTo(s.stddev / s.mean, 12);
    expect(summarizeRepeats([5]).cv).toBe(0);
    expect(() => summarizeRepeats([])).toThrow(RangeError);
  });
});

describe("formatting", () => {
  it("bit rates with SI prefixes and 3 significant digits", () => {
    expect(formatBitRate(941e6)).toBe("941 Mbit/s");
    expect(formatBitRate(23_150_810_972)).toBe("23.2 Gbit/s");
    expect(formatBitRate(999.6e6)).toBe("1 Gbit/s");
    expect(formatBitRate(1500)).toBe("1.5 kbit/s");
    expect(formatBitRate(12)).toBe("12 bit/s");
  });
  it("durations switch to µs below a millisecond", () => {
    expect(formatMs(0.052)).toBe("52 µs");
    expect(formatMs(2.5)).toBe("2.5 ms");
    expect(formatMs(1234)).toBe("1.23 s");
    expect(formatMs(0)).toBe("0 ms");
  });
});

describe("parsing human units", () => {
  it.each([
    ["1 Gbit/s", 1e9],
    ["500 Mbit/s", 5e8],
    ["500Mbps", 5e8],
    ["2.5 gbit/s", 2.5e9],
    ["940 Mb/s", 9.4e8],
    ["100", 100],
  ])("bit rate %s", (text, bps) => expect(parseBitRate(text)).toBeCloseTo(bps, 3));
  it("refuses bytes and garbage rather than guessing", () => {
    expect(parseBitRate("1 GB/s")).toBeUndefined();
    expect(parseBitRate("100 MBps")).toBeUndefined();
    expect(parseBitRate("fast")).toBeUndefined();
    expect(parseBitRate(-1)).toBeUndefined();
  });
  it.each([
    ["2 ms", 2],
    ["150us", 0.15],
    ["150 µs", 0.15],
    ["1.5s", 1500],
    ["500ns", 0.0005],
    [3, 3],
  ])("duration %s", (text, ms) => expect(parseDurationMs(text)).toBeCloseTo(ms, 9));
  it("percent", () => {
    expect(parsePercent("1%")).toBe(1);
    expect(parsePercent("0.5 %")).toBe(0.5);
    expect(parsePercent("1 ms")).toBeUndefined();
    expect(parseDurationMs("2 parsecs")).toBeUndefined();
  });
});
