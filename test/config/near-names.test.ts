// "Did you mean ...?": the distance and the nearest name, against a plain reference.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { editDistance, nearest } from "../../src/config/near-names.ts";
import { configSchema } from "../../src/config/schema.ts";

/** The textbook full-matrix optimal-string-alignment distance. */
function reference(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

const word = fc.string({ unit: fc.constantFrom("A", "B", "C", "_", "M"), maxLength: 12 });

describe("editDistance", () => {
  it("counts a transposition as one edit and a missing letter as one", () => {
    expect(editDistance("MAX_MARGIN_USAGE", "MAX_MARGN_USAGE")).toBe(1);
    expect(editDistance("GATE_SPREAD", "GAET_SPREAD")).toBe(1);
    expect(editDistance("", "ABC")).toBe(3);
  });

  it("equals the full-matrix distance", () => {
    fc.assert(fc.property(word, word, (a, b) => editDistance(a, b) === reference(a, b)));
  });

  it("property: with a limit, the distance when within it, else limit + 1 (and the rows it keeps between calls never leak into the next)", () => {
    fc.assert(fc.property(word, word, word, fc.nat(6), (a, b, c, limit) => {
      const exact = reference(a, b);
      expect(editDistance(a, b, limit)).toBe(exact <= limit ? exact : limit + 1);
      expect(editDistance(c, a)).toBe(reference(c, a));
    }), { numRuns: 2_000 });
  });
});

describe("nearest", () => {
  const known = Object.keys(configSchema.shape);

  it("suggests the setting a misspelt variable meant", () => {
    expect(nearest("MAX_MARGN_USAGE", known)).toBe("MAX_MARGIN_USAGE");
    expect(nearest("PATH", known)).toBeUndefined();
  });

  it("is the first known name at the smallest distance within the limit (the length shortcut changes nothing)", () => {
    fc.assert(fc.property(word, fc.array(word, { maxLength: 20 }), fc.integer({ min: 0, max: 4 }), (name, names, max) => {
      let want: string | undefined;
      let bestD = max + 1;
      for (const k of names) {
        const dd = reference(name, k);
        if (dd < bestD) [want, bestD] = [k, dd];
      }
      return nearest(name, names, max) === want;
    }));
  });
});
