// Reduce-only sizing on the worst case, as a pure function: whatever subset of the unsettled
// orders fills, the reduction never leaves |net| larger than it was.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { reduceOnlyRoom } from "../../../src/gate/guards/reduce-only-worst-case.ts";

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
