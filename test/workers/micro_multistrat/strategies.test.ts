import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { MICRO_STRATEGIES, MICRO_STRATEGY_PARAM_NAMES, parseMicroStrategyParams } from "../../../src/config/schema.ts";
import { parseConfig } from "../../../src/config/load.ts";
import { defaultStrategies } from "../../../src/workers/micro_multistrat/strategies/index.ts";
import type { MicroStrategyName } from "../../../src/workers/micro_multistrat/strategy.ts";
import * as F from "./fixtures.ts";

const S = defaultStrategies();
const fire = (name: MicroStrategyName, cs: ReturnType<typeof F.constant>) => F.firings(cs, (c, i) => S[name].evaluate(c, i));

const PATTERNS: Record<MicroStrategyName, (sign: 1 | -1) => ReturnType<typeof F.constant>> = {
  momentum_burst: F.burst,
  pullback_ema: F.pullback,
  range_break: F.breakout,
  vwap_band: F.vwapSnapBack,
  trend_momentum: F.trendResume,
};

describe("micro strategies", () => {
  it("the registry holds exactly the strategies the config names", () => {
    expect(Object.keys(S).sort()).toEqual([...MICRO_STRATEGIES].sort());
    for (const [name, s] of Object.entries(S)) expect(s.name).toBe(name);
  });

  for (const name of MICRO_STRATEGIES) {
    describe(name, () => {
      for (const [sign, side] of [[1, "buy"], [-1, "sell"]] as const) {
        it(`fires ${side} on the last candle of its pattern, and nowhere before it`, () => {
          const cs = PATTERNS[name](sign);
          const hits = fire(name, cs);
          expect(hits.map((h) => h.index)).toEqual([cs.length - 1]);
          const sig = hits[0]!.out;
          expect(sig.side).toBe(side);
          expect(sig.confidence).toBeGreaterThanOrEqual(50);
          expect(sig.confidence).toBeLessThanOrEqual(100);
          expect(sig.reason.length).toBeGreaterThan(0);
        });
      }

      it("stays quiet on flat data: a constant price, a range, and steady trends without its trigger", () => {
        expect(fire(name, F.constant(120))).toEqual([]);
        expect(fire(name, F.wobble(120))).toEqual([]);
        expect(fire(name, F.trend(120, 0.02))).toEqual([]);
        expect(fire(name, F.trend(120, -0.02))).toEqual([]);
      });

      it("is pure: the same candles give the same answer, and the input is not modified", () => {
        const cs = PATTERNS[name](1);
        const copy = structuredClone(cs);
        const ind = F.snapshotAfter(cs);
        expect(S[name].evaluate(cs, ind)).toEqual(S[name].evaluate(cs, ind));
        expect(cs).toEqual(copy);
      });
    });
  }

  it("property: no strategy fires before its indicators exist, whatever the prices", () => {
    // Warm-up: fewer candles than the shortest period used (ATR 14) mean no opinion at all.
    const candlesArb = fc.array(fc.tuple(fc.double({ min: 100, max: 200, noNaN: true }), fc.double({ min: -0.5, max: 0.5, noNaN: true }), fc.integer({ min: 1, max: 200 })), { minLength: 1, maxLength: 13 });
    fc.assert(
      fc.property(candlesArb, (rows) => {
        const cs = rows.map(([o, d, v], i) => F.candle(i, o, o + d, { volume: v }));
        for (const s of Object.values(S)) if (F.firings(cs, (c, ind) => s.evaluate(c, ind)).length) return false;
        return true;
      }),
    );
  });
});

describe("MICRO_STRATEGY_PARAMS: each strategy's own parameters", () => {
  it("the config names every strategy's parameters, exactly those its defaults have", () => {
    for (const s of Object.values(S)) expect(Object.keys(s.params).sort(), s.name).toEqual([...MICRO_STRATEGY_PARAM_NAMES[s.name]].sort());
  });

  it("a setting reaches the strategy over its defaults, and changes what fires", () => {
    const cs = F.breakout(1);
    const parsed = parseConfig({ MICRO_STRATEGY_PARAMS: "range_break.breakAtrFrac=50, pullback_ema.minTrendAtr=0.8" }).config.MICRO_STRATEGY_PARAMS;
    const r = parseMicroStrategyParams(parsed);
    if (!("params" in r)) throw new Error(r.error);
    const tuned = defaultStrategies(r.params);
    expect(tuned.range_break.params).toEqual({ maxWidthAtr: 6, breakAtrFrac: 50 });
    expect(tuned.pullback_ema.params).toEqual({ minTrendAtr: 0.8, touchAtrFrac: 0.25 });
    expect(fire("range_break", cs).length).toBeGreaterThan(0);
    expect(F.firings(cs, (c, i) => tuned.range_break.evaluate(c, i))).toEqual([]);
  });

  it("an unknown strategy or parameter, or a value that is not a number, is a bad setting naming the variable", () => {
    for (const bad of ["range_break.width=4", "nope.maxWidthAtr=4", "range_break.maxWidthAtr=four", "range_break.maxWidthAtr"]) {
      expect(() => parseConfig({ MICRO_STRATEGY_PARAMS: bad }), bad).toThrow(/MICRO_STRATEGY_PARAMS/);
    }
  });
});
