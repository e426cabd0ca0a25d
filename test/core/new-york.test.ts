import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { nyParts, nyPartsIntl } from "../../src/core/new-york.ts";

const Y2008 = Date.UTC(2008, 0, 1);
const Y2100 = Date.UTC(2100, 0, 1);
const HOUR = 3_600_000;

/** The UTC instants where New York's offset changes in a year, found from Intl alone (hourly scan, then bisection). */
function intlTransitions(year: number): number[] {
  const offset = (ms: number) => {
    const p = nyPartsIntl(ms);
    return Math.round((Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - Math.floor(ms / 60_000) * 60_000) / HOUR);
  };
  const out: number[] = [];
  for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += HOUR) {
    if (offset(t) === offset(t + HOUR)) continue;
    let lo = t;
    let hi = t + HOUR;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (offset(mid) === offset(t)) lo = mid;
      else hi = mid;
    }
    out.push(hi);
  }
  return out;
}

describe("New York's wall clock", () => {
  it("the US rule gives what Intl's zone data gives, at any instant of 2008-2099", () => {
    fc.assert(
      fc.property(fc.integer({ min: Y2008, max: Y2100 - 1 }), (ms) => {
        expect(nyParts(ms)).toEqual(nyPartsIntl(ms));
      }),
      { numRuns: 3_000 },
    );
  });

  it("and on both sides of every daylight-saving change, to the millisecond", () => {
    for (const year of [2008, 2013, 2014, 2026, 2037, 2099]) {
      const changes = intlTransitions(year);
      expect(changes).toHaveLength(2);
      for (const t of changes) for (const ms of [t - HOUR, t - 1, t, t + 1, t + HOUR]) expect(nyParts(ms)).toEqual(nyPartsIntl(ms));
    }
  });

  it("asks Intl outside the years the rule covers", () => {
    for (const ms of [Date.UTC(1995, 6, 1, 12), Date.UTC(2006, 3, 2, 7), Date.UTC(2007, 2, 11, 7), Date.UTC(2101, 6, 1)]) expect(nyParts(ms)).toEqual(nyPartsIntl(ms));
  });
});
