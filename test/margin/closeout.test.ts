// The distance to the broker's loss-cut, under both margin models and both closeout rules.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { accountCloseout, closeoutDistance, closeoutUsage, type CloseoutAccount, type CloseoutPosition, type HomeSide } from "../../src/margin/closeout.ts";
import { chargedUnits } from "../../src/margin/model.ts";

const usdJpy = (long: number, short: number, price = 150): CloseoutPosition => ({ long, short, price, conversion: price, marginRate: 0.04, pipSize: 0.01, homeSide: "quote" });

/** The account revalued from first principles at a new price of the one instrument. */
function revalue(pos: CloseoutPosition, acct: CloseoutAccount, p: number): { nav: number; margin: number } {
  const N = pos.long - pos.short;
  const charged = chargedUnits(acct.model, pos.long, pos.short);
  const q0 = pos.conversion / pos.price; // quote->home now
  let c: number, pl: number;
  if (pos.homeSide === "base") {
    c = 1;
    pl = (N * (p - pos.price)) / p;
  } else {
    c = p * q0;
    pl = N * (p - pos.price) * q0;
  }
  return { nav: acct.nav + pl, margin: acct.marginUsed + charged * pos.marginRate * (c - pos.conversion) };
}

describe("closeoutDistance", () => {
  it("NAV 500,000, 76,700 long USD_JPY at 150 (92% usage): about 52-54 pips under the Japan rule", () => {
    const acct: CloseoutAccount = { nav: 500_000, marginUsed: 76_700 * 150 * 0.04, model: "max_side", rule: "japan" };
    const d = closeoutDistance(usdJpy(76_700, 0), acct);
    // NAV falls 76,700 JPY per yen; margin falls 3,068 JPY per yen with the price it is valued at:
    // 39,800 / (76,700 - 3,068) = 0.5405 yen. Margin held at the open price would give 51.9.
    expect(d.direction).toBe("down");
    expect(d.pips).toBeCloseTo(54.05, 1);
    expect(d.pips!).toBeGreaterThan(50);
    expect(d.pips!).toBeLessThan(56);
    // The UK/global rule (closeout at half the margin) is far away: what /positions used to show.
    const half = closeoutDistance(usdJpy(76_700, 0), { ...acct, rule: "half" });
    expect(half.pips!).toBeGreaterThan(350);
  });

  it("a short is hurt by a rise; the net model charges |net|", () => {
    const acct: CloseoutAccount = { nav: 500_000, marginUsed: 76_700 * 150 * 0.04, model: "net", rule: "japan" };
    const d = closeoutDistance(usdJpy(0, 76_700), acct);
    expect(d.direction).toBe("up");
    // Rise x: NAV -76,700x, margin +3,068x: x = 39,800 / 79,768.
    expect(d.pips).toBeCloseTo((39_800 / 79_768) * 100, 6);
  });

  it("a hedge lock under larger-side margin: L=80k/S=70k at 96% usage", () => {
    const acct: CloseoutAccount = { nav: 500_000, marginUsed: 80_000 * 150 * 0.04, model: "max_side", rule: "japan" };
    const d = closeoutDistance(usdJpy(80_000, 70_000), acct);
    // Falling: NAV -10,000/yen, margin -3,200/yen: 20,000 / 6,800 yen.
    expect(d.direction).toBe("down");
    expect(d.pips).toBeCloseTo((20_000 / 6_800) * 100, 6);
    // A perfect lock only moves margin: a rise of 20,000 / 3,200 yen.
    const lock = closeoutDistance(usdJpy(80_000, 80_000), acct);
    expect(lock.direction).toBe("up");
    expect(lock.pips).toBeCloseTo(625, 6);
    // The same lock under net margin has no loss-cut at all.
    expect(closeoutDistance(usdJpy(80_000, 80_000), { ...acct, model: "net", marginUsed: 0 }).pips).toBeNull();
  });

  it("is 0 at or past the loss-cut, and the usage reads as the broker's marginCloseoutPercent", () => {
    const acct: CloseoutAccount = { nav: 500_000, marginUsed: 500_000, model: "max_side", rule: "japan" };
    expect(closeoutDistance(usdJpy(83_333, 0), acct).pips).toBe(0);
    expect(closeoutUsage("japan", 36_129.8, 38_321.7)).toBeCloseTo(0.9428, 4);
    expect(closeoutUsage("half", 36_129.8, 38_321.7)).toBeCloseTo(0.4714, 4);
  });

  it("EUR_USD on a JPY account: P/L converts at USD->JPY, margin at EUR->JPY", () => {
    const usdjpy = 150;
    const pos: CloseoutPosition = { long: 20_000, short: 0, price: 1.08, conversion: 1.08 * usdjpy, marginRate: 0.04, pipSize: 0.0001, homeSide: "other" };
    const acct: CloseoutAccount = { nav: 200_000, marginUsed: 20_000 * 1.08 * usdjpy * 0.04, model: "max_side", rule: "japan" };
    const d = closeoutDistance(pos, acct);
    const at = revalue(pos, acct, d.price!);
    expect(at.margin).toBeCloseTo(at.nav, 4);
  });

  it("USD_JPY on a USD account: margin does not move, P/L converts at 1/price", () => {
    const pos: CloseoutPosition = { long: 100_000, short: 0, price: 150, conversion: 1, marginRate: 0.04, pipSize: 0.01, homeSide: "base" };
    const acct: CloseoutAccount = { nav: 4_400, marginUsed: 4_000, model: "net", rule: "japan" };
    const d = closeoutDistance(pos, acct);
    const at = revalue(pos, acct, d.price!);
    expect(d.direction).toBe("down");
    expect(at.margin).toBeCloseTo(at.nav, 6);
  });

  const side = fc.constantFrom<HomeSide>("quote", "other", "base");
  it("property: at the reported price the account sits exactly on the loss-cut, and no smaller move in either direction reaches it", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 200_000 }), fc.integer({ min: 0, max: 200_000 }), fc.double({ min: 50, max: 200, noNaN: true }),
        fc.double({ min: 50_000, max: 2_000_000, noNaN: true }), fc.double({ min: 0, max: 1.5, noNaN: true }),
        fc.constantFrom("net", "max_side" as const), fc.constantFrom("japan", "half" as const), side, fc.double({ min: 0.5, max: 1.5, noNaN: true }),
        (L, S, price, nav, usageOfNav, model, rule, homeSide, fx) => {
          const conversion = homeSide === "quote" ? price : homeSide === "base" ? 1 : price * fx;
          const pos: CloseoutPosition = { long: L, short: S, price, conversion, marginRate: 0.04, pipSize: 0.01, homeSide };
          const acct: CloseoutAccount = { nav, marginUsed: nav * usageOfNav, model, rule };
          const k = rule === "japan" ? 1 : 0.5;
          const g = (p: number) => {
            const v = revalue(pos, acct, p);
            return k * v.margin - v.nav;
          };
          const d = closeoutDistance(pos, acct);
          if (k * acct.marginUsed >= nav) {
            expect(d.pips).toBe(0);
            return;
          }
          if (d.pips === null) {
            // No loss-cut: the account never reaches it on a move of up to 90% either way.
            for (const p of [price * 0.1, price * 0.5, price * 0.9, price * 1.1, price * 2, price * 10]) expect(g(p)).toBeLessThan(1e-6 * nav);
            return;
          }
          expect(Math.abs(g(d.price!))).toBeLessThan(1e-6 * nav + 1e-6);
          // Strictly inside the distance (both directions) the account is short of the loss-cut.
          const dp = d.pips * 0.01;
          for (const f of [0.25, 0.5, 0.9, 0.999]) {
            if (price - dp * f > 0) expect(g(price - dp * f)).toBeLessThan(0);
            expect(g(price + dp * f)).toBeLessThan(0);
          }
        },
      ),
      { seed: 11, numRuns: 400 },
    );
  });

  it("property: closer to the loss-cut with more units on the net side, never further", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1_000, max: 80_000 }), fc.integer({ min: 1, max: 20_000 }), fc.constantFrom("net", "max_side" as const), (L, extra, model) => {
        const acct = (units: number): CloseoutAccount => ({ nav: 500_000, marginUsed: units * 150 * 0.04, model, rule: "japan" });
        // null: no move reaches it (the price would have to fall to zero).
        const a = closeoutDistance(usdJpy(L, 0), acct(L)).pips ?? Number.POSITIVE_INFINITY;
        const b = closeoutDistance(usdJpy(L + extra, 0), acct(L + extra)).pips ?? Number.POSITIVE_INFINITY;
        expect(b).toBeLessThanOrEqual(a);
      }),
      { seed: 12 },
    );
  });
});

describe("accountCloseout", () => {
  it("is the nearest instrument's distance, with the rule's usage", () => {
    const acct: CloseoutAccount = { nav: 500_000, marginUsed: 400_000, model: "max_side", rule: "japan" };
    const a = accountCloseout(acct, [
      { instrument: "USD_JPY", distance: { pips: 80, direction: "down", price: 149.2 } },
      { instrument: "EUR_JPY", distance: { pips: 60, direction: "up", price: 160.6 } },
      { instrument: "GBP_JPY", distance: { pips: null, direction: null, price: null } },
    ]);
    expect(a).toEqual({ rule: "japan", usage: 0.8, pips: 60, instrument: "EUR_JPY", direction: "up" });
  });
});
