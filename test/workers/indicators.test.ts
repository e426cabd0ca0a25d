import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { IndicatorSet } from "../../src/workers/indicators.ts";
import { candle } from "./micro_multistrat/fixtures.ts";

describe("IndicatorSet.catchUp", () => {
  it("property: fed the market's sliding window after each close, it holds what feeding every candle once gives", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 149, max: 151, noNaN: true }), fc.double({ min: 149, max: 151, noNaN: true }), fc.integer({ min: 0, max: 50 })), { minLength: 1, maxLength: 120 }),
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 30 }),
        (bars, kept, steps) => {
          const candles = bars.map(([o, c, v], i) => candle(i, o, c, { volume: v }));
          const one = new IndicatorSet();
          const windowed = new IndicatorSet();
          let fed = 0;
          let closed = 0;
          for (let s = 0; closed < candles.length; s++) {
            // Several candles may close between two calls (a quiet worker, a catch-up after a gap).
            closed = Math.min(candles.length, closed + steps[s % steps.length]!);
            const window = candles.slice(Math.max(0, closed - kept), closed);
            const before = windowed.lastTime;
            const n = windowed.catchUp(window);
            // Only the candles the window still holds can be fed; the rest are gone for both.
            for (; fed < closed; fed++) if (fed >= closed - kept) one.update(candles[fed]!);
            expect(n).toBe(window.filter((c) => c.time > before).length);
            expect(windowed.snapshot()).toEqual(one.snapshot());
            expect(windowed.lastTime).toBe(one.lastTime);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("feeds each candle once: a repeated or older window adds nothing", () => {
    const s = new IndicatorSet();
    const cs = [candle(0, 150, 150.01), candle(1, 150.01, 150.02), candle(2, 150.02, 150.03)];
    expect(s.catchUp(cs)).toBe(3);
    expect(s.catchUp(cs)).toBe(0);
    expect(s.catchUp(cs.slice(0, 2))).toBe(0);
    expect(s.catchUp([...cs, candle(3, 150.03, 150.04)])).toBe(1);
    expect(s.lastTime).toBe(cs[2]!.time + 60_000);
  });
});
