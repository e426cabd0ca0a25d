// A signal's legs summed into the one settled order the gate records and signal_settled carries
// (src/execution/legs.ts): filled only when every leg filled, otherwise as the leg that stopped
// the rest, with every filled unit counted.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { SettledOrder } from "../../src/core/order-events.ts";
import { ORDER_STATUSES } from "../../src/core/orders.ts";
import { sumLegs } from "../../src/execution/legs.ts";

const leg = (clientId: string, p: Partial<SettledOrder> = {}): SettledOrder => ({
  clientId, instrument: "USD_JPY", side: "sell", status: "filled", outcomeKind: "filled", units: 1_000, filledUnits: 1_000, reduceOnly: true, ...p,
});

describe("sumLegs", () => {
  it("a close whose second side was cancelled is cancelled, with the first side's units filled", () => {
    const legs = [leg("sk-a-L", { fillPrice: 155 }), leg("sk-a-S", { side: "buy", status: "cancelled", outcomeKind: "cancelled", filledUnits: undefined, reason: "MARKET_HALTED" })];
    expect(sumLegs(legs, { clientId: "sk-a", units: 2_000 })).toEqual({
      ...legs[1], clientId: "sk-a", units: 2_000, filledUnits: 1_000,
    });
  });

  it("every leg filled: filled, speaking with the leg asked for (the first by default)", () => {
    const legs = [leg("sk-b-t1", { fillPrice: 155, units: 300, filledUnits: 300 }), leg("sk-b-t2", { fillPrice: 156, outcomeKind: "lookup", units: 700, filledUnits: 700 })];
    expect(sumLegs(legs, { clientId: "sk-b", units: 1_000 })).toMatchObject({ status: "filled", fillPrice: 155, outcomeKind: "filled", filledUnits: 1_000, clientId: "sk-b" });
    expect(sumLegs(legs, { clientId: "sk-b-t1", units: 1_000 }, legs[1])).toMatchObject({ status: "filled", fillPrice: 156, outcomeKind: "lookup", filledUnits: 1_000, clientId: "sk-b-t1" });
  });

  it("is filled exactly when every leg is, counts every filled unit, and otherwise takes the first unfilled leg's status", () => {
    const arbLeg = fc.record({ status: fc.constantFrom(...ORDER_STATUSES), filledUnits: fc.option(fc.integer({ min: 0, max: 1e6 }), { nil: undefined }) });
    fc.assert(fc.property(fc.array(arbLeg, { minLength: 1, maxLength: 6 }), (parts) => {
      const legs = parts.map((p, i) => leg(`sk-c-${i}`, p));
      const sum = sumLegs(legs, { clientId: "sk-c", units: 42 });
      const firstUnfilled = legs.find((l) => l.status !== "filled");
      expect(sum.status).toBe(firstUnfilled ? firstUnfilled.status : "filled");
      expect(sum.filledUnits).toBe(parts.reduce((n, p) => n + (p.filledUnits ?? 0), 0));
      expect([sum.clientId, sum.units]).toEqual(["sk-c", 42]);
    }));
  });
});
