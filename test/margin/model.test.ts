// Margin per instrument and per account under both models, the ratios, and the base->home factor.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  accountMargin, chargedUnits, clampUsage, freeMarginRatio, instrumentMargin, marginBudget, marginUsageRatio, oneSideMaxUnits,
} from "../../src/margin/model.ts";
import { baseToHome } from "../../src/margin/conversion.ts";

describe("margin models", () => {
  it("net charges |L - S| x c x r; max_side charges max(L, S) x c x r", () => {
    expect(instrumentMargin("net", 50_000, 45_000, 155, 0.04)).toBeCloseTo(31_000, 6);
    expect(instrumentMargin("max_side", 50_000, 45_000, 155, 0.04)).toBeCloseTo(310_000, 6);
    expect(instrumentMargin("net", 0, 45_000, 155, 0.04)).toBeCloseTo(279_000, 6);
    expect(chargedUnits("net", 10, 30)).toBe(20);
    expect(chargedUnits("max_side", 10, 30)).toBe(30);
  });

  it("max_side never charges less than net, and both agree on a one-sided position", () => {
    fc.assert(
      fc.property(fc.nat(1e7), fc.nat(1e7), (L, S) => {
        expect(chargedUnits("max_side", L, S)).toBeGreaterThanOrEqual(chargedUnits("net", L, S));
        expect(chargedUnits("max_side", L, 0)).toBe(chargedUnits("net", L, 0));
      }),
      { seed: 20_251_230 },
    );
  });

  it("account margin is the sum over instruments", () => {
    const usd = { long: 50_000, short: 45_000, conversion: 155, marginRate: 0.04 };
    const eur = { long: 0, short: 10_000, conversion: 170, marginRate: 0.04 };
    expect(accountMargin("net", [usd, eur])).toBeCloseTo(31_000 + 68_000, 6);
    expect(accountMargin("max_side", [usd, eur])).toBeCloseTo(310_000 + 68_000, 6);
    expect(accountMargin("net", [])).toBe(0);
  });

  it("usage and free ratios divide by NAV, and are 0 (not Infinity) when NAV is not positive", () => {
    expect(marginUsageRatio(31_000, 500_000)).toBeCloseTo(0.062, 12);
    expect(freeMarginRatio(469_000, 500_000)).toBeCloseTo(0.938, 12);
    expect(marginUsageRatio(31_000, 0)).toBe(0);
    expect(freeMarginRatio(1, -5)).toBe(0);
  });

  it("MAX_MARGIN_USAGE is clamped to 0.92 in the budget and the one-side maximum; the safety factor applies to the budget only", () => {
    expect(clampUsage(0.95)).toBe(0.92);
    expect(clampUsage(0.5)).toBe(0.5);
    expect(marginBudget(500_000, 1, 0.9)).toBeCloseTo(414_000, 6);
    expect(marginBudget(500_000, 0.5, 0.9)).toBeCloseTo(225_000, 6);
    expect(oneSideMaxUnits(500_000, 0.99, 155, 0.04)).toBeCloseTo(oneSideMaxUnits(500_000, 0.92, 155, 0.04), 9);
    expect(oneSideMaxUnits(500_000, 0.92, 0, 0.04)).toBe(0);
  });

  it("budget = NAV x min(MAX_MARGIN_USAGE, 0.92) x MARGIN_SAFETY_FACTOR for any inputs", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e9, noNaN: true }), fc.double({ min: 0.01, max: 1, noNaN: true }), fc.double({ min: 0.1, max: 1, noNaN: true }), (nav, u, sf) => {
        expect(marginBudget(nav, u, sf)).toBeCloseTo(nav * Math.min(u, 0.92) * sf, 3);
      }),
      { seed: 20_251_230 },
    );
  });
});

describe("base->home conversion", () => {
  const mids: Record<string, number> = { USD_JPY: 155, EUR_USD: 1.1, GBP_USD: 1.25 };
  const mid = (i: string) => mids[i];

  it("is the price itself for USD_JPY in a JPY account, and 1 for the home currency", () => {
    expect(baseToHome("USD", "JPY", mid)).toBe(155);
    expect(baseToHome("JPY", "JPY", mid)).toBe(1);
  });

  it("inverts a quote in the other direction and crosses through USD", () => {
    expect(baseToHome("JPY", "USD", mid)).toBeCloseTo(1 / 155, 12);
    expect(baseToHome("EUR", "JPY", mid)).toBeCloseTo(1.1 * 155, 9);
  });

  it("refuses to guess when there is no route", () => {
    expect(baseToHome("CHF", "JPY", mid)).toBeUndefined();
  });
});
