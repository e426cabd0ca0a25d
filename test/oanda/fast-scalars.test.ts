// The fast readers must agree with the reference parsers on everything they accept, and leave
// everything else to them.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { fastDecimal, fastTimeMs } from "../../src/oanda/fast-scalars.ts";
import { parseDecimal, parseOandaTime, parseOandaTimeSlow, TimeError } from "../../src/oanda/decimal.ts";

const pad = (n: number, w: number) => String(n).padStart(w, "0");

/** Any real UTC instant from year 0 to 9999, written as OANDA does, with 0 to 9 fraction digits. */
const rfc3339 = fc
  .record({
    ms: fc.integer({ min: -62_167_219_200_000 /* 0000-01-01 */, max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) }),
    extra: fc.string({ unit: fc.constantFrom(..."0123456789"), maxLength: 6 }),
    digits: fc.integer({ min: 0, max: 3 }),
  })
  .filter(({ ms }) => new Date(ms).getUTCFullYear() >= 0)
  .map(({ ms, extra, digits }) => {
    const d = new Date(ms);
    const base = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
    const frac = `${pad(d.getUTCMilliseconds(), 3).slice(0, digits)}${digits === 3 ? extra : ""}`;
    return frac ? `${base}.${frac}Z` : `${base}Z`;
  });

describe("fastTimeMs", () => {
  it("reads OANDA's nanosecond times to the millisecond, sub-millisecond digits truncated", () => {
    expect(fastTimeMs("2017-02-23T20:57:21.215739156Z")).toBe(Date.UTC(2017, 1, 23, 20, 57, 21, 215));
    expect(fastTimeMs("2024-02-29T23:59:59.9Z")).toBe(Date.UTC(2024, 1, 29, 23, 59, 59, 900));
    expect(fastTimeMs("1970-01-01T00:00:00Z")).toBe(0);
  });

  it("property: equals the Date.parse reference on every valid time from year 0 to 9999", () => {
    fc.assert(fc.property(rfc3339, (s) => {
      expect(fastTimeMs(s)).toBe(parseOandaTimeSlow(s));
    }), { numRuns: 2_000 });
  });

  it("property: on any string it either agrees with the reference or declines (never a different answer)", () => {
    const near = rfc3339.chain((s) => fc.tuple(fc.constant(s), fc.nat(s.length - 1), fc.constantFrom(..."0123456789:-TZ.+ x")).map(([t, i, c]) => t.slice(0, i) + c + t.slice(i + 1)));
    fc.assert(fc.property(fc.oneof(near, fc.string()), (s) => {
      const f = fastTimeMs(s);
      if (f === undefined) return;
      expect(f).toBe(parseOandaTimeSlow(s));
    }), { numRuns: 2_000 });
  });

  it("declines what is not a real date, leaving the verdict to the reference parser", () => {
    for (const s of ["2017-02-29T00:00:00Z", "2017-13-01T00:00:00Z", "2017-01-01T24:00:00Z", "2017-01-01T00:00:60Z", "2017-01-01T00:00:00.Z", "2017-01-01T00:00:00+09:00", "1509281144.757577547"]) {
      expect(fastTimeMs(s)).toBeUndefined();
    }
    // Offsets and UNIX times still parse, through the reference path.
    expect(parseOandaTime("2017-01-01T09:00:00.5+09:00")).toBe(Date.UTC(2017, 0, 1, 0, 0, 0, 500));
    expect(parseOandaTime("1509281144.757577547")).toBe(1509281144757);
    expect(() => parseOandaTime("2017-01-01 00:00:00")).toThrow(TimeError);
  });
});

describe("fastDecimal", () => {
  it("property: equals parseDecimal on plain decimals and declines signs, exponents and garbage", () => {
    const plain = fc.tuple(fc.double({ min: 0, max: 1e9, noNaN: true }), fc.integer({ min: 0, max: 8 })).map(([x, d]) => x.toFixed(d));
    fc.assert(fc.property(fc.oneof(plain, fc.string(), fc.constantFrom("1e-05", "-1.5", "+2", ".5", "5.", ".", "", " 1", "0x10", "1.2.3")), (s) => {
      const f = fastDecimal(s);
      if (f === undefined) return;
      expect(f).toBe(parseDecimal(s));
    }), { numRuns: 2_000 });
    expect(fastDecimal("157.123")).toBe(157.123);
    expect(fastDecimal("-1.5")).toBeUndefined();
    expect(fastDecimal("1e-05")).toBeUndefined();
  });
});
