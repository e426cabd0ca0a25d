import { describe, expect, it } from "vitest";
import { combinations, formatSweep, parseSweeps, runPool, SweepInputError } from "../../src/replay/sweep.ts";
import { delay } from "../helpers/wait.ts";

const KNOWN = ["FAST_SCALP_MAX_SPREAD_PIPS", "MICRO_UNITS"];

describe("sweep settings", () => {
  it("parses NAME=v1,v2 and makes every combination, the first setting varying slowest", () => {
    const specs = parseSweeps(["FAST_SCALP_MAX_SPREAD_PIPS=1.0,1.1,1.2", "MICRO_UNITS=5000,10000"], KNOWN);
    expect(combinations(specs)).toEqual([
      { FAST_SCALP_MAX_SPREAD_PIPS: "1.0", MICRO_UNITS: "5000" }, { FAST_SCALP_MAX_SPREAD_PIPS: "1.0", MICRO_UNITS: "10000" },
      { FAST_SCALP_MAX_SPREAD_PIPS: "1.1", MICRO_UNITS: "5000" }, { FAST_SCALP_MAX_SPREAD_PIPS: "1.1", MICRO_UNITS: "10000" },
      { FAST_SCALP_MAX_SPREAD_PIPS: "1.2", MICRO_UNITS: "5000" }, { FAST_SCALP_MAX_SPREAD_PIPS: "1.2", MICRO_UNITS: "10000" },
    ]);
  });

  it("refuses what it cannot run, naming the problem", () => {
    for (const [args, msg] of [
      [["FAST_SCALP_MAX_SPREAD"], /expected NAME=value1,value2/],
      [["NOT_A_SETTING=1"], /NOT_A_SETTING: not a sekisho setting/],
      [["MICRO_UNITS=1", "MICRO_UNITS=2"], /given twice/],
      [["MICRO_UNITS=1,,2"], /an empty value/],
    ] as const) {
      expect(() => parseSweeps(args, KNOWN)).toThrow(SweepInputError);
      expect(() => parseSweeps(args, KNOWN)).toThrow(msg);
    }
  });

  it("runs at most `concurrency` at once and returns results in the items' order, whatever finishes first", async () => {
    let running = 0, most = 0;
    const out = await runPool([50, 10, 30, 0, 20], 2, async (ms, i) => {
      running++;
      most = Math.max(most, running);
      await delay(ms);
      running--;
      return i;
    });
    expect(out).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
  });

  it("prints one fixed-width table", () => {
    const row = (v: string, realized: number) => ({ settings: { MICRO_UNITS: v }, fills: 3, trades: 2, winRate: 0.5, profitFactor: 1.5, realized, endNav: 500_000 + realized, maxDrawdown: 10, maxUsage: 0.2, fillsOverBudget: 0 });
    const text = formatSweep({ input: "ticks.csv", names: ["MICRO_UNITS"], rows: [row("5000", 12.5), row("10000", -3)] });
    const lines = text.split("\n");
    expect(lines[0]).toBe("sekisho replay sweep: 2 runs on ticks.csv");
    expect(lines[2]).toMatch(/^MICRO_UNITS\s+fills\s+trades\s+win rate\s+profit factor\s+realized P\/L/);
    expect(lines[4]).toMatch(/^5000\s+3\s+2\s+50\.0%\s+1\.50\s+12\.50\s+500,012\.50\s+10\.00\s+20\.0%\s+0$/);
    expect(lines[5]).toContain("-3.00");
  });
});
