// The market's tick history as typed-array columns in a ring answers exactly what the plain array
// of tick objects it replaced answered (the reference below is that version, kept here): the same
// ticks from ticksSince, the same mean mid, the same sliding-window summary, and fast_scalp
// decides the same, on random tick sequences through pruning, the tick cap, the ring growing and
// reusing slots, receive times out of order, and a worker that looks only now and then.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { defaultInstruments, toPips } from "../../src/core/instruments.ts";
import type { Tick } from "../../src/core/types.ts";
import { MarketState, type TickPoint } from "../../src/state/market-state.ts";
import { TickRing } from "../../src/state/tick-ring.ts";
import { summarizeTicks } from "../../src/state/tick-window.ts";
import { evaluateFastScalp, fastScalpSettings } from "../../src/workers/fast_scalp/rules.ts";
import { parseConfig } from "../../src/config/load.ts";

const T0 = Date.UTC(2024, 0, 8, 9, 0);
const settings = { ...fastScalpSettings(parseConfig({}).config), windowMs: 3_000, minTicks: 3, spikeMult: 2 };
const spec = defaultInstruments().get("USD_JPY");

/** The array version: one object per tick, pruned from the front, searched and filtered as before. */
class ArrayTicks {
  ticks: TickPoint[] = [];
  constructor(private readonly windowMs: number, private readonly maxTicks: number) {}
  push(t: Tick): void {
    this.ticks.push({ bid: t.bid, ask: t.ask, mid: (t.bid + t.ask) / 2, spreadPips: toPips(spec, t.ask - t.bid), time: t.time, receivedAt: t.receivedAt, tradeable: t.tradeable, receivedMono: t.receivedMono });
    const cutoff = t.receivedAt - this.windowMs;
    while (this.ticks.length > 0 && (this.ticks[0]!.receivedAt < cutoff || this.ticks.length > this.maxTicks)) this.ticks.shift();
  }
  since(sinceMs: number): TickPoint[] {
    let lo = 0;
    let hi = this.ticks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ticks[mid]!.receivedAt < sinceMs) lo = mid + 1;
      else hi = mid;
    }
    return this.ticks.slice(lo).filter((t) => t.receivedAt >= sinceMs);
  }
  meanMid(sinceMs: number): number | undefined {
    const w = this.since(sinceMs);
    let sum = 0;
    for (const t of w) sum += t.mid;
    return w.length ? sum / w.length : undefined;
  }
}

const step = fc.record({
  gapMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1_000, max: 5_000 })),
  back: fc.oneof({ weight: 40, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 2_000 }) }),
  midSteps: fc.integer({ min: -6, max: 6 }),
  spreadSteps: fc.integer({ min: 0, max: 4 }),
  tradeable: fc.oneof({ weight: 20, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  mono: fc.option(fc.double({ min: 0, max: 1e9, noNaN: true }), { nil: undefined }),
  /** Whether the worker looks at this tick (a window left alone for long must catch up or rebuild). */
  look: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  lookBackMs: fc.integer({ min: 0, max: 6_000 }),
});

describe("TickRing", () => {
  it("property: ticksSince, meanMidSince, the sliding window and fast_scalp's verdict equal the array version's", () => {
    fc.assert(fc.property(fc.array(step, { minLength: 1, maxLength: 2_000 }), fc.integer({ min: 1, max: 700 }), fc.boolean(), (steps, maxTicks, ordered) => {
      const clock = { t: T0, now: () => clock.t };
      const market = new MarketState({ instruments: defaultInstruments(), clock, windowMs: 4_000, maxTicks });
      const ref = new ArrayTicks(4_000, maxTicks);
      const win = market.slidingWindow("USD_JPY");
      let received = T0;
      let time = T0;
      let mid = 150;
      for (const s of steps) {
        received = received + s.gapMs - (ordered ? 0 : s.back);
        time += s.gapMs;
        mid = Math.round((mid + s.midSteps * 0.0005) * 1e4) / 1e4;
        const half = 0.001 * (1 + s.spreadSteps);
        const tick: Tick = { instrument: "USD_JPY", bid: mid - half, ask: mid + half, time, receivedAt: received, tradeable: s.tradeable, ...(s.mono === undefined ? {} : { receivedMono: s.mono }) };
        market.onTick(tick);
        ref.push(tick);
        clock.t = received;
        if (!s.look) continue;
        const since = received - s.lookBackMs;
        const want = ref.since(since);
        expect(market.ticksSince("USD_JPY", since)).toEqual(want);
        expect(market.meanMidSince("USD_JPY", since)).toBe(ref.meanMid(since));
        const wSince = clock.t - settings.windowMs;
        const got = win.summary(wSince);
        const exp = summarizeTicks(ref.since(wSince));
        expect({ ...got, movesExceptLast: got.movesExceptLast() }).toMatchObject({
          count: exp.count, firstMid: exp.firstMid, lastMid: exp.lastMid, prevMid: exp.prevMid, hiMid: exp.hiMid, loMid: exp.loMid, movesExceptLast: exp.movesExceptLast(),
        });
        const input = { now: clock.t, latest: market.latestPoint("USD_JPY"), previous: market.previousPoint("USD_JPY"), pip: 0.01, ordersLastMinute: 0 };
        expect(evaluateFastScalp({ ...input, window: got }, settings)).toEqual(evaluateFastScalp({ ...input, window: ref.since(wSince) }, settings));
      }
    }), { numRuns: 120 });
  });

  it("grows only while its ticks are live, then reuses the slots of pruned ones", () => {
    const ring = new TickRing();
    const p = (i: number): TickPoint => ({ bid: i, ask: i + 1, mid: i + 0.5, spreadPips: 1, time: i, receivedAt: i, tradeable: true });
    for (let i = 0; i < 100_000; i++) {
      ring.push(p(i));
      ring.prune(i - 999, 1_000_000);
    }
    expect(ring.size).toBe(1000);
    expect(ring.mask + 1).toBe(1024);
    expect(ring.point(ring.head)).toEqual({ ...p(99_000), receivedMono: undefined });
    expect(ring.point(ring.end - 1)).toEqual({ ...p(99_999), receivedMono: undefined });
    expect(ring.floor).toBeGreaterThan(ring.end - 1025);
  });
});
