// Closing both sides: one request when FIFO only meets sekisho's trades; otherwise legs that
// never leave |net| above where it was.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { planPairClose, type PairCloseInput } from "../../src/gate/pair-close.ts";
import type { TradeView } from "../../src/state/account-state.ts";

let id = 0;
const t = (side: "buy" | "sell", units: number, manual = false): TradeView => ({ id: String(++id), instrument: "USD_JPY", side, units, price: 150, pocket: manual ? "manual" : "macro" });
const input = (trades: TradeView[], want: { long: number; short: number }, equal: boolean, canClosePosition = true): PairCloseInput => {
  const long = trades.filter((x) => x.side === "buy").reduce((n, x) => n + x.units, 0);
  const short = trades.filter((x) => x.side === "sell").reduce((n, x) => n + x.units, 0);
  return { instrument: "USD_JPY", trades, long, short, want, equal, unitsPrecision: 0, canClosePosition };
};

describe("planPairClose", () => {
  it("sekisho's own trades first in line on both sides: one position-close request", () => {
    const plan = planPairClose(input([t("buy", 50_000), t("sell", 40_000), t("buy", 30_000), t("sell", 30_000)], { long: 20_000, short: 20_000 }, true));
    expect(plan).toEqual({ kind: "position", long: 20_000, short: 20_000 });
  });

  it("equal units are capped by the smaller of sekisho's own sides; manual units are never counted", () => {
    const plan = planPairClose(input([t("buy", 50_000), t("sell", 10_000), t("sell", 30_000, true)], { long: 40_000, short: 40_000 }, true));
    expect(plan).toEqual({ kind: "position", long: 10_000, short: 10_000 });
  });

  it("a manual trade first in line: sekisho's trades by id, heavier side first, |net| never above where it was", () => {
    const trades = [t("buy", 5_000, true), t("buy", 60_000), t("sell", 55_000)];
    const plan = planPairClose(input(trades, { long: 60_000, short: 55_000 }, false));
    expect(plan.kind).toBe("legs");
    if (plan.kind !== "legs") return;
    expect(plan.legs[0]!.side).toBe("sell"); // longs (the heavier side) first
    let N = 65_000 - 55_000;
    for (const leg of plan.legs) {
      N += leg.side === "sell" ? -leg.units : leg.units;
      expect(Math.abs(N)).toBeLessThanOrEqual(10_000);
      expect(leg.closes.every((c) => c.tradeId !== trades[0]!.id)).toBe(true);
    }
    expect(plan.long + plan.short).toBe(115_000);
  });

  it("a perfect lock behind a manual trade cannot be taken apart leg by leg: refused, not risked", () => {
    const plan = planPairClose(input([t("buy", 5_000, true), t("sell", 5_000, true), t("buy", 50_000), t("sell", 50_000)], { long: 50_000, short: 50_000 }, true));
    expect(plan).toMatchObject({ kind: "none", reason: "manual_trades_first" });
  });

  it("sekisho's shorts hedge an older manual long: one request closes only what keeps |net| where it was (the rest stays as the hedge)", () => {
    // Found against the simulator: flatten closed all 37,000 of sekisho's shorts in one request,
    // taking net from +6,000 to +43,000 (the manual long left unhedged).
    expect(planPairClose(input([t("buy", 43_000, true), t("sell", 37_000)], { long: 0, short: 37_000 }, false))).toMatchObject({ kind: "none", reason: "manual_trades_first" });
    // Net +10,000 behind a manual long of 30,000: sekisho's 10,000 long and 10,000 of its shorts go
    // (net stays +10,000); its other 20,000 short stays as the manual trade's hedge.
    expect(planPairClose(input([t("buy", 10_000), t("buy", 30_000, true), t("sell", 30_000)], { long: 10_000, short: 30_000 }, false))).toEqual({ kind: "position", long: 10_000, short: 10_000 });
    // Net -5,000: closing 10,000 long and 20,000 short ends at +5,000, |net| unchanged.
    expect(planPairClose(input([t("buy", 10_000), t("buy", 30_000, true), t("sell", 40_000), t("sell", 5_000, true)], { long: 10_000, short: 40_000 }, false))).toEqual({ kind: "position", long: 10_000, short: 20_000 });
  });

  it("property: legs are own trades only, never more than asked, and after each leg |net| <= |net before|", () => {
    const trade = fc.record({ side: fc.constantFrom("buy" as const, "sell" as const), units: fc.integer({ min: 1, max: 50_000 }), manual: fc.boolean() });
    fc.assert(
      fc.property(fc.array(trade, { minLength: 1, maxLength: 8 }), fc.nat(200_000), fc.nat(200_000), fc.boolean(), fc.boolean(), (spec, wl, ws, equal, canPos) => {
        const trades = spec.map((s) => t(s.side, s.units, s.manual));
        const inp = input(trades, { long: wl, short: ws }, equal, canPos);
        const plan = planPairClose(inp);
        if (plan.kind === "none") return;
        expect(plan.long).toBeLessThanOrEqual(wl);
        expect(plan.short).toBeLessThanOrEqual(ws);
        if (equal && plan.kind === "position") expect(plan.long).toBe(plan.short);
        const bound = Math.abs(inp.long - inp.short);
        if (plan.kind === "position") {
          // One request: its end keeps |net| within the bound, and FIFO meets only sekisho's trades.
          expect(Math.abs(inp.long - inp.short - plan.long + plan.short)).toBeLessThanOrEqual(bound);
          for (const [side, units] of [["buy", plan.long], ["sell", plan.short]] as const) {
            let left = units;
            for (const tv of trades.filter((x) => x.side === side)) {
              if (left <= 0) break;
              expect(tv.pocket).not.toBe("manual");
              left -= tv.units;
            }
          }
          return;
        }
        let N = inp.long - inp.short;
        const closed = new Map<string, number>();
        for (const leg of plan.legs) {
          expect(leg.closes.reduce((n, c) => n + c.units, 0)).toBe(leg.units);
          for (const c of leg.closes) {
            const tv = trades.find((x) => x.id === c.tradeId)!;
            expect(tv.pocket).not.toBe("manual");
            expect(tv.side).toBe(leg.side === "sell" ? "buy" : "sell");
            closed.set(c.tradeId, (closed.get(c.tradeId) ?? 0) + c.units);
            expect(closed.get(c.tradeId)!).toBeLessThanOrEqual(tv.units);
          }
          N += leg.side === "sell" ? -leg.units : leg.units;
          expect(Math.abs(N)).toBeLessThanOrEqual(bound);
        }
      }),
      { seed: 51, numRuns: 400 },
    );
  });
});
