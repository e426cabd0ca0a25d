// OANDA's trading day ends at 17:00 New York, through both daylight-saving changes.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isoFromOandaTime, tradingDay } from "../../src/ledger/time.ts";

const nyClock = new Intl.DateTimeFormat("en-US", { timeZone: "America/New_York", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

describe("tradingDay", () => {
  it.each([
    // winter (EST, UTC-5): the day ends at 22:00 UTC
    ["2026-03-06T21:59:59.999Z", "2026-03-06"],
    ["2026-03-06T22:00:00.000Z", "2026-03-07"],
    // the Sunday clocks go forward (2026-03-08 02:00 EST -> 03:00 EDT)
    ["2026-03-08T20:59:59.999Z", "2026-03-08"],
    ["2026-03-08T21:00:00.000Z", "2026-03-09"],
    // summer (EDT, UTC-4): the day ends at 21:00 UTC
    ["2026-07-15T20:59:59.999Z", "2026-07-15"],
    ["2026-07-15T21:00:00.000Z", "2026-07-16"],
    // the Sunday clocks go back (2026-11-01 02:00 EDT -> 01:00 EST): back to 22:00 UTC
    ["2026-11-01T21:00:00.000Z", "2026-11-01"],
    ["2026-11-01T22:00:00.000Z", "2026-11-02"],
    // over a month and a year end
    ["2026-12-31T22:00:00.000Z", "2027-01-01"],
    ["2026-01-31T23:30:00.000Z", "2026-02-01"],
  ])("%s is in the trading day %s", (at, day) => {
    expect(tradingDay(at)).toBe(day);
  });

  it("changes exactly at 17:00 New York, to the next date, at every instant of 2024-2030", () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.parse("2024-01-01T00:00:00Z"), max: Date.parse("2030-12-31T00:00:00Z") }), (ms) => {
        const before = tradingDay(new Date(ms - 1).toISOString());
        const at = tradingDay(new Date(ms).toISOString());
        const clock = nyClock.format(new Date(ms));
        const msOfMinute = ms % 60_000;
        if (before !== at) {
          // A change happens only at 17:00:00.000 New York, and moves one day forward.
          expect(clock).toBe("17:00");
          expect(msOfMinute).toBe(0);
          expect(Date.parse(`${at}T00:00:00Z`) - Date.parse(`${before}T00:00:00Z`)).toBe(86_400_000);
        } else if (clock === "17:00" && msOfMinute === 0) {
          throw new Error(`no day change at 17:00 New York (${new Date(ms).toISOString()})`);
        }
      }),
      { numRuns: 2000, examples: [[Date.parse("2026-03-06T22:00:00Z")], [Date.parse("2026-07-15T21:00:00Z")]] },
    );
  });
});

describe("isoFromOandaTime", () => {
  it("reads RFC 3339 with nanoseconds and UNIX seconds alike", () => {
    expect(isoFromOandaTime("2026-03-02T09:00:01.123456789Z")).toBe("2026-03-02T09:00:01.123Z");
    expect(isoFromOandaTime("2026-03-02T09:00:01Z")).toBe("2026-03-02T09:00:01.000Z");
    expect(isoFromOandaTime("1506196800.000000000")).toBe("2017-09-23T20:00:00.000Z");
    expect(isoFromOandaTime("1506288099.651216432")).toBe("2017-09-24T21:21:39.651Z");
    expect(() => isoFromOandaTime("yesterday")).toThrow(/not an OANDA time/);
  });
});
