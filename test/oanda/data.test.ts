// The data role's one candle mapping: the broker's candles (already validated, times in ms)
// become the pipeline's, without a server.
import { describe, expect, it } from "vitest";
import { candlesFromClient } from "../../src/oanda/data.ts";

const t = Date.UTC(2024, 0, 2, 3, 4);
const bid = { o: 1, h: 2, l: 0.5, c: 1.5 };
const ask = { o: 1.2, h: 2.2, l: 0.7, c: 1.7 };

describe("candlesFromClient", () => {
  it("keeps millisecond times, derives mid from bid and ask, sorts by time", () => {
    const cs = candlesFromClient([
      { time: t + 60_000, mid: { o: 5, h: 6, l: 4, c: 5.5 }, volume: 2, complete: true },
      { time: t, bid, ask, volume: 3, complete: true },
    ]);
    expect(cs.map((c) => new Date(c.time).toISOString())).toEqual(["2024-01-02T03:04:00.000Z", "2024-01-02T03:05:00.000Z"]);
    expect(cs[0]!.mid.open).toBeCloseTo(1.1, 10);
    expect(cs[0]!.mid.close).toBeCloseTo(1.6, 10);
    expect(cs[0]!.bid).toEqual({ open: 1, high: 2, low: 0.5, close: 1.5 });
    expect(cs[1]).toEqual({ time: t + 60_000, mid: { open: 5, high: 6, low: 4, close: 5.5 }, volume: 2, complete: true });
  });

  it("leaves out the incomplete candle (ticks rebuild that minute) and one with neither mid nor bid and ask", () => {
    expect(candlesFromClient([
      { time: t, bid, ask, volume: 3, complete: false },
      { time: t + 60_000, bid, volume: 1, complete: true },
    ])).toEqual([]);
  });
});
