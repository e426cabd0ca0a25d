import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { defaultInstruments } from "../../src/core/instruments.ts";
import type { Tick } from "../../src/core/types.ts";
import { MarketState, marketWindowMs } from "../../src/state/market-state.ts";
import type { Candle } from "../../src/state/candles.ts";

const T0 = Date.UTC(2024, 0, 8, 9, 0);

function setup(windowMs?: number) {
  const clock = { t: T0, now() { return this.t; } };
  const market = new MarketState({ instruments: defaultInstruments(), clock, ...(windowMs ? { windowMs } : {}) });
  const tick = (dt: number, bid: number, ask: number, extra: Partial<Tick> = {}) => {
    clock.t = T0 + dt;
    return market.onTick({ instrument: "USD_JPY", bid, ask, time: T0 + dt, receivedAt: T0 + dt, tradeable: true, ...extra });
  };
  return { clock, market, tick };
}

describe("MarketState: ticks", () => {
  it("keeps the latest price with its mid, spread in pips, age on the clock and tradeable flag", () => {
    const { clock, market, tick } = setup();
    expect(market.mid("USD_JPY")).toBeUndefined();
    expect(market.priceAgeMs("USD_JPY")).toBeUndefined();
    expect(market.tradeable("USD_JPY")).toBe(false);
    tick(0, 150.0, 150.012);
    expect(market.mid("USD_JPY")).toBeCloseTo(150.006, 9);
    expect(market.spreadPips("USD_JPY")).toBeCloseTo(1.2, 9);
    expect(market.tradeable("USD_JPY")).toBe(true);
    clock.t += 2500;
    expect(market.priceAgeMs("USD_JPY")).toBe(2500);
    tick(3000, 150.01, 150.02, { tradeable: false });
    expect(market.tradeable("USD_JPY")).toBe(false);
    expect(market.latest("USD_JPY")?.bid).toBe(150.01);
    expect(market.previousPoint("USD_JPY")?.bid).toBe(150.0);
  });

  it("spread in pips follows the instrument's pip (EUR_USD: 0.0001)", () => {
    const { market } = setup();
    market.onTick({ instrument: "EUR_USD", bid: 1.1, ask: 1.10015, time: T0, receivedAt: T0, tradeable: true });
    expect(market.spreadPips("EUR_USD")).toBeCloseTo(1.5, 6);
  });

  it("refuses bad, crossed and out-of-order prices without moving the latest price", () => {
    const { market, tick } = setup();
    tick(1000, 150, 150.01);
    expect(tick(2000, Number.NaN, 150.01)).toBe("bad_price");
    expect(tick(2000, 0, 150.01)).toBe("bad_price");
    expect(tick(2000, 150.02, 150.01)).toBe("crossed");
    expect(tick(500, 149, 149.01)).toBe("out_of_order");
    expect(market.latest("USD_JPY")?.bid).toBe(150);
    expect(market.rejectedTicks()).toEqual({ bad_price: 2, crossed: 1, out_of_order: 1 });
    expect(market.ticksSince("USD_JPY", 0)).toHaveLength(1);
  });

  it("an unknown instrument name is a clear error", () => {
    const { market } = setup();
    expect(() => market.onTick({ instrument: "usd-jpy", bid: 1, ask: 1, time: T0, receivedAt: T0, tradeable: true })).toThrow(/unknown instrument usd-jpy/);
  });

  it("ticksSince and meanMidSince select by receive time, e.g. the balancer's last 5 s", () => {
    const { clock, market, tick } = setup();
    for (let i = 0; i < 10; i++) tick(i * 1000, 150 + i * 0.01, 150 + i * 0.01 + 0.004);
    // now = T0+9000; last 5 s = receivedAt >= T0+4000: i = 4..9
    const since = clock.now() - 5000;
    expect(market.ticksSince("USD_JPY", since).map((t) => t.receivedAt - T0)).toEqual([4000, 5000, 6000, 7000, 8000, 9000]);
    expect(market.meanMidSince("USD_JPY", since)).toBeCloseTo(150 + 0.065 + 0.002, 9);
    expect(market.meanMidSince("USD_JPY", clock.now() + 1)).toBeUndefined();
    expect(market.meanMidSince("EUR_USD", since)).toBeUndefined();
  });

  it("the tick window is bounded by time and count", () => {
    const { market, tick } = setup(10_000);
    for (let i = 0; i <= 3000; i++) tick(i * 100, 150, 150.01);
    const all = market.ticksSince("USD_JPY", 0);
    expect(all[0]!.receivedAt).toBe(T0 + 300_000 - 10_000);
    expect(all).toHaveLength(101);
    const capped = new MarketState({ instruments: defaultInstruments(), clock: { now: () => T0 }, maxTicks: 5 });
    for (let i = 0; i < 20; i++) capped.onTick({ instrument: "USD_JPY", bid: 150, ask: 150.01, time: T0 + i, receivedAt: T0 + i, tradeable: true });
    expect(capped.ticksSince("USD_JPY", 0).map((t) => t.receivedAt - T0)).toEqual([15, 16, 17, 18, 19]);
  });

  it("marketWindowMs covers the fast scalper's window", () => {
    expect(marketWindowMs({ FAST_SCALP_WINDOW_SEC: 20 })).toBe(120_000);
    expect(marketWindowMs({ FAST_SCALP_WINDOW_SEC: 600 })).toBe(605_000);
  });
});

describe("MarketState: M1 candles", () => {
  it("builds bid/ask/mid OHLC and tick volume per minute, closing a candle on the next minute's first tick", () => {
    const { market, tick } = setup();
    const closed: [string, Candle][] = [];
    market.onCandleClosed((i, c) => closed.push([i, c]));
    tick(1_000, 150.00, 150.01);
    tick(20_000, 150.05, 150.06);
    tick(40_000, 149.98, 149.99);
    tick(59_999, 150.02, 150.04);
    expect(closed).toEqual([]);
    expect(market.currentCandle("USD_JPY")?.volume).toBe(4);
    tick(60_000, 150.1, 150.11);
    expect(closed).toHaveLength(1);
    const [inst, c] = closed[0]!;
    expect(inst).toBe("USD_JPY");
    expect(c.time).toBe(T0);
    expect(c.complete).toBe(true);
    expect(c.volume).toBe(4);
    expect(c.bid).toEqual({ open: 150.0, high: 150.05, low: 149.98, close: 150.02 });
    expect(c.ask).toEqual({ open: 150.01, high: 150.06, low: 149.99, close: 150.04 });
    expect(c.mid.open).toBeCloseTo(150.005, 9);
    expect(c.mid.high).toBeCloseTo(150.055, 9);
    expect(c.mid.low).toBeCloseTo(149.985, 9);
    expect(c.mid.close).toBeCloseTo(150.03, 9);
    expect(market.closedCandlesView("USD_JPY")).toEqual([c]);
  });

  it("closeDueCandles closes a quiet instrument's candle once its minute has ended on the clock", () => {
    const { clock, market, tick } = setup();
    const closed: Candle[] = [];
    market.onCandleClosed((_, c) => closed.push(c));
    tick(5_000, 150, 150.01);
    clock.t = T0 + 59_999;
    market.closeDueCandles();
    expect(closed).toHaveLength(0);
    clock.t = T0 + 60_000;
    market.closeDueCandles();
    expect(closed.map((c) => c.time)).toEqual([T0]);
    market.closeDueCandles();
    expect(closed).toHaveLength(1);
  });

  it("a listener that throws does not stop the feed or the other listeners", () => {
    const { market, tick } = setup();
    const seen: number[] = [];
    market.onCandleClosed(() => { throw new Error("bug"); });
    market.onCandleClosed((_, c) => seen.push(c.time));
    tick(0, 150, 150.01);
    expect(tick(60_000, 150, 150.01)).toBeUndefined();
    expect(seen).toEqual([T0]);
    expect(market.latest("USD_JPY")?.time).toBe(T0 + 60_000);
  });

  it("keeps exactly the newest maxCandles: the view is the market state's own array, moved on by the next close", () => {
    const clock = { t: T0, now() { return this.t; } };
    const market = new MarketState({ instruments: defaultInstruments(), clock, maxCandles: 5 });
    const at = (min: number) => market.onTick({ instrument: "USD_JPY", bid: 150 + min / 100, ask: 150.01 + min / 100, time: T0 + min * 60_000, receivedAt: T0 + min * 60_000, tradeable: true });
    for (let min = 0; min <= 12; min++) at(min); // 12 candles closed (minutes 0-11)
    const view = market.closedCandlesView("USD_JPY");
    expect(view.map((c) => (c.time - T0) / 60_000)).toEqual([7, 8, 9, 10, 11]);
    at(13); // closes minute 12: the same array now holds the newest five
    expect(market.closedCandlesView("USD_JPY")).toBe(view);
    expect(view.map((c) => (c.time - T0) / 60_000)).toEqual([8, 9, 10, 11, 12]);
    expect(market.closedCandlesView("EUR_USD")).toEqual([]);
  });

  it("seedCandles takes complete, minute-aligned history older than anything built from ticks", () => {
    const { market, tick } = setup();
    tick(120_000, 150, 150.01);
    tick(180_000, 150, 150.01); // closes the T0+2min candle
    const seed = (t: number, complete = true): Candle => ({ time: t, mid: { open: 1, high: 2, low: 0.5, close: 1.5 }, volume: 3, complete });
    const n = market.seedCandles("USD_JPY", [seed(T0 + 60_000), seed(T0), seed(T0), seed(T0 + 120_000), seed(T0 + 30_000), seed(T0 - 60_000, false)]);
    expect(n).toBe(2);
    const times = market.closedCandlesView("USD_JPY").map((c) => c.time - T0);
    expect(times).toEqual([0, 60_000, 120_000]);
    // the live candle at T0+2min was kept, not overwritten by the seed
    expect(market.closedCandlesView("USD_JPY")[2]!.mid.open).toBeCloseTo(150.005, 9);
  });

  it("property: candles built from any valid ticks are consistent OHLC, bid <= mid <= ask, and count every tick", () => {
    const ticksArb = fc.array(
      fc.tuple(fc.integer({ min: 0, max: 30_000 }), fc.double({ min: 100, max: 200, noNaN: true }), fc.double({ min: 0, max: 0.1, noNaN: true })),
      { minLength: 1, maxLength: 300 },
    );
    fc.assert(
      fc.property(ticksArb, (rows) => {
        const { clock, market } = setup();
        const candles: Candle[] = [];
        market.onCandleClosed((_, c) => candles.push(c));
        let t = T0;
        for (const [dt, bid, spread] of rows) {
          t += dt;
          market.onTick({ instrument: "USD_JPY", bid, ask: bid + spread, time: t, receivedAt: t, tradeable: true });
        }
        clock.t = t + 60_000;
        market.closeDueCandles();
        const minutes = new Set(rows.map((_, i) => Math.floor((T0 + rows.slice(0, i + 1).reduce((a, r) => a + r[0], 0)) / 60_000)));
        if (candles.length !== minutes.size) return false;
        if (candles.reduce((a, c) => a + c.volume, 0) !== rows.length) return false;
        for (const c of candles) {
          for (const o of [c.mid, c.bid!, c.ask!]) {
            if (!(o.low <= o.open && o.low <= o.close && o.open <= o.high && o.close <= o.high)) return false;
          }
          if (!(c.bid!.open <= c.mid.open && c.mid.open <= c.ask!.open)) return false;
          if (!(c.bid!.close <= c.mid.close && c.mid.close <= c.ask!.close)) return false;
          if (!(c.bid!.low <= c.mid.low && c.mid.high <= c.ask!.high)) return false;
        }
        return candles.every((c, i) => i === 0 || c.time > candles[i - 1]!.time);
      }),
    );
  });
});

