// The incremental window equals the window recomputed from a copy, tick after tick, through
// pruning, the tick cap, compaction, receive times out of order and a clock stepping back; and
// fast_scalp decides the same from either.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { defaultInstruments } from "../../src/core/instruments.ts";
import { MarketState } from "../../src/state/market-state.ts";
import { summarizeTicks } from "../../src/state/tick-window.ts";
import { evaluateFastScalp, fastScalpSettings } from "../../src/workers/fast_scalp/rules.ts";
import { parseConfig } from "../../src/config/load.ts";

const T0 = Date.UTC(2024, 0, 8, 9, 0);
const settings = { ...fastScalpSettings(parseConfig({}).config), windowMs: 3_000, minTicks: 3, spikeMult: 2 };

// Mids on a coarse grid, so ties, exact spike thresholds and flat stretches all happen.
const step = fc.record({
  gapMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1_000, max: 5_000 })),
  /** Occasionally a receive time earlier than the previous one (a wall clock stepped back). */
  back: fc.oneof({ weight: 30, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 2_000 }) }),
  midSteps: fc.integer({ min: -6, max: 6 }),
  /** Where "now" is when the worker evaluates, relative to the tick (back = a clock stepped back). */
  evalLagMs: fc.oneof({ weight: 20, arbitrary: fc.integer({ min: 0, max: 500 }) }, { weight: 1, arbitrary: fc.integer({ min: -3_000, max: -1 }) }),
});

describe("SlidingWindow", () => {
  it("property: summary == summarizeTicks(ticksSince) and fast_scalp's verdict is the same", () => {
    // Half the runs with ordered receive times and a clock that never steps back: the
    // incremental path proper (out-of-order receive times make it defer to a copy).
    fc.assert(fc.property(fc.array(step, { minLength: 1, maxLength: 1_500 }), fc.integer({ min: 5, max: 60 }), fc.boolean(), (steps, maxTicks, ordered) => {
      const clock = { t: T0, now: () => clock.t };
      // A short market window and a small cap: pruning, the cap and compaction all happen.
      const market = new MarketState({ instruments: defaultInstruments(), clock, windowMs: 4_000, maxTicks });
      const win = market.slidingWindow("USD_JPY");
      let received = T0;
      let time = T0;
      let mid = 150;
      for (const s of steps) {
        received = received + s.gapMs - (ordered ? 0 : s.back);
        time += s.gapMs;
        mid = Math.round((mid + s.midSteps * 0.0005) * 1e4) / 1e4;
        market.onTick({ instrument: "USD_JPY", bid: mid - 0.002, ask: mid + 0.002, time, receivedAt: received, tradeable: true });
        clock.t = Math.max(ordered ? clock.t : Number.NEGATIVE_INFINITY, received + s.evalLagMs);
        const since = clock.t - settings.windowMs;
        const got = win.summary(since);
        const want = summarizeTicks(market.ticksSince("USD_JPY", since));
        expect({ ...got, movesExceptLast: got.movesExceptLast() }).toMatchObject({
          count: want.count, firstMid: want.firstMid, lastMid: want.lastMid, prevMid: want.prevMid, hiMid: want.hiMid, loMid: want.loMid, movesExceptLast: want.movesExceptLast(),
        });
        expect(Math.abs(got.movesEstimate - want.movesExceptLast())).toBeLessThanOrEqual(got.movesError);
        const input = { now: clock.t, latest: market.latestPoint("USD_JPY"), previous: market.previousPoint("USD_JPY"), pip: 0.01, ordersLastMinute: 0 };
        expect(evaluateFastScalp({ ...input, window: got }, settings)).toEqual(evaluateFastScalp({ ...input, window: market.ticksSince("USD_JPY", since) }, settings));
      }
    }), { numRuns: 150 });
  });

  it("200,000 ticks at a steady rate (many compactions and re-sums): still the window of a copy", () => {
    const clock = { t: T0, now: () => clock.t };
    const market = new MarketState({ instruments: defaultInstruments(), clock, windowMs: 10_000, maxTicks: 20_000 });
    const win = market.slidingWindow("USD_JPY");
    for (let i = 0; i < 200_000; i++) {
      clock.t = T0 + i * 100;
      const mid = 150 + Math.sin(i / 30) * 0.1;
      market.onTick({ instrument: "USD_JPY", bid: mid - 0.002, ask: mid + 0.002, time: clock.t, receivedAt: clock.t, tradeable: true });
      win.summary(clock.t - 5_000);
    }
    const s = win.summary(clock.t - 5_000);
    expect(s.count).toBe(51);
    expect(s.hiMid).toBe(Math.max(...market.ticksSince("USD_JPY", clock.t - 5_000).map((t) => t.mid)));
  });
});
