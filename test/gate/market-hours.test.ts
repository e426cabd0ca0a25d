import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { isFxMarketOpen } from "../../src/gate/market-hours.ts";

// The rule read off Intl's own America/New_York formatter (what market-hours did before it used
// nyParts), the reference the faster clock is held to.
const NY = new Intl.DateTimeFormat("en-US", { timeZone: "America/New_York", weekday: "short", hour: "numeric", hourCycle: "h23" });
function openByIntl(ms: number): boolean {
  const parts = NY.formatToParts(new Date(ms));
  const weekday = parts.find((p) => p.type === "weekday")?.value;
  const hour = Number(parts.find((p) => p.type === "hour")?.value);
  if (weekday === "Sat") return false;
  if (weekday === "Fri") return hour < 17;
  if (weekday === "Sun") return hour >= 17;
  return true;
}

describe("FX market hours", () => {
  it("closes Friday 17:00 and reopens Sunday 17:00 New York time, in winter and in summer", () => {
    // 2013-02-01 is a Friday (EST, UTC-5); 2014-05-02 a Friday (EDT, UTC-4).
    expect(isFxMarketOpen(Date.UTC(2013, 1, 1, 21, 59))).toBe(true);
    expect(isFxMarketOpen(Date.UTC(2013, 1, 1, 22, 0))).toBe(false);
    expect(isFxMarketOpen(Date.UTC(2013, 1, 2, 12, 0))).toBe(false);
    expect(isFxMarketOpen(Date.UTC(2013, 1, 3, 21, 59))).toBe(false);
    expect(isFxMarketOpen(Date.UTC(2013, 1, 3, 22, 0))).toBe(true);
    expect(isFxMarketOpen(Date.UTC(2014, 4, 2, 20, 59))).toBe(true);
    expect(isFxMarketOpen(Date.UTC(2014, 4, 2, 21, 0))).toBe(false);
    expect(isFxMarketOpen(Date.UTC(2014, 4, 4, 21, 0))).toBe(true);
  });

  it("says what Intl's New York clock says, at any instant from 1990 to 2110 (around the years the US rule covers)", () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2110, 0, 1) }), (ms) => {
        expect(isFxMarketOpen(ms)).toBe(openByIntl(ms));
      }),
      { numRuns: 5_000 },
    );
  });

  it("and on each hour boundary of the weekend change-overs, across a daylight-saving change", () => {
    for (let t = Date.UTC(2013, 2, 1); t < Date.UTC(2013, 2, 20); t += 15 * 60_000) expect(isFxMarketOpen(t)).toBe(openByIntl(t));
    for (let t = Date.UTC(2013, 9, 25); t < Date.UTC(2013, 10, 12); t += 15 * 60_000) expect(isFxMarketOpen(t)).toBe(openByIntl(t));
  });
});
