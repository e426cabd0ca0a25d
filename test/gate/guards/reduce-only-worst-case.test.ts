// Reduce-only sizing on the worst case, as a pure function: whatever subset of the unsettled
// orders fills, the reduction never leaves |net| larger than it was.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { entryRoomBesidePendingReduceOnly, reduceOnlyRoom } from "../../../src/gate/guards/reduce-only-worst-case.ts";

describe("reduceOnlyRoom", () => {
  it("the issue's case: the gate's net +20,000 with a sell of 30,000 of unknown fate leaves no room to sell (fate_unknown)", () => {
    expect(reduceOnlyRoom("sell", { min: -10_000, max: 20_000 }, 20_000)).toMatchObject({ ok: false, reason: "fate_unknown" });
  });

  it("nothing unsettled: room is |net| on the reducing side, nothing the other way", () => {
    expect(reduceOnlyRoom("sell", { min: 15_000, max: 15_000 }, 15_000)).toEqual({ ok: true, maxUnits: 15_000 });
    expect(reduceOnlyRoom("buy", { min: 15_000, max: 15_000 }, 15_000)).toMatchObject({ ok: false, reason: "reduce_only_direction" });
    expect(reduceOnlyRoom("buy", { min: 0, max: 0 }, 0)).toMatchObject({ ok: false, reason: "nothing_to_reduce" });
  });

  it("for any net and unsettled orders, the units allowed never grow |net| whichever of them fill", () => {
    const order = fc.record({ side: fc.constantFrom("buy" as const, "sell" as const), units: fc.integer({ min: 1, max: 100_000 }) });
    fc.assert(fc.property(fc.integer({ min: -200_000, max: 200_000 }), fc.array(order, { maxLength: 5 }), fc.constantFrom("buy" as const, "sell" as const), fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }), (net, pending, side, fills) => {
      let min = net, max = net;
      for (const o of pending) (o.side === "buy" ? (max += o.units) : (min -= o.units));
      const room = reduceOnlyRoom(side, { min, max }, net);
      if (!room.ok) return;
      const outcome = net + pending.reduce((n, o, i) => n + (fills[i] ? (o.side === "buy" ? o.units : -o.units) : 0), 0);
      const after = outcome + (side === "buy" ? room.maxUnits : -room.maxUnits);
      expect(Math.abs(after)).toBeLessThanOrEqual(Math.abs(outcome));
    }), { numRuns: 500 });
  });
});

describe("entryRoomBesidePendingReduceOnly", () => {
  it("no pending reduce-only order on the entry's side: no limit", () => {
    expect(entryRoomBesidePendingReduceOnly("sell", { min: 0, max: 20_000 }, [{ side: "buy", reduceOnly: true }, { side: "sell", reduceOnly: false }])).toBe(Infinity);
  });
  it("long 20,000 with a reduce-only sell of 11,000 pending: a sell entry may take at most 9,000", () => {
    expect(entryRoomBesidePendingReduceOnly("sell", { min: 9_000, max: 20_000 }, [{ side: "sell", reduceOnly: true }])).toBe(9_000);
  });
  it("property: whatever fills, in any order, the pending reduce-only order never grows |net|", () => {
    fc.assert(fc.property(fc.integer({ min: -100, max: 100 }), fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 200 }), (net, held, asked) => {
      // A reduce-only sell sized by reduceOnlyRoom on a net with nothing else pending.
      const room = reduceOnlyRoom("sell", { min: net, max: net }, net);
      if (!room.ok) return;
      const r = Math.min(held, room.maxUnits);
      const entry = Math.min(asked, entryRoomBesidePendingReduceOnly("sell", { min: net - r, max: net }, [{ side: "sell", reduceOnly: true }]));
      // Worst order: the entry fills first, then the reduce-only order.
      const before = net - entry;
      expect(Math.abs(before - r)).toBeLessThanOrEqual(Math.abs(before));
    }));
  });
});
