// The FXCM pair is joined row by row when both files hold the same minutes in the same order, and
// by timestamp otherwise; both ways must give what joining by timestamp always gave.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseFxcmBidAsk } from "../../src/marketdata/read-bars.ts";

const T0 = Date.UTC(2013, 1, 1);
const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19).replace("T", " ")}+00:00`;
const row = (minute: number, p: number[]) => `${iso(T0 + minute * 60_000)},${p.map((x) => x.toFixed(3)).join(",")}`;
const file = (rows: string[]) => ["timestamp,open,high,low,close", ...rows].join("\n");

/** The join as it was: by timestamp, a repeated minute keeping its first place and last values. */
function reference(bid: Array<[number, number[]]>, ask: Array<[number, number[]]>) {
  const index = (rows: Array<[number, number[]]>) => {
    const m = new Map<number, number[]>();
    const order: number[] = [];
    for (const [t, p] of rows) {
      if (!m.has(t)) order.push(t);
      m.set(t, p);
    }
    return { m, order };
  };
  const b = index(bid);
  const a = index(ask);
  return parseFxcmBidAsk(file(b.order.filter((t) => a.m.has(t)).map((t) => row(t, b.m.get(t)!))), file(b.order.filter((t) => a.m.has(t)).map((t) => row(t, a.m.get(t)!))), "USD_JPY");
}

const price = fc.integer({ min: 90_000, max: 92_000 }).map((x) => x / 1000);
const bar = fc.tuple(price, price, price, price);
const minutes = fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), bar), { maxLength: 25 });

describe("FXCM pairing", () => {
  it("same minutes in the same order: the row-by-row join gives what the timestamp join gives", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 60 }), { maxLength: 25 }), fc.array(fc.tuple(bar, bar), { minLength: 25, maxLength: 25 }), (ms, prices) => {
        const times = [...ms].sort((x, y) => x - y);
        const bid = times.map((t, i) => row(t, prices[i]![0]));
        const ask = times.map((t, i) => row(t, prices[i]![1]));
        if (times.length === 0) return;
        const s = parseFxcmBidAsk(file(bid), file(ask), "USD_JPY");
        // The same bars with the first ask row repeated (same values): not in step, so joined by timestamp.
        const r = parseFxcmBidAsk(file(bid), file([ask[0]!, ...ask]), "USD_JPY");
        expect(s.ticks).toEqual(r.ticks);
        expect(s.skipped).toEqual(r.skipped);
        expect([s.bars, s.crossedBars, s.rows]).toEqual([r.bars, r.crossedBars, r.rows]);
      }),
    );
  });

  it("minutes missing, repeated or out of order on either side: joined by timestamp as before", () => {
    fc.assert(
      fc.property(minutes, minutes, (bid, ask) => {
        const matched = bid.some(([t]) => ask.some(([u]) => u === t));
        if (!matched) return;
        const s = parseFxcmBidAsk(file(bid.map(([t, p]) => row(t, p))), file(ask.map(([t, p]) => row(t, p))), "USD_JPY");
        const r = reference(bid, ask);
        expect(s.ticks).toEqual(r.ticks);
        expect(s.bars).toBe(r.bars);
      }),
    );
  });
});
