// The closeout guard's decision: engage near the loss-cut, release only once the distance is back.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { CloseoutGuard, evaluateCloseoutGuard, type CloseoutGuardSettings, closeoutGuardSkip } from "../../../src/gate/guards/closeout-guard.ts";
import type { AccountCloseout } from "../../../src/margin/closeout.ts";

const S: CloseoutGuardSettings = { guardPips: 55, guardUsage: 0.95, targetPips: 90 };
const at = (pips: number | null, usage = 0.5): AccountCloseout => ({ rule: "japan", usage, pips, instrument: "USD_JPY", direction: "down" });

describe("evaluateCloseoutGuard", () => {
  it("engages below the guard distance or at the guard usage, and says which", () => {
    expect(evaluateCloseoutGuard(at(54), S, false)).toMatchObject({ engaged: true, reason: "distance" });
    expect(evaluateCloseoutGuard(at(56), S, false)).toMatchObject({ engaged: false, reason: null });
    expect(evaluateCloseoutGuard(at(400, 0.96), S, false)).toMatchObject({ engaged: true, reason: "usage" });
    expect(evaluateCloseoutGuard(at(null, 0.2), S, false).engaged).toBe(false);
  });

  it("once engaged it holds until the target distance (hysteresis), then releases", () => {
    expect(evaluateCloseoutGuard(at(60), S, true).engaged).toBe(true);
    expect(evaluateCloseoutGuard(at(89.9), S, true).engaged).toBe(true);
    expect(evaluateCloseoutGuard(at(90), S, true).engaged).toBe(false);
  });

  it("CLOSEOUT_GUARD_PIPS=0 turns the distance test off; usage still guards", () => {
    const off = { ...S, guardPips: 0, targetPips: 0 };
    expect(evaluateCloseoutGuard(at(1), off, false).engaged).toBe(false);
    expect(evaluateCloseoutGuard(at(1, 0.99), off, false).engaged).toBe(true);
  });

  it("property: engaged whenever the loss-cut is nearer than the guard, whatever came before", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1000, noNaN: true }), fc.double({ min: 0, max: 2, noNaN: true }), fc.boolean(), (pips, usage, before) => {
        const v = evaluateCloseoutGuard(at(pips, usage), S, before);
        if (pips < S.guardPips || usage >= S.guardUsage) expect(v.engaged).toBe(true);
        if (pips >= S.targetPips && usage < S.guardUsage) expect(v.engaged).toBe(false);
      }),
      { seed: 31 },
    );
  });
});

describe("CloseoutGuard", () => {
  it("reports each change once and gives the gate its skip", () => {
    const changes: string[] = [];
    const g = new CloseoutGuard(S, (a) => changes.push(a.change));
    expect(closeoutGuardSkip(g, at(120), 1)).toBeUndefined();
    const skip = closeoutGuardSkip(g, at(40), 2);
    expect(skip).toMatchObject({ reason: "closeout_guard", detail: { guard: "distance", distancePips: 40, guardPips: 55 } });
    closeoutGuardSkip(g, at(42), 3);
    expect(g.engaged).toBe(true);
    closeoutGuardSkip(g, at(95), 4);
    expect(changes).toEqual(["engaged", "released"]);
    expect(g.since).toBe(4);
  });

  it("property: updating with figures it has just judged keeps that verdict; verdicts, changes and times are those of evaluating every update afresh", () => {
    const figures = fc.record({
      pips: fc.option(fc.constantFrom(0, 40, 54.9, 55, 60, 89.9, 90, 120), { nil: null }),
      usage: fc.constantFrom(0.2, 0.94, 0.95, 1.2),
      instrument: fc.constantFrom("USD_JPY", "EUR_USD"),
      direction: fc.constantFrom("down" as const, "up" as const),
    });
    fc.assert(
      fc.property(fc.array(fc.tuple(figures, fc.nat(3)), { minLength: 1, maxLength: 30 }), (steps) => {
        const changes: unknown[] = [];
        const g = new CloseoutGuard(S, (a) => changes.push(a));
        const expected: unknown[] = [];
        let engaged = false;
        let t = 0;
        for (const [f, repeats] of steps) {
          // The observer and the balancer each update with the same figures (here up to 4 times).
          for (let k = 0; k <= repeats; k++) {
            const c: AccountCloseout = { rule: "japan", ...f };
            const want = evaluateCloseoutGuard(c, S, engaged);
            if (want.engaged !== engaged) expected.push({ change: want.engaged ? "engaged" : "released", verdict: want });
            engaged = want.engaged;
            expect(g.update(c, ++t)).toEqual(want);
            expect(g.verdict).toEqual(want);
          }
        }
        expect(changes).toEqual(expected);
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});
