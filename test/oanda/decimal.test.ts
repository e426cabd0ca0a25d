import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { DecimalError, formatUnits, parseDecimal, parseOandaTime } from "../../src/oanda/decimal.ts";

describe("parseDecimal", () => {
  it("reads OANDA decimal strings exactly as written", () => {
    expect(parseDecimal("157.123")).toBe(157.123);
    expect(parseDecimal("-1000")).toBe(-1000);
    expect(parseDecimal("0.0")).toBe(0);
    expect(Object.is(parseDecimal("-0.0"), 0)).toBe(true);
    expect(parseDecimal("1e-05")).toBe(0.00001);
    expect(parseDecimal(10000000.0)).toBe(10000000);
  });

  it("rejects garbage instead of producing NaN", () => {
    for (const bad of ["", " ", "abc", "NaN", "Infinity", "1,000", "0x10", "1.2.3", " 1", "1 ", "--1", null, undefined, true, {}, Number.NaN, Infinity]) {
      expect(() => parseDecimal(bad, "price")).toThrow(DecimalError);
    }
  });

  it("round-trips every finite number written with toFixed", () => {
    fc.assert(fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), fc.integer({ min: 0, max: 8 }), (x, d) => {
      const s = x.toFixed(d);
      expect(parseDecimal(s)).toBe(Number(s) === 0 ? 0 : Number(s));
    }));
  });
});

describe("parseOandaTime", () => {
  it("reads RFC 3339 with nanoseconds and UNIX seconds.nanos to the same millisecond", () => {
    expect(parseOandaTime("2017-02-23T20:57:21.215739156Z")).toBe(Date.UTC(2017, 1, 23, 20, 57, 21, 215));
    expect(parseOandaTime("1509281144.757577547")).toBe(1509281144757);
    expect(parseOandaTime("2016-10-27T08:38:43Z")).toBe(Date.UTC(2016, 9, 27, 8, 38, 43));
    expect(parseOandaTime("2016-10-27T10:38:43.5+02:00")).toBe(Date.UTC(2016, 9, 27, 8, 38, 43, 500));
  });

  it("rejects non-times", () => {
    for (const bad of ["", "yesterday", "2017-02-30", "2017-02-23 20:57:21Z", 1509281144, null]) expect(() => parseOandaTime(bad)).toThrow();
  });
});

describe("formatUnits", () => {
  it("writes signed units in plain notation at the instrument's precision", () => {
    expect(formatUnits(10000)).toBe("10000");
    expect(formatUnits(-45000)).toBe("-45000");
    expect(formatUnits(123456789012)).toBe("123456789012");
    expect(() => formatUnits(1e21)).toThrow(); // would be "1e+21"
    expect(() => formatUnits(Number.NaN)).toThrow();
    expect(formatUnits(-0.4)).toBe("0");
    expect(formatUnits(12.345, 1)).toBe("12.3");
  });
});
