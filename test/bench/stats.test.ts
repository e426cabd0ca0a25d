// The bench's arithmetic: quantiles of samples and of a Prometheus histogram between two scrapes,
// and the ratio to goal (a missing figure must never read as a met goal).
import { describe, expect, it } from "vitest";
import { fmtRatio, histogramBuckets, histogramQuantile, quantile, ratioToGoal, table } from "../../bench/figures/stats.ts";

const scrape = (counts: [string, number][]) => counts.map(([le, n]) => `sekisho_tick_to_submit_seconds_bucket{le="${le}"} ${n}`).join("\n");

describe("quantile", () => {
  it("is nearest-rank on the sorted values", () => {
    expect(quantile([5, 1, 4, 2, 3], 0.5)).toBe(3);
    expect(quantile([5, 1, 4, 2, 3], 0.99)).toBe(5);
    expect(quantile([], 0.5)).toBeNaN();
  });
});

describe("histogramQuantile", () => {
  const name = "sekisho_tick_to_submit_seconds";
  const before = histogramBuckets(scrape([["0.00025", 3], ["0.001", 5], ["0.01", 5], ["+Inf", 5]]), name);

  it("reads only the observations made between the two scrapes", () => {
    // 10 new observations: 1 under 250 µs, 7 under 1 ms, 2 under 10 ms.
    const after = histogramBuckets(scrape([["0.00025", 4], ["0.001", 13], ["0.01", 15], ["+Inf", 15]]), name);
    expect(histogramQuantile(before, after, 0.5)).toBe(0.001);
    expect(histogramQuantile(before, after, 0.99)).toBe(0.01);
    expect(histogramQuantile(before, after, 0.1)).toBe(0.00025);
  });

  it("is NaN when nothing was observed, and +Inf past the top bucket", () => {
    expect(histogramQuantile(before, before, 0.5)).toBeNaN();
    const after = histogramBuckets(scrape([["0.00025", 3], ["0.001", 5], ["0.01", 5], ["+Inf", 6]]), name);
    expect(histogramQuantile(before, after, 0.5)).toBe(Number.POSITIVE_INFINITY);
  });

  it("sums a bucket over the histogram's label sets, the +Inf bucket too", () => {
    const series = (worker: string, counts: [string, number][]) => counts.map(([le, n]) => `${name}_bucket{worker="${worker}",le="${le}"} ${n}`).join("\n");
    const text = `${series("fast_scalp", [["0.001", 2], ["+Inf", 3]])}\n${series("micro_multistrat", [["0.001", 1], ["+Inf", 4]])}`;
    expect([...histogramBuckets(text, name).entries()]).toEqual([[0.001, 3], [Number.POSITIVE_INFINITY, 7]]);
  });

  it("ignores other metrics in the scrape", () => {
    const text = `${scrape([["0.001", 2], ["+Inf", 2]])}\nother_seconds_bucket{le="0.001"} 9\nsekisho_tick_to_submit_seconds_count 2`;
    expect([...histogramBuckets(text, name).entries()]).toEqual([[0.001, 2], [Number.POSITIVE_INFINITY, 2]]);
  });
});

describe("ratioToGoal", () => {
  it("is measured/goal for minimums and goal/measured for maximums", () => {
    expect(ratioToGoal({ goal: { value: 200_000, kind: "min", unit: "ticks/s" }, measured: 50_000 })).toBe(0.25);
    expect(ratioToGoal({ goal: { value: 300, kind: "max", unit: "ms" }, measured: 600 })).toBe(0.5);
  });

  it("prints a figure with no samples as not measured, never as met", () => {
    const row = { figure: "p99", goal: { value: 250, kind: "max" as const, unit: "µs" }, measured: Number.NaN, note: "0 orders" };
    expect(ratioToGoal(row)).toBeNaN();
    expect(fmtRatio(ratioToGoal(row))).toBe("—");
    expect(table([row])).toContain("| not measured | — |");
  });

  it("prints a figure given for comparison with no goal and no ratio, never as met", () => {
    const row = { figure: "cold insert", goal: { value: 250, kind: "none" as const, unit: "µs" }, measured: 48, note: "p50" };
    expect(ratioToGoal(row)).toBeNaN();
    expect(table([row])).toContain("| cold insert | — | 48.0 µs | — | p50 |");
  });
});
