// Rounding for figures people read: the three variants agree wherever they overlap, and differ
// only in what they refuse to print (-0, NaN).
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { round, roundOrNull, roundWithoutNegativeZero } from "../../src/core/round.ts";

describe("round", () => {
  it("rounds half up to the given decimals (2 by default)", () => {
    expect(round(157.125)).toBe(157.13);
    expect(round(0.1234567, 6)).toBe(0.123457);
    expect(round(31420.5, 0)).toBe(31421);
  });

  it("the variants agree on finite numbers, apart from the sign of zero", () => {
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 6 }), (x, d) => {
      const r = round(x, d);
      expect(roundOrNull(x, d)).toBe(r);
      expect(roundWithoutNegativeZero(x, d)).toBe(r === 0 ? 0 : r);
    }));
  });

  it("never prints -0 in reports, never NaN in JSON", () => {
    expect(Object.is(round(-0.001), -0)).toBe(true);
    expect(Object.is(roundWithoutNegativeZero(-0.001), 0)).toBe(true);
    expect(roundOrNull(Number.NaN)).toBeNull();
    expect(roundOrNull(Number.POSITIVE_INFINITY)).toBeNull();
  });
});
