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
});
