import { describe, expect, it } from "vitest";
import { addToCandle, closeCandle, openCandle } from "../../src/state/candles.ts";
import type { Candle } from "../../src/state/candles.ts";

/** What closeCandle returned when it spread the optional sides in: the reference. */
function spreadClose(c: Candle): Candle {
  return { time: c.time, mid: { ...c.mid }, ...(c.bid ? { bid: { ...c.bid } } : {}), ...(c.ask ? { ask: { ...c.ask } } : {}), volume: c.volume, complete: true };
}

describe("closeCandle", () => {
  it("is a complete copy with the same keys in the same order, with or without bid and ask, sharing nothing with the open candle", () => {
    const open = openCandle(Date.UTC(2013, 1, 1, 0, 0, 12), 91.7, 91.73);
    addToCandle(open, 91.65, 91.69);
    const cases: Candle[] = [open, { ...open, bid: undefined }, { ...open, ask: undefined }, { time: open.time, mid: open.mid, volume: 2, complete: false }];
    for (const c of cases) {
      const closed = closeCandle(c);
      expect(closed).toStrictEqual(spreadClose(c));
      expect(Object.keys(closed)).toEqual(Object.keys(spreadClose(c)));
      expect(closed.mid).not.toBe(c.mid);
      if (c.bid) expect(closed.bid).not.toBe(c.bid);
      if (c.ask) expect(closed.ask).not.toBe(c.ask);
    }
  });
});
