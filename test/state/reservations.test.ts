// Unsettled orders counted as position: the range a net may end in covers every combination of
// them filling or not, and sizing counts every entry (reduce-only ones are never subtracted).
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Reservations } from "../../src/state/reservations.ts";

const order = fc.record({
  instrument: fc.constantFrom("USD_JPY", "EUR_USD"),
  side: fc.constantFrom("buy" as const, "sell" as const),
  units: fc.integer({ min: 1, max: 100_000 }),
  reduceOnly: fc.boolean(),
  fateUnknown: fc.boolean(),
});

describe("reservations", () => {
  it("property: every combination of unsettled orders filling leaves the net inside netRange, and the range is reached", () => {
    fc.assert(
      fc.property(fc.array(order, { maxLength: 8 }), fc.integer({ min: -50_000, max: 50_000 }), (orders, net0) => {
        const r = new Reservations(() => 0);
        orders.forEach((o, i) => r.reserve({ clientId: `c${i}`, ...o }));
        const position = net0 >= 0 ? { long: net0, short: 0 } : { long: 0, short: -net0 };
        const range = r.netRange("USD_JPY", position);
        const mine = orders.filter((o) => o.instrument === "USD_JPY");
        const nets: number[] = [];
        for (let mask = 0; mask < 1 << mine.length; mask++) {
          nets.push(mine.reduce((n, o, k) => (mask & (1 << k) ? n + (o.side === "buy" ? o.units : -o.units) : n), net0));
        }
        expect(Math.min(...nets)).toBe(range.min);
        expect(Math.max(...nets)).toBe(range.max);
      }),
    );
  });

  it("property: sizing counts every entry (without those of unknown fate when asked), never a reduce-only order", () => {
    fc.assert(
      fc.property(fc.array(order, { maxLength: 8 }), (orders) => {
        const r = new Reservations(() => 0);
        orders.forEach((o, i) => {
          r.reserve({ clientId: `c${i}`, instrument: o.instrument, side: o.side, units: o.units, reduceOnly: o.reduceOnly });
          if (o.fateUnknown) r.markFateUnknown(`c${i}`);
        });
        const sum = (side: "buy" | "sell", withUnknown: boolean) =>
          orders.filter((o) => o.instrument === "USD_JPY" && !o.reduceOnly && o.side === side && (withUnknown || !o.fateUnknown)).reduce((n, o) => n + o.units, 0);
        expect(r.withEntries("USD_JPY", { long: 5, short: 7 })).toEqual({ long: 5 + sum("buy", true), short: 7 + sum("sell", true) });
        expect(r.withEntries("USD_JPY", { long: 5, short: 7 }, false)).toEqual({ long: 5 + sum("buy", false), short: 7 + sum("sell", false) });
        orders.forEach((_, i) => r.release(`c${i}`));
        expect(r.list()).toEqual([]);
      }),
    );
  });
});
