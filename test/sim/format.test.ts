import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { fmtTime, roundLikeWire } from "../../src/sim/format.ts";

describe("fmtTime", () => {
  it("writes OANDA's RFC 3339 with nine fractional digits", () => {
    expect(fmtTime(Date.UTC(2016, 9, 24, 21, 48, 18, 593))).toBe("2016-10-24T21:48:18.593000000Z");
    expect(fmtTime(0)).toBe("1970-01-01T00:00:00.000000000Z");
  });

  it("property: the ISO time with six zeros before its Z, for every time a Date holds (extended years too)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), (ms) => {
        const iso = new Date(ms).toISOString();
        expect(fmtTime(ms)).toBe(`${iso.slice(0, -1)}000000Z`);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("roundLikeWire", () => {
  /** The client's reading of the wire's string: Number, -0 as 0 (venue-answers.ts num). */
  const viaString = (x: number, d: number) => {
    const s = (Object.is(x, -0) ? 0 : x).toFixed(d);
    const n = Number(/^-0\.?0*$/.test(s) ? s.slice(1) : s);
    return n === 0 ? 0 : n;
  };

  it("property: the number the wire's decimal string reads back as, for any double and 0-15 digits", () => {
    fc.assert(
      fc.property(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e21, max: 1e21 }), fc.double({ noNaN: true, min: -1e7, max: 1e7 })), fc.integer({ min: 0, max: 15 }), (x, d) => {
        expect(Object.is(roundLikeWire(x, d), viaString(x, d))).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it("property: ties and near-ties at the digit the wire cuts (amounts, percentages, prices)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.constantFrom(2, 3, 4, 5), fc.integer({ min: -3, max: 3 }), (k, d, ulps) => {
        // k + 0.5 units of the last digit, nudged by a few ulps either way.
        let x = (k + 0.5) / 10 ** d;
        for (let i = 0; i < Math.abs(ulps); i++) x = ulps > 0 ? nextUp(x) : nextDown(x);
        expect(Object.is(roundLikeWire(x, d), viaString(x, d)), `${x} at ${d}`).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it("plain cases: money to 4 decimals, a -0 and a tiny negative read as 0", () => {
    expect(roundLikeWire(500_000.123456, 4)).toBe(500_000.1235);
    expect(roundLikeWire(-1234.56785, 4)).toBe(viaString(-1234.56785, 4));
    expect(Object.is(roundLikeWire(-0, 4), 0)).toBe(true);
    expect(Object.is(roundLikeWire(-0.00001, 4), 0)).toBe(true);
    expect(roundLikeWire(2.5, 0)).toBe(3);
    expect(roundLikeWire(-2.5, 0)).toBe(-3);
  });
});

function nextUp(x: number): number {
  const b = new Float64Array([x]);
  const i = new BigInt64Array(b.buffer);
  if (x === 0) return Number.MIN_VALUE;
  i[0] = x > 0 ? i[0]! + 1n : i[0]! - 1n;
  return b[0]!;
}

function nextDown(x: number): number {
  return -nextUp(-x);
}
