import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { twoDigits } from "../../src/core/digits.ts";

describe("twoDigits", () => {
  it("reads two ASCII digits as the number they spell, and anything else (or too short) as -1", () => {
    fc.assert(fc.property(fc.string({ maxLength: 4 }), fc.nat(4), (s, i) => {
      const pair = s.slice(i, i + 2);
      expect(twoDigits(s, i)).toBe(/^[0-9]{2}$/.test(pair) ? Number(pair) : -1);
    }), { numRuns: 2000 });
    expect(twoDigits("2013-02", 5)).toBe(2);
    expect(twoDigits("x٣4", 1)).toBe(-1); // a non-ASCII digit is not a digit here
  });
});
