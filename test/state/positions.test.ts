// Positions take the broker's snapshot whole: after any run of snapshots the table is the last
// snapshot's positions, in its order, whether the instruments held changed or not (units are
// replaced in place when the same instruments come back in the same order).
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Positions } from "../../src/state/positions.ts";
import type { AccountSnapshot } from "../../src/core/types.ts";

const snapOf = (txn: number, positions: AccountSnapshot["positions"]): AccountSnapshot => ({
  id: "a", currency: "JPY", balance: 0, nav: 0, unrealizedPL: 0, marginUsed: 0, marginAvailable: 0, marginCloseoutPercent: 0,
  hedgingEnabled: true, lastTransactionID: String(txn), asOf: 0, positions,
});

const positions = fc.uniqueArray(fc.constantFrom("USD_JPY", "EUR_USD", "EUR_JPY"), { maxLength: 3 }).chain((names) =>
  fc.tuple(...names.map((instrument) => fc.record({ instrument: fc.constant(instrument), long: fc.nat(5), short: fc.nat(5) }))),
);

describe("Positions.takeSnapshot", () => {
  it("property: after any run of snapshots, the table is the last snapshot's, in its order", () => {
    fc.assert(
      fc.property(fc.array(positions, { minLength: 1, maxLength: 12 }), (snaps) => {
        const p = new Positions();
        snaps.forEach((ps, k) => {
          p.takeSnapshot(snapOf(k + 1, ps));
          const fresh = new Positions();
          fresh.takeSnapshot(snapOf(k + 1, ps));
          expect(p.instruments()).toEqual(fresh.instruments());
          expect(p.open()).toEqual(fresh.open());
          for (const i of ["USD_JPY", "EUR_USD", "EUR_JPY"]) expect(p.get(i)).toEqual(fresh.get(i));
        });
      }),
      { seed: 11, numRuns: 300 },
    );
  });

  it("a fill applied between snapshots is replaced by the next snapshot, not added to it", () => {
    const p = new Positions();
    p.takeSnapshot(snapOf(10, [{ instrument: "USD_JPY", long: 1_000, short: 0 }]));
    p.applyFill("USD_JPY", "buy", 500, "11", false, true);
    expect(p.get("USD_JPY")).toEqual({ long: 1_500, short: 0 });
    p.takeSnapshot(snapOf(11, [{ instrument: "USD_JPY", long: 1_500, short: 0 }]));
    expect(p.get("USD_JPY")).toEqual({ long: 1_500, short: 0 });
  });
});
