// How much must come off to put the loss-cut back at a distance.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { closeoutDistance, type CloseoutAccount, type CloseoutPosition } from "../../src/margin/closeout.ts";
import { reductionForDistance } from "../../src/margin/closeout-reduction.ts";

const usdJpy = (long: number, short: number, price = 150): CloseoutPosition => ({ long, short, price, conversion: price, marginRate: 0.04, pipSize: 0.01, homeSide: "quote" });

describe("reductionForDistance", () => {
  it("a one-sided long 54 pips from the Japan loss-cut: the least net units that bring it back to 90 pips", () => {
    const acct: CloseoutAccount = { nav: 500_000, marginUsed: 76_700 * 150 * 0.04, model: "max_side", rule: "japan" };
    const r = reductionForDistance(usdJpy(76_700, 0), acct, 90);
    expect(r.pairUnits).toBe(0);
    expect(r.reachesTarget).toBe(true);
    expect(r.pipsAfter!).toBeGreaterThanOrEqual(90);
    // One unit less is not enough.
    const less = closeoutDistance(usdJpy(76_700 - r.netUnits + 1, 0), { ...acct, marginUsed: (76_700 - r.netUnits + 1) * 150 * 0.04 });
    expect(less.pips!).toBeLessThan(90);
  });

  it("a hedge lock L=80k/S=80k at 96%: nothing to take off the net, so both sides come off together", () => {
    const acct: CloseoutAccount = { nav: 500_000, marginUsed: 80_000 * 150 * 0.04 * 1.0, model: "max_side", rule: "japan" };
    // A perfect lock is far from the loss-cut by price (625 pips) but usage is 96%: ask for 700.
    const r = reductionForDistance(usdJpy(80_000, 80_000), acct, 700);
    expect(r.netUnits).toBe(0);
    expect(r.pairUnits).toBeGreaterThan(0);
    expect(r.reachesTarget).toBe(true);
  });

  it("already far enough: nothing", () => {
    const acct: CloseoutAccount = { nav: 500_000, marginUsed: 10_000 * 150 * 0.04, model: "max_side", rule: "japan" };
    expect(reductionForDistance(usdJpy(10_000, 0), acct, 90)).toMatchObject({ netUnits: 0, pairUnits: 0, reachesTarget: true });
  });

  it("property: the result reaches the target whenever closing everything would, and never closes more than is open", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 120_000 }), fc.integer({ min: 0, max: 120_000 }), fc.constantFrom("net", "max_side" as const), fc.constantFrom("japan", "half" as const),
        fc.integer({ min: 10, max: 300 }),
        (L, S, model, rule, target) => {
          const charged = model === "net" ? Math.abs(L - S) : Math.max(L, S);
          const acct: CloseoutAccount = { nav: 500_000, marginUsed: charged * 150 * 0.04, model, rule };
          if ((rule === "japan" ? 1 : 0.5) * acct.marginUsed >= acct.nav) return; // already cut
          const r = reductionForDistance(usdJpy(L, S), acct, target);
          expect(r.netUnits).toBeLessThanOrEqual(Math.abs(L - S));
          expect(r.pairUnits).toBeLessThanOrEqual(Math.min(L, S));
          if (r.reachesTarget) expect(r.pipsAfter === null || r.pipsAfter >= target).toBe(true);
          // Closing all of it removes every loss-cut; under max_side reductions can always get there.
          if (model === "max_side") expect(r.reachesTarget).toBe(true);
        },
      ),
      { seed: 21, numRuns: 300 },
    );
  });
});
