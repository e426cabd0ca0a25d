// The loss-limit rules, pure: the trading day (17:00 New York, daylight saving included), the
// daily limit against the day's opening NAV and the drawdown guard against the high-water mark.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { entryBlock, observeNav, parseDailyLoss, resumeDrawdown, tradingDayOf, type LossLimitSettings, type LossLimitState } from "../../../src/gate/guards/loss-limit.ts";

const utc = (s: string) => Date.parse(s);

/** The reference: the trading day read off Intl's IANA zone data, the date turning at 17:00. */
const NY = new Intl.DateTimeFormat("en-US", { timeZone: "America/New_York", year: "numeric", month: "2-digit", day: "2-digit", hour: "numeric", hourCycle: "h23" });
function tradingDayByIntl(ms: number): string {
  const p = Object.fromEntries(NY.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  const date = `${p.year}-${p.month}-${p.day}`;
  if (Number(p.hour) < 17) return date;
  const next = new Date(`${date}T12:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}

describe("the trading day ends 17:00 New York time", () => {
  it("winter (EST, UTC-5): the day turns at 22:00 UTC", () => {
    expect(tradingDayOf(utc("2026-01-13T21:59:59Z"))).toBe("2026-01-13");
    expect(tradingDayOf(utc("2026-01-13T22:00:00Z"))).toBe("2026-01-14");
  });

  it("summer (EDT, UTC-4): the day turns at 21:00 UTC", () => {
    expect(tradingDayOf(utc("2026-07-14T20:59:59Z"))).toBe("2026-07-14");
    expect(tradingDayOf(utc("2026-07-14T21:00:00Z"))).toBe("2026-07-15");
  });

  it("across the March and November clock changes", () => {
    // 2026-03-08 02:00 EST -> 03:00 EDT: 17:00 that day is already 21:00 UTC.
    expect(tradingDayOf(utc("2026-03-08T20:59:00Z"))).toBe("2026-03-08");
    expect(tradingDayOf(utc("2026-03-08T21:00:00Z"))).toBe("2026-03-09");
    // 2026-11-01 02:00 EDT -> 01:00 EST: 17:00 that day is 22:00 UTC.
    expect(tradingDayOf(utc("2026-11-01T21:30:00Z"))).toBe("2026-11-01");
    expect(tradingDayOf(utc("2026-11-01T22:00:00Z"))).toBe("2026-11-02");
  });

  it("month and year ends roll over", () => {
    expect(tradingDayOf(utc("2026-12-31T22:30:00Z"))).toBe("2027-01-01");
  });

  it("the per-hour memo answers as Intl's America/New_York does, for any sequence of instants (clock changes included)", () => {
    const lo = utc("2004-01-01T00:00:00Z");
    const hi = utc("2040-01-01T00:00:00Z");
    // Instants near the hour, where a wrong memo would show, and anywhere, in any order.
    const nearHour = fc.tuple(fc.integer({ min: lo / 3_600_000, max: hi / 3_600_000 }), fc.integer({ min: -2000, max: 2000 })).map(([h, d]) => h * 3_600_000 + d);
    fc.assert(fc.property(fc.array(fc.oneof(nearHour, fc.integer({ min: lo, max: hi })), { minLength: 1, maxLength: 40 }), (ts) => {
      for (const t of ts) expect(tradingDayOf(t)).toBe(tradingDayByIntl(t));
    }), { numRuns: 300 });
  });
});

const S = (daily: string, dd = 0): LossLimitSettings => ({ daily: parseDailyLoss(daily), maxDrawdownPct: dd });
const T = utc("2026-01-13T12:00:00Z");

describe("daily loss limit", () => {
  it("an amount: trips when NAV is that far below the day's open, lifts at the next trading day", () => {
    let st: LossLimitState | undefined;
    ({ state: st } = observeNav(st, 500_000, T, S("10000")));
    let r = observeNav(st, 490_001, T + 1000, S("10000"));
    expect(r.events).toEqual([]);
    expect(entryBlock(r.state, 490_001, S("10000"))).toBeUndefined();
    r = observeNav(r.state, 490_000, T + 2000, S("10000"));
    expect(r.events).toEqual([{ kind: "daily_tripped", loss: 10_000, limit: 10_000 }]);
    expect(entryBlock(r.state, 490_000, S("10000"))).toMatchObject({ scope: "daily", loss: 10_000, limit: 10_000 });
    // A recovery the same day does not lift it.
    r = observeNav(r.state, 499_000, T + 3000, S("10000"));
    expect(entryBlock(r.state, 499_000, S("10000"))?.scope).toBe("daily");
    // The next trading day opens at the current NAV, and the limit lifts.
    r = observeNav(r.state, 489_000, utc("2026-01-13T22:00:00Z"), S("10000"));
    expect(r.events).toEqual([{ kind: "daily_lifted", tradingDay: "2026-01-14" }]);
    expect(r.state.dayOpenNav).toBe(489_000);
    expect(entryBlock(r.state, 489_000, S("10000"))).toBeUndefined();
  });

  it("a percentage is of the day's opening NAV", () => {
    let r = observeNav(undefined, 400_000, T, S("5%"));
    r = observeNav(r.state, 380_000, T + 1, S("5%"));
    expect(r.events).toEqual([{ kind: "daily_tripped", loss: 20_000, limit: 20_000 }]);
  });

  it("off never trips", () => {
    const r = observeNav(observeNav(undefined, 400_000, T, S("off")).state, 1, T + 1, S("off"));
    expect(r.events).toEqual([]);
  });

  it("property: never blocks while the loss is under the limit, always once it reaches it", () => {
    fc.assert(fc.property(fc.integer({ min: 1000, max: 10_000_000 }), fc.double({ min: 0.1, max: 50, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (open, pct, frac) => {
      const s = S(`${pct}%`);
      const nav = open * (1 - frac);
      const r = observeNav(observeNav(undefined, open, T, s).state, nav, T + 1, s);
      const limit = (open * pct) / 100;
      expect(entryBlock(r.state, nav, s) !== undefined).toBe(open - nav >= limit);
    }));
  });
});

describe("drawdown guard", () => {
  it("measures from the high-water mark, survives the next trading day, and lifts only on resume", () => {
    const s = S("off", 10);
    let r = observeNav(undefined, 500_000, T, s);
    r = observeNav(r.state, 600_000, T + 1, s); // new high
    r = observeNav(r.state, 541_000, T + 2, s);
    expect(r.events).toEqual([]);
    r = observeNav(r.state, 540_000, T + 3, s);
    expect(r.events).toEqual([{ kind: "drawdown_tripped", loss: 60_000, limit: 60_000 }]);
    r = observeNav(r.state, 545_000, utc("2026-01-14T23:00:00Z"), s);
    expect(entryBlock(r.state, 545_000, s)?.scope).toBe("drawdown");
    const resumed = resumeDrawdown(r.state, 545_000);
    expect(resumed.highWaterNav).toBe(545_000);
    expect(entryBlock(resumed, 545_000, s)).toBeUndefined();
  });
});
