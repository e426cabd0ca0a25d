// The memo's concrete picture (seed/hedging-memo "A concrete picture"), computed by the engine.
import { describe, expect, it } from "vitest";
import { allowedLot } from "../../src/margin/allowed-lot.ts";
import { instrumentMargin, marginBudget, oneSideMaxUnits } from "../../src/margin/model.ts";
import type { MarginModel, Side } from "../../src/core/types.ts";
import { DEFAULT_LIMITS, memoInput } from "./fixtures.ts";

describe("the memo's picture: NAV 500,000 JPY, margin rate 4%", () => {
  it("one side alone allows about 73,000 units at a price of about 157 (before the safety factor)", () => {
    const units = oneSideMaxUnits(500_000, 0.92, 157, 0.04);
    // 500,000 x 0.92 / (157 x 0.04) = 73,248.4
    expect(units).toBeCloseTo(73_248.4, 1);
    expect(units).toBeGreaterThan(72_000);
    expect(units).toBeLessThan(74_000);
  });

  it("the budget applies the safety factor on top: 500,000 x 0.92 x 0.9 = 414,000 JPY", () => {
    expect(marginBudget(500_000, 0.92, 0.9)).toBeCloseTo(414_000, 6);
    // From flat, a lone entry is bound by that budget: 414,000 / (157 x 0.04) = 65,923 units.
    const r = allowedLot(memoInput({ conversion: 157 }));
    expect(r.maxUnits).toBe(65_923);
    expect(r.bindingLimit).toBe("margin_budget");
    expect(r.marginAfter).toBeLessThanOrEqual(r.budget);
  });

  it("with 45k short open, a 50k long is allowed in full and leaves net +5k and about 31,000 JPY margin (net model, 155)", () => {
    const r = allowedLot(memoInput({ short: 45_000, side: "buy", requestedUnits: 50_000, model: "net" }));
    expect(r.allowedUnits).toBe(50_000);
    expect(r.reason).toBe("ok");
    expect(r.netReducing).toBe(true);
    // before: 45,000 x 155 x 0.04 = 279,000; after: |50,000 - 45,000| x 155 x 0.04 = 31,000
    expect(r.marginBefore).toBeCloseTo(279_000, 6);
    expect(r.marginAfter).toBeCloseTo(31_000, 6);
    expect(instrumentMargin("net", 50_000, 45_000, 155, 0.04)).toBeCloseTo(31_000, 6);
  });

  it("the same trade under max_side keeps charging the larger side: 50,000 x 155 x 0.04 = 310,000 JPY", () => {
    const r = allowedLot(memoInput({ short: 45_000, side: "buy", requestedUnits: 50_000, model: "max_side" }));
    expect(r.allowedUnits).toBe(50_000);
    expect(r.marginAfter).toBeCloseTo(310_000, 6);
  });

  it("alternating allowed entries, the gross (long + short) reaches nearly twice the one-side maximum under net", () => {
    const gross = alternate("net");
    const oneSide = oneSideMaxUnits(500_000, 0.92, 155, 0.04); // 74,193.5
    expect(gross.long + gross.short).toBeGreaterThan(1.98 * oneSide);
    // ...and never more: each side stays within the same-direction cap (DIR_CAP_RATIO 1.0).
    expect(gross.long).toBeLessThanOrEqual(oneSide);
    expect(gross.short).toBeLessThanOrEqual(oneSide);
    // The margin budget held at every step.
    expect(gross.worstMargin).toBeLessThanOrEqual(marginBudget(500_000, 0.92, 0.9));
  });

  it("under max_side the gross also nearly doubles, but only up to the budget on each side", () => {
    const gross = alternate("max_side");
    const budgetUnits = marginBudget(500_000, 0.92, 0.9) / (155 * 0.04); // 66,774
    expect(gross.long + gross.short).toBeGreaterThan(1.99 * budgetUnits);
    expect(Math.max(gross.long, gross.short)).toBeLessThanOrEqual(budgetUnits);
    expect(gross.worstMargin).toBeLessThanOrEqual(marginBudget(500_000, 0.92, 0.9));
  });
});

/** Take the full allowed lot, alternating buy and sell, until nothing more is allowed. */
function alternate(model: MarginModel): { long: number; short: number; worstMargin: number } {
  let long = 0;
  let short = 0;
  let worstMargin = 0;
  let side: Side = "buy";
  for (let step = 0, idle = 0; step < 50 && idle < 2; step++) {
    const r = allowedLot(memoInput({ model, long, short, side, limits: DEFAULT_LIMITS }));
    if (r.allowedUnits > 0) {
      idle = 0;
      if (side === "buy") long += r.allowedUnits;
      else short += r.allowedUnits;
      worstMargin = Math.max(worstMargin, r.marginAfter);
    } else idle++;
    side = side === "buy" ? "sell" : "buy";
  }
  return { long, short, worstMargin };
}
