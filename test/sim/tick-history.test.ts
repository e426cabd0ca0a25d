// The simulator's price history (for candles) as columns of floats: what it holds is exactly what
// the list of tick objects it replaced held, time order and the bound included.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TickHistory } from "../../src/sim/tick-history.ts";

/** The former store, kept here as the reference: an object per tick, the oldest 20,000 dropped past 200,000. */
function reference(records: ReadonlyArray<readonly [number, number, number]>): Array<{ time: number; bid: number; ask: number }> {
  const list: Array<{ time: number; bid: number; ask: number }> = [];
  for (const [time, bid, ask] of records) {
    const last = list[list.length - 1];
    list.push({ time: last && time < last.time ? last.time : time, bid, ask });
    if (list.length > 200_000) list.splice(0, 20_000);
  }
  return list;
}

function held(h: TickHistory, instrument: string): Array<{ time: number; bid: number; ask: number }> {
  const s = h.ticks(instrument);
  return Array.from(s.time, (time, i) => ({ time, bid: s.bid[i]!, ask: s.ask[i]! }));
}

describe("simulator tick history", () => {
  it("holds what the list of tick objects held, in time order, per instrument", () => {
    const record = fc.tuple(fc.constantFrom("USD_JPY", "EUR_USD"), fc.double({ min: 0, max: 2e12, noNaN: true }), fc.double({ min: 0.5, max: 200, noNaN: true }), fc.double({ min: 0.5, max: 200, noNaN: true }));
    fc.assert(fc.property(fc.array(record, { maxLength: 3000 }), (records) => {
      const h = new TickHistory();
      for (const [i, t, b, a] of records) h.record(i, t, b, a);
      for (const instrument of ["USD_JPY", "EUR_USD"]) {
        expect(held(h, instrument)).toEqual(reference(records.filter((r) => r[0] === instrument).map((r) => [r[1], r[2], r[3]] as const)));
      }
    }), { numRuns: 50 });
  });

  it("is bounded: past 200,000 ticks the oldest 20,000 go at once, as before", () => {
    const records = Array.from({ length: 230_001 }, (_, i) => [1_000 + i * 250, 150 + (i % 97) / 1000, 150.01 + (i % 89) / 1000] as const);
    const h = new TickHistory();
    for (const [t, b, a] of records) h.record("USD_JPY", t, b, a);
    const expected = reference(records);
    const got = held(h, "USD_JPY");
    expect(got.length).toBe(expected.length);
    expect(got.length).toBeLessThanOrEqual(200_000);
    expect([got[0], got.at(-1)]).toEqual([expected[0], expected.at(-1)]);
    expect(got).toEqual(expected);
  });

  it("an instrument without ticks has an empty history", () => {
    expect(new TickHistory().ticks("USD_JPY").time.length).toBe(0);
  });
});
