// fast-check properties of allowed_lot over random accounts and positions, for both margin models.
// Each property is one of design.md's "Margin, exactly" rules, stated from the operator's side.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { allowedLot, type LotInput, type LotResult } from "../../src/margin/allowed-lot.ts";
import { instrumentMargin } from "../../src/margin/model.ts";
import { floorUnits } from "../../src/core/instruments.ts";
import type { MarginModel, Side } from "../../src/core/types.ts";

// Deterministic by default (house rule); FC_SEED=<n> explores other corners by hand.
const RUNS = { numRuns: 2_000, seed: Number(process.env.FC_SEED ?? 20_251_230) };
/** Relative slack for float noise only (a thousandth of a yen on a million). */
const within = (a: number, b: number) => a <= b + Math.abs(b) * 1e-9 + 1e-6;

const money = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

const limitsArb = fc.record({
  maxMarginUsage: money(0.01, 1),
  safetyFactor: money(0.1, 1),
  dirCapRatio: money(0, 2),
  minFreeMarginRatio: money(0, 0.2),
  allowHedgeOnLowMargin: fc.boolean(),
});

const precisionArb = fc.integer({ min: 0, max: 2 });

/** Units as an instrument would hold them: whole, or with up to two decimals. */
const unitsArb = fc.oneof(
  fc.integer({ min: 0, max: 500_000 }),
  fc.integer({ min: 0, max: 50_000_000 }).map((u) => u / 100),
  fc.constant(0),
);

/** A random account and position; marginUsed/marginAvailable as a broker would report them. */
const inputArb: fc.Arbitrary<LotInput> = fc
  .record({
    side: fc.constantFrom<Side>("buy", "sell"),
    long: unitsArb,
    short: unitsArb,
    nav: fc.oneof(fc.integer({ min: 1_000, max: 20_000_000 }), money(1, 1e7)),
    conversion: fc.oneof(fc.constantFrom(155, 157, 0.65, 1, 190.123), money(0.5, 300)),
    marginRate: fc.oneof(fc.constantFrom(0.04, 0.02, 0.05, 0.1, 0.5), money(0.01, 1)),
    model: fc.constantFrom<MarginModel>("net", "max_side"),
    // How the broker figure relates to the model: absent, model plus other instruments, or any
    // figure (including one below the model, which the engine must not trust).
    usedKind: fc.constantFrom("none", "model+other", "any"),
    otherFrac: money(0, 1.5),
    availKind: fc.constantFrom("none", "low", "any"),
    availFrac: money(0, 1),
    unitsPrecision: precisionArb,
    minKind: fc.constantFrom("one", "step", "thousand"),
    requestedUnits: fc.option(fc.oneof(fc.integer({ min: 0, max: 400_000 }), money(0, 400_000)), { nil: undefined }),
    limits: limitsArb,
  })
  .map((g) => {
    const model = instrumentMargin(g.model, g.long, g.short, g.conversion, g.marginRate);
    const marginUsed = g.usedKind === "none" ? undefined : g.usedKind === "model+other" ? model + g.otherFrac * g.nav : g.otherFrac * g.nav;
    const marginAvailable = g.availKind === "none" ? undefined : g.availKind === "low" ? g.availFrac * 0.05 * g.nav : g.availFrac * g.nav;
    const minUnits = g.minKind === "one" ? 1 : g.minKind === "step" ? 10 ** -g.unitsPrecision : 1_000;
    return {
      side: g.side, long: g.long, short: g.short, nav: g.nav, conversion: g.conversion, marginRate: g.marginRate, model: g.model,
      marginUsed, marginAvailable, unitsPrecision: g.unitsPrecision, minUnits, requestedUnits: g.requestedUnits, limits: g.limits,
    };
  });

/** The units that grow with the entry, and the signed net along the entry's side. */
const own = (i: LotInput) => (i.side === "buy" ? i.long : i.short);
const netOf = (i: LotInput) => i.long - i.short;
const isNetReducing = (i: LotInput) => (i.side === "buy" ? netOf(i) < 0 : netOf(i) > 0);
/** The engine's margin before the entry: the broker figure, never below the model's own. */
const effectiveBefore = (i: LotInput, r: LotResult) =>
  Math.max(r.marginBefore, instrumentMargin(i.model, i.long, i.short, i.conversion, i.marginRate));

/** What a "may not be refused for budget" entry must get: the request, cut only by dir cap and minimum size. */
function onlyCapAndMinimum(i: LotInput, r: LotResult, req: number): number {
  const m = floorUnits(Math.min(req, Math.max(0, r.dirCapUnits - own(i))), i.unitsPrecision);
  return m < i.minUnits ? 0 : m;
}

describe("allowed_lot properties (both margin models)", () => {
  it("margin after an allowed entry never exceeds the budget unless it is no higher than before", () => {
    fc.assert(
      fc.property(inputArb, (i) => {
        const r = allowedLot(i);
        if (r.allowedUnits === 0) return;
        expect(within(r.marginAfter, r.budget) || within(r.marginAfter, effectiveBefore(i, r))).toBe(true);
        // The same holds for the full maxUnits, not only for the requested amount.
        const full = allowedLot({ ...i, requestedUnits: undefined });
        expect(within(full.marginAfter, full.budget) || within(full.marginAfter, effectiveBefore(i, full))).toBe(true);
      }),
      RUNS,
    );
  });

  it("a broker marginUsed below the model is not trusted: sizing is the same as with no figure at all", () => {
    fc.assert(
      fc.property(inputArb, money(0, 1), (i, frac) => {
        const model = instrumentMargin(i.model, i.long, i.short, i.conversion, i.marginRate);
        const a = allowedLot({ ...i, marginUsed: undefined, marginAvailable: i.marginAvailable ?? i.nav - model });
        const b = allowedLot({ ...i, marginUsed: model * frac, marginAvailable: i.marginAvailable ?? i.nav - model });
        expect(b.maxUnits).toBe(a.maxUnits);
        expect(b.allowedUnits).toBe(a.allowedUnits);
      }),
      RUNS,
    );
  });

  it("under net, a net-reducing entry up to flat is never refused for budget reasons (only dir_cap, minimum size or the low-margin switch bind)", () => {
    const arb = inputArb
      .filter((i) => i.long !== i.short)
      .chain((i) => {
        const side: Side = i.long > i.short ? "sell" : "buy";
        const N = Math.abs(i.long - i.short);
        return fc.double({ min: 0, max: N, noNaN: true }).map((req) => ({ ...i, model: "net" as const, side, requestedUnits: req }));
      });
    fc.assert(
      fc.property(arb, (i) => {
        const r = allowedLot(i);
        const low = r.freeMarginRatio < i.limits.minFreeMarginRatio;
        const expected = low && !i.limits.allowHedgeOnLowMargin ? 0 : onlyCapAndMinimum(i, r, i.requestedUnits!);
        expect(r.netReducing).toBe(true);
        expect(r.allowedUnits).toBe(expected);
        expect(r.reason).not.toBe("margin_budget");
      }),
      RUNS,
    );
  });

  it("under max_side, adding to the smaller side up to the larger is never refused for budget reasons", () => {
    const arb = inputArb
      .filter((i) => i.long !== i.short)
      .chain((i) => {
        const side: Side = i.long < i.short ? "buy" : "sell";
        const gap = Math.abs(i.long - i.short);
        return fc.double({ min: 0, max: gap, noNaN: true }).map((req) => ({ ...i, model: "max_side" as const, side, requestedUnits: req }));
      });
    fc.assert(
      fc.property(arb, (i) => {
        const r = allowedLot(i);
        const low = r.freeMarginRatio < i.limits.minFreeMarginRatio;
        const expected = low && !i.limits.allowHedgeOnLowMargin ? 0 : onlyCapAndMinimum(i, r, i.requestedUnits!);
        expect(r.allowedUnits).toBe(expected);
        expect(r.reason).not.toBe("margin_budget");
      }),
      RUNS,
    );
  });

  it("max_side never allows more than net for the same inputs", () => {
    fc.assert(
      fc.property(inputArb, (i) => {
        const net = allowedLot({ ...i, model: "net" });
        const maxSide = allowedLot({ ...i, model: "max_side" });
        expect(maxSide.maxUnits).toBeLessThanOrEqual(net.maxUnits);
        expect(maxSide.allowedUnits).toBeLessThanOrEqual(net.allowedUnits);
      }),
      RUNS,
    );
  });

  it("results are whole units within the precision, 0 below the minimum size, and never above the request", () => {
    fc.assert(
      fc.property(inputArb, (i) => {
        const r = allowedLot(i);
        const f = 10 ** i.unitsPrecision;
        for (const u of [r.maxUnits, r.allowedUnits]) {
          expect(u).toBeGreaterThanOrEqual(0);
          // u is the double nearest a whole multiple of 10^-precision (k / f exactly as floorUnits makes it).
          expect(Math.round(u * f) / f).toBe(u);
          expect(u === 0 || u >= i.minUnits).toBe(true);
        }
        expect(r.allowedUnits).toBeLessThanOrEqual(r.maxUnits);
        if (i.requestedUnits !== undefined) expect(r.allowedUnits).toBeLessThanOrEqual(i.requestedUnits + 1e-6);
        else expect(r.allowedUnits).toBe(r.maxUnits);
      }),
      RUNS,
    );
  });

  it("the same-direction cap holds: the growing side never ends above DIR_CAP_RATIO x the one-side maximum", () => {
    fc.assert(
      fc.property(inputArb, (i) => {
        const r = allowedLot(i);
        if (r.maxUnits === 0) return;
        expect(within(own(i) + r.maxUnits, i.limits.dirCapRatio * r.oneSideMaxUnits)).toBe(true);
        expect(r.dirCapUnits).toBeCloseTo(i.limits.dirCapRatio * r.oneSideMaxUnits, 6);
      }),
      RUNS,
    );
  });

  it("with free margin below MIN_FREE_MARGIN_RATIO, same-direction entries get 0 and net-reducing ones pass (to flat) only with ALLOW_HEDGE_ON_LOW_MARGIN", () => {
    const lowArb = inputArb
      .map((i) => ({ ...i, marginAvailable: 0, limits: { ...i.limits, minFreeMarginRatio: Math.max(i.limits.minFreeMarginRatio, 0.001) } }));
    fc.assert(
      fc.property(lowArb, (i) => {
        const r = allowedLot(i);
        expect(r.freeMarginRatio).toBeLessThan(i.limits.minFreeMarginRatio);
        if (!isNetReducing(i)) {
          expect(r.maxUnits).toBe(0);
          expect(r.allowedUnits).toBe(0);
          expect(r.reason).toBe("low_free_margin");
        } else if (!i.limits.allowHedgeOnLowMargin) {
          expect(r.maxUnits).toBe(0);
          expect(r.reason).toBe("hedge_disabled_low_margin");
        } else {
          // Towards flat, never past it: at most |net|, cut only by the dir cap and minimum size.
          const N = Math.abs(netOf(i));
          expect(r.maxUnits).toBe(onlyCapAndMinimum(i, r, N));
        }
      }),
      RUNS,
    );
  });

  it("MAX_MARGIN_USAGE above 0.92 behaves exactly as 0.92", () => {
    fc.assert(
      fc.property(inputArb, money(0.92, 1), (i, usage) => {
        const clamped = allowedLot({ ...i, limits: { ...i.limits, maxMarginUsage: 0.92 } });
        const above = allowedLot({ ...i, limits: { ...i.limits, maxMarginUsage: usage } });
        expect(above).toEqual(clamped);
      }),
      RUNS,
    );
  });

  it("a larger NAV never allows fewer units (more money, same position, same broker figures)", () => {
    fc.assert(
      fc.property(inputArb, money(1, 3), (i, k) => {
        const base = { ...i, marginAvailable: undefined };
        const a = allowedLot(base);
        const b = allowedLot({ ...base, nav: i.nav * k });
        expect(b.maxUnits).toBeGreaterThanOrEqual(a.maxUnits);
      }),
      RUNS,
    );
  });
});
