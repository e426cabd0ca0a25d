import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { fmtTime } from "../../src/sim/format.ts";

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
