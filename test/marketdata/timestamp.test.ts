import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DECLINED, fastTimestamp, parseTimestamp, slowTimestamp } from "../../src/marketdata/timestamp.ts";

const pad = (n: number, w: number) => String(n).padStart(w, "0");

/** Timestamps in the layouts the files use, with field values in and out of their calendar ranges. */
const wellFormed = fc
  .record({
    y: fc.integer({ min: 0, max: 9999 }), mo: fc.integer({ min: 0, max: 99 }), d: fc.integer({ min: 0, max: 99 }),
    h: fc.integer({ min: 0, max: 99 }), mi: fc.integer({ min: 0, max: 99 }), s: fc.integer({ min: 0, max: 99 }),
    sep: fc.constantFrom("T", " "), frac: fc.option(fc.tuple(fc.nat(9_999_999_999), fc.integer({ min: 1, max: 10 })).map(([n, w]) => pad(n, w).slice(-w)), { nil: undefined }),
    zone: fc.constantFrom("", "Z", "+00:00", "-00:00", "+09:00", "-05:30", "+0930", "-1200", "+99:99"),
  })
  .map((r) => `${pad(r.y, 4)}-${pad(r.mo, 2)}-${pad(r.d, 2)}${r.sep}${pad(r.h, 2)}:${pad(r.mi, 2)}:${pad(r.s, 2)}${r.frac === undefined ? "" : `.${r.frac}`}${r.zone}`);

/** Those, damaged: a character replaced, inserted or removed, spaces around, or cut short. */
const damaged = fc.tuple(wellFormed, fc.nat(), fc.constantFrom("", " ", "x", ".", ":", "-", "+", "Z", "T", "0", "9", "\t"), fc.constantFrom("replace", "insert", "remove", "pad", "cut")).map(([s, at, c, how]) => {
  const i = at % (s.length + 1);
  if (how === "replace") return s.slice(0, i) + c + s.slice(i + 1);
  if (how === "insert") return s.slice(0, i) + c + s.slice(i);
  if (how === "remove") return s.slice(0, i) + s.slice(i + 1);
  if (how === "pad") return ` ${s}${c}`;
  return s.slice(0, i);
});

describe("the timestamp fast path", () => {
  it("gives what the regular expression's reading gives for the files' layouts, or declines", () => {
    fc.assert(
      fc.property(fc.oneof(wellFormed, damaged, fc.string()), (s) => {
        const fast = fastTimestamp(s);
        if (fast !== DECLINED) expect(fast).toBe(slowTimestamp(s));
        expect(parseTimestamp(s)).toBe(slowTimestamp(s));
      }),
      { numRuns: 5_000 },
    );
  });

  it("reads the files' own layouts itself, not through the fallback", () => {
    for (const s of ["2013-02-01 00:00:00+00:00", "2013-01-01 22:00:00.295000+00:00", "2017-02-23T20:57:21.215739156Z", "2013-02-01T09:00:00+09:00", "2013-02-01T09:00:00"]) {
      expect(fastTimestamp(s)).not.toBe(DECLINED);
      expect(fastTimestamp(s)).toBe(slowTimestamp(s));
    }
  });

  it("does not carry one row's day into the next when the date changes", () => {
    expect(parseTimestamp("2013-02-01 23:59:59+00:00")).toBe(Date.UTC(2013, 1, 1, 23, 59, 59));
    expect(parseTimestamp("2013-02-02 00:00:00+00:00")).toBe(Date.UTC(2013, 1, 2));
    expect(parseTimestamp("2014-02-02 00:00:00+00:00")).toBe(Date.UTC(2014, 1, 2));
    expect(parseTimestamp("2014-03-02 00:00:00+00:00")).toBe(Date.UTC(2014, 2, 2));
  });
});
