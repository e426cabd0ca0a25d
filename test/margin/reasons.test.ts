// Every reason allowed_lot can give, each from a plain account an operator would recognise.
import { describe, expect, it } from "vitest";
import { allowedLot } from "../../src/margin/allowed-lot.ts";
import { DEFAULT_LIMITS, memoInput } from "./fixtures.ts";

// NAV 500,000 JPY at 155 x 4%: budget 414,000 JPY = 66,774 units; one-side max = dir cap = 74,193 units.
describe("allowed_lot reasons", () => {
  it("ok: the request fits every rule and is allowed in full", () => {
    const r = allowedLot(memoInput({ requestedUnits: 10_000 }));
    expect(r.reason).toBe("ok");
    expect(r.allowedUnits).toBe(10_000);
    expect(r.maxUnits).toBe(66_774);
    expect(r.marginAfter).toBeCloseTo(62_000, 6);
    expect(r.usageAfter).toBeCloseTo(0.124, 9);
  });

  it("ok without a request: allowedUnits is maxUnits, and bindingLimit still says what stopped it", () => {
    const r = allowedLot(memoInput());
    expect(r.reason).toBe("ok");
    expect(r.allowedUnits).toBe(r.maxUnits);
    expect(r.bindingLimit).toBe("margin_budget");
  });

  it("margin_budget: a request above the budget is cut to it", () => {
    const r = allowedLot(memoInput({ requestedUnits: 70_000 }));
    expect(r.reason).toBe("margin_budget");
    expect(r.allowedUnits).toBe(66_774);
    expect(r.marginAfter).toBeLessThanOrEqual(r.budget);
  });

  it("margin_budget: margin used elsewhere in the account (broker marginUsed) leaves less room", () => {
    // 300,000 JPY used by other instruments: (414,000 - 300,000) / 6.2 = 18,387 units.
    const r = allowedLot(memoInput({ marginUsed: 300_000, requestedUnits: 50_000 }));
    expect(r.reason).toBe("margin_budget");
    expect(r.allowedUnits).toBe(18_387);
    expect(r.marginBefore).toBe(300_000);
  });

  it("margin_budget with 0 units: the account is already over budget in the entry's direction", () => {
    const r = allowedLot(memoInput({ long: 70_000, requestedUnits: 1_000 }));
    expect(r.allowedUnits).toBe(0);
    expect(r.reason).toBe("margin_budget");
  });

  it("dir_cap: the hedge is allowed by margin but the growing side may not pass the one-side maximum", () => {
    // 45k short, buy 80k: margin after would be 35k x 6.2 = 217,000 (fine), but long 80k > 74,193.
    const r = allowedLot(memoInput({ short: 45_000, requestedUnits: 80_000 }));
    expect(r.reason).toBe("dir_cap");
    expect(r.allowedUnits).toBe(74_193);
    expect(r.dirCapUnits).toBeCloseTo(74_193.548, 3);
  });

  it("dir_cap with DIR_CAP_RATIO 0.5: each side stops at half the one-side maximum", () => {
    const r = allowedLot(memoInput({ short: 45_000, limits: { ...DEFAULT_LIMITS, dirCapRatio: 0.5 } }));
    expect(r.reason).toBe("ok");
    expect(r.bindingLimit).toBe("dir_cap");
    expect(r.maxUnits).toBe(37_096);
  });

  it("low_free_margin: with free margin under MIN_FREE_MARGIN_RATIO an entry in the same direction gets 0", () => {
    const r = allowedLot(memoInput({ long: 60_000, side: "buy", marginAvailable: 4_000, requestedUnits: 1_000 }));
    expect(r.freeMarginRatio).toBeCloseTo(0.008, 9);
    expect(r.allowedUnits).toBe(0);
    expect(r.reason).toBe("low_free_margin");
  });

  it("low_free_margin: even from flat nothing opens when free margin is that low", () => {
    const r = allowedLot(memoInput({ marginUsed: 497_000 }));
    expect(r.freeMarginRatio).toBeCloseTo(0.006, 9);
    expect(r.maxUnits).toBe(0);
    expect(r.reason).toBe("low_free_margin");
  });

  it("with low free margin a hedge passes (ALLOW_HEDGE_ON_LOW_MARGIN, the default), but only as far as flat", () => {
    const r = allowedLot(memoInput({ long: 60_000, side: "sell", marginAvailable: 4_000, requestedUnits: 100_000 }));
    expect(r.netReducing).toBe(true);
    expect(r.allowedUnits).toBe(60_000);
    expect(r.reason).toBe("low_free_margin");
    expect(r.marginAfter).toBe(0);
  });

  it("hedge_disabled_low_margin: with ALLOW_HEDGE_ON_LOW_MARGIN off the hedge is refused too", () => {
    const limits = { ...DEFAULT_LIMITS, allowHedgeOnLowMargin: false };
    const r = allowedLot(memoInput({ long: 60_000, side: "sell", marginAvailable: 4_000, requestedUnits: 10_000, limits }));
    expect(r.allowedUnits).toBe(0);
    expect(r.reason).toBe("hedge_disabled_low_margin");
  });

  it("below_min_units: a request smaller than the instrument's minimum size gets 0", () => {
    const r = allowedLot(memoInput({ minUnits: 1_000, requestedUnits: 999 }));
    expect(r.allowedUnits).toBe(0);
    expect(r.maxUnits).toBe(66_774);
    expect(r.reason).toBe("below_min_units");
  });

  it("below_min_units: when the room left is under the minimum size, nothing may be added", () => {
    // Budget room for 774 more units of long, minimum order 1,000.
    const r = allowedLot(memoInput({ long: 66_000, minUnits: 1_000 }));
    expect(r.maxUnits).toBe(0);
    expect(r.reason).toBe("below_min_units");
  });

  it("fractional requests are floored to the unit precision, never rounded up", () => {
    expect(allowedLot(memoInput({ requestedUnits: 1_234.99 })).allowedUnits).toBe(1_234);
    expect(allowedLot(memoInput({ requestedUnits: 1_234.999, unitsPrecision: 2, minUnits: 0.01 })).allowedUnits).toBe(1_234.99);
  });

  it.each([
    ["NAV 0", { nav: 0 }],
    ["negative NAV", { nav: -1 }],
    ["price 0", { conversion: 0 }],
    ["margin rate 0", { marginRate: 0 }],
    ["NaN price", { conversion: Number.NaN }],
    ["negative long units", { long: -5 }],
    ["NaN short units", { short: Number.NaN }],
  ])("bad_input: %s allows nothing", (_name, over) => {
    const r = allowedLot(memoInput({ requestedUnits: 1_000, ...over }));
    expect(r.allowedUnits).toBe(0);
    expect(r.maxUnits).toBe(0);
    expect(r.reason).toBe("bad_input");
  });
});
