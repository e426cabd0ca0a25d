// Walk-forward without look-ahead, with the real replay as the scorer: whatever the prices after
// the split point are, the in-sample scores and the choice are the same. And the scorecard is
// deterministic: the same data gives the same numbers.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.ts";
import { evaluateSubject, scoreWindow, betterInSample, type EvaluateOptions } from "../../src/evaluate/run.ts";
import { subjects } from "../../src/evaluate/subjects.ts";
import { chooseInSample, splitAt } from "../../src/evaluate/walk-forward.ts";
import { shapeOf, type DataSet } from "../../src/evaluate/dataset.ts";
import type { ReplayTick } from "../../src/marketdata/ticks.ts";
import { buildTicks, LEGS, source } from "./fixture.ts";

const opts: EvaluateOptions = { configFor: (s) => parseConfig({ LOG_LEVEL: "silent", ...s }).config, walkForward: 0.6, minTrades: 1 };
const fast = subjects().find((s) => s.name === "fast_scalp")!;
const dataSet = (ticks: ReplayTick[]): DataSet => ({ spec: "fixture", label: "fixture", instrument: "USD_JPY", source: source(ticks), shape: shapeOf(ticks) });

async function inSampleChoice(ticks: ReplayTick[]) {
  const ds = dataSet(ticks);
  const split = splitAt(ticks[0]!.time, ticks[ticks.length - 1]!.time, 0.6);
  const grid = fast.grid(opts.configFor(fast.settings));
  const r = await chooseInSample(grid, split.inSample, (c, w) => scoreWindow(ds, fast, c.settings, w, opts), betterInSample(1));
  return { split: split.at, chosen: r.chosen.candidate.label, tried: r.tried.map((t) => [t.candidate.label, t.score]) };
}

describe("the grids", () => {
  it("each subject's grid tries its own parameters: the settings in force first, every candidate a distinct valid configuration", () => {
    const base = opts.configFor({ MICRO_STRATEGY_PARAMS: "range_break.maxWidthAtr=5" });
    for (const s of subjects().filter((x) => x.name !== "all")) {
      const grid = s.grid(base);
      expect(grid.length, s.name).toBeGreaterThanOrEqual(4);
      expect(new Set(grid.map((c) => JSON.stringify(c.settings))).size, s.name).toBe(grid.length);
      for (const c of grid) expect(() => opts.configFor({ ...s.settings, ...c.settings }), `${s.name} ${c.label}`).not.toThrow();
      // Beyond take-profit and stop-loss: the strategy's own parameters vary.
      const own = new Set(grid.map((c) => JSON.stringify(Object.entries(c.settings).filter(([k]) => !/_(TP|SL)_PIPS$/.test(k)))));
      expect(own.size, s.name).toBeGreaterThanOrEqual(2);
    }
    // The first candidate is what is in force, the user's own parameters included.
    const rb = subjects().find((x) => x.name === "micro:range_break")!.grid(base)[0]!;
    expect(rb.settings).toEqual({ MICRO_STRATEGY_PARAMS: "range_break.maxWidthAtr=5,range_break.breakAtrFrac=0.2", MICRO_TP_PIPS: "8", MICRO_SL_PIPS: "6" });
    expect(fast.grid(base)[0]!.settings).toEqual({ FAST_SCALP_MOMENTUM_SPREAD_MULT: "2", FAST_SCALP_MOMENTUM_RANGE_FRAC: "0.6", FAST_SCALP_TP_PIPS: "10", FAST_SCALP_SL_PIPS: "6" });
  });
});

describe("walk-forward", () => {
  it("the split depends on time only, falls on a whole minute, and splits the span", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2e12 }), fc.integer({ min: 120_000, max: 1e9 }), fc.double({ min: 0.05, max: 0.95, noNaN: true }), (first, span, f) => {
      const s = splitAt(first, first + span, f);
      expect(s.at % 60_000).toBe(0);
      expect(s.inSample.to).toBe(s.outOfSample.from);
      expect(s.at).toBeLessThanOrEqual(first + span);
    }));
  });

  it("altering prices after the split point leaves the in-sample choice unchanged (real replays)", async () => {
    const base = buildTicks(LEGS);
    const original = await inSampleChoice(base);
    expect(original.tried.some(([, s]) => (s as { trades: number }).trades > 0)).toBe(true); // it traded in sample: the choice means something
    await fc.assert(
      fc.asyncProperty(fc.array(fc.double({ min: -0.5, max: 0.5, noNaN: true }), { minLength: 5, maxLength: 5 }), async (steps) => {
        // After the split: new legs of random direction, every later price changed.
        const cut = base.findIndex((t) => t.time >= original.split);
        const later = buildTicks(steps, base[cut]!.time, (base[cut]!.bid + base[cut]!.ask) / 2 + 0.2).slice(0, base.length - cut);
        const altered = [...base.slice(0, cut), ...later];
        expect(await inSampleChoice(altered)).toEqual(original);
      }),
      { numRuns: 4 },
    );
  }, 240_000);

  it("altering prices before the split does change the in-sample scores (the property above can fail)", async () => {
    const base = buildTicks(LEGS);
    const calmer = buildTicks(LEGS.map((x) => x * 0.5)); // (a mirror image would score the same: the fixture is symmetric)
    const a = await inSampleChoice(base);
    const b = await inSampleChoice(calmer.map((t, i) => (t.time < a.split ? t : base[i]!)));
    expect(b.tried).not.toEqual(a.tried);
  }, 120_000);

  it("the scorecard is deterministic: the same data, the same numbers", async () => {
    const ticks = buildTicks(LEGS);
    const a = await evaluateSubject(dataSet(ticks), fast, opts);
    const b = await evaluateSubject(dataSet(buildTicks(LEGS)), fast, opts);
    expect(a.walkForward!.tried[0]!.inSample.trades).toBeGreaterThan(0);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  }, 120_000);
});
