import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { planHedge, type HedgeSettings } from "../../../src/workers/hedge_balancer/plan.ts";

// The memo's defaults.
const S: HedgeSettings = {
  triggerMarginUsage: 0.88, targetMarginUsage: 0.82, triggerFreeMarginRatio: 0.08, minNetUnits: 15_000,
  minHedgeUnits: 10_000, maxHedgeUnits: 90_000, maxReductionFraction: 0.55, minPrice: 90,
};

describe("hedge plan (memo arithmetic)", () => {
  it("hedges against the net when usage is at the trigger, sized to the target usage", () => {
    // NAV-ish 500k: used 450k (usage 0.9), net +75k long at 150 x 4% = 450k.
    const p = planHedge({ marginUsed: 450_000, marginAvailable: 50_000, net: 75_000, price: 150, marginRate: 0.04 }, S);
    expect(p.action).toBe("hedge");
    if (p.action !== "hedge") return;
    expect(p.side).toBe("sell");
    // targetNet = 500000*0.82/(150*0.04) = 68333.33; desired = 75000-68333.33 = 6666.67 -> min 10000
    expect(p.targetNet).toBeCloseTo(68_333.33, 1);
    expect(p.units).toBe(10_000);
  });

  it("caps the reduction at 55% of net and at 90k units", () => {
    // targetNet = 910000*0.82/6 = 124366; desired 275634 -> min(275634, 220000, 90000)
    const p = planHedge({ marginUsed: 900_000, marginAvailable: 10_000, net: -400_000, price: 150, marginRate: 0.04 }, S);
    expect(p.action).toBe("hedge");
    if (p.action !== "hedge") return;
    expect(p.side).toBe("buy");
    expect(p.units).toBe(90_000);
    // targetNet = 105000*0.82/6 = 14350; desired 85650 -> capped at 55% of 100k
    const q = planHedge({ marginUsed: 100_000, marginAvailable: 5_000, net: 100_000, price: 150, marginRate: 0.04 }, S);
    if (q.action !== "hedge") throw new Error("expected a hedge");
    expect(q.units).toBe(55_000);
  });

  it("uses 25% of net when the target is already met", () => {
    // usage high because of margin on other instruments; this net is small relative to target.
    const p = planHedge({ marginUsed: 890_000, marginAvailable: 110_000, net: 60_000, price: 150, marginRate: 0.04 }, S);
    if (p.action !== "hedge") throw new Error("expected a hedge");
    expect(p.desired).toBe(15_000);
    expect(p.units).toBe(15_000);
  });

  it("triggers on a low free-margin ratio alone", () => {
    const p = planHedge({ marginUsed: 800_000, marginAvailable: 70_000, net: 40_000, price: 150, marginRate: 0.04 }, S);
    expect(p.action).toBe("hedge");
  });

  it("does nothing below the trigger, with a small net, without a price, or below HEDGE_MIN_PRICE", () => {
    expect(planHedge({ marginUsed: 400_000, marginAvailable: 100_000, net: 80_000, price: 150, marginRate: 0.04 }, S)).toMatchObject({ action: "none", reason: "below_trigger" });
    expect(planHedge({ marginUsed: 450_000, marginAvailable: 20_000, net: 14_999, price: 150, marginRate: 0.04 }, S)).toMatchObject({ action: "none", reason: "net_below_min" });
    expect(planHedge({ marginUsed: 450_000, marginAvailable: 20_000, net: 50_000, price: undefined, marginRate: 0.04 }, S)).toMatchObject({ action: "none", reason: "no_price" });
    expect(planHedge({ marginUsed: 450_000, marginAvailable: 20_000, net: 50_000, price: 89.99, marginRate: 0.04 }, S)).toMatchObject({ action: "none", reason: "price_below_min" });
  });

  it("property: units are whole, opposite to net, within [min(10k,|net|), min(|net|, 90k)] and never above |net|", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 5e6, noNaN: true }), fc.double({ min: 0, max: 5e6, noNaN: true }),
        fc.integer({ min: -500_000, max: 500_000 }), fc.double({ min: 90, max: 300, noNaN: true }),
        (used, avail, net, price) => {
          const p = planHedge({ marginUsed: used, marginAvailable: avail, net, price, marginRate: 0.04 }, S);
          if (p.action !== "hedge") return;
          expect(Number.isInteger(p.units)).toBe(true);
          expect(p.side).toBe(net > 0 ? "sell" : "buy");
          expect(p.units).toBeLessThanOrEqual(Math.abs(net));
          expect(p.units).toBeLessThanOrEqual(Math.max(S.minHedgeUnits, S.maxHedgeUnits));
          expect(p.units).toBeGreaterThanOrEqual(Math.min(S.minHedgeUnits, Math.abs(net)));
        },
      ),
    );
  });
});

describe("hedge plan under larger-side margin, and the price bounds", () => {
  const U = { ...S, unwindEnabled: true, unwindMaxUnits: 30_000 };

  it("a hedge lock (L=80k/S=70k at 150, 96%) unwinds equal units of both sides, sized to the target", () => {
    const p = planHedge({ marginUsed: 480_000, marginAvailable: 20_000, net: 10_000, long: 80_000, short: 70_000, model: "max_side", price: 150, marginRate: 0.04 }, U);
    expect(p.action).toBe("unwind");
    if (p.action !== "unwind") return;
    // targetCharged = 500,000 x 0.82 / 6 = 68,333.3; desired = 80,000 - 68,333.3
    expect(p.units).toBe(11_666);
    // The same account under net margin: the memo's net_below_min.
    expect(planHedge({ marginUsed: 480_000, marginAvailable: 20_000, net: 10_000, long: 80_000, short: 70_000, model: "net", price: 150, marginRate: 0.04 }, U)).toMatchObject({ action: "none", reason: "net_below_min" });
    // HEDGE_UNWIND_ENABLED=0: nothing, as before.
    expect(planHedge({ marginUsed: 480_000, marginAvailable: 20_000, net: 10_000, long: 80_000, short: 70_000, model: "max_side", price: 150, marginRate: 0.04 }, { ...U, unwindEnabled: false })).toMatchObject({ action: "none", reason: "net_below_min" });
  });

  it("a one-sided position plans exactly as the memo under either model", () => {
    fc.assert(
      fc.property(fc.integer({ min: 15_000, max: 200_000 }), fc.double({ min: 0.88, max: 0.99, noNaN: true }), (net, usage) => {
        const base = { marginUsed: 500_000 * usage, marginAvailable: 500_000 * (1 - usage), net, price: 150, marginRate: 0.04 };
        expect(planHedge({ ...base, long: net, short: 0, model: "max_side" }, U)).toEqual(planHedge(base, S));
      }),
      { seed: 61 },
    );
  });

  it("property: an unwind step never exceeds the smaller side or the step cap; a hedge never exceeds |net|", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200_000 }), fc.integer({ min: 0, max: 200_000 }), fc.double({ min: 0.5, max: 1, noNaN: true }), (L, S2, usage) => {
        const p = planHedge({ marginUsed: 500_000 * usage, marginAvailable: 500_000 * (1 - usage), net: L - S2, long: L, short: S2, model: "max_side", price: 150, marginRate: 0.04 }, U);
        if (p.action === "unwind") expect(p.units).toBeLessThanOrEqual(Math.min(L, S2, 30_000));
        if (p.action === "hedge") expect(p.units).toBeLessThanOrEqual(Math.abs(L - S2));
      }),
      { seed: 62 },
    );
  });

  it("HEDGE_MIN_PRICE guards JPY-quoted pairs only; other pairs get the 2% sanity bound against the latest mid", () => {
    const eur = { marginUsed: 450_000, marginAvailable: 50_000, net: 20_000, price: 1.08, marginRate: 0.04, conversion: 162, jpyQuoted: false };
    expect(planHedge(eur, S).action).toBe("hedge");
    expect(planHedge({ ...eur, latestMid: 1.081 }, S).action).toBe("hedge");
    expect(planHedge({ ...eur, latestMid: 1.2 }, S)).toMatchObject({ action: "none", reason: "price_out_of_bounds" });
    expect(planHedge({ ...eur, price: 0 }, S)).toMatchObject({ action: "none", reason: "price_out_of_bounds" });
    // USD_JPY below 90 is still refused.
    expect(planHedge({ marginUsed: 450_000, marginAvailable: 50_000, net: 75_000, price: 89, marginRate: 0.04, jpyQuoted: true }, S)).toMatchObject({ action: "none", reason: "price_below_min" });
  });
});
