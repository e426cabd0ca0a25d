// New York's wall clock at an instant: OANDA's trading day ends at 17:00 New York time,
// daylight saving included (the simulator's rollover and maintenance, the ledger's trading days).
//
// Intl's IANA zone data is the reference, but building its New York formatter costs about 15 ms
// of every start that touches a trading day (a replay's whole start-up is a few hundred). For
// 2008-2099 the US rule in force since 2007 gives the same answer without it: daylight time from
// the second Sunday of March at 02:00 EST (07:00 UTC) to the first Sunday of November at 02:00
// EDT (06:00 UTC). Other years ask Intl. test/core/new-york.test.ts holds the rule to Intl.

export interface NyParts {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  /** 0-23 */
  hour: number;
  minute: number;
  /** 0 Sunday ... 6 Saturday */
  weekday: number;
}

const HOUR_MS = 3_600_000;
const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

let formatter: Intl.DateTimeFormat | undefined;

/** The reference: Intl's America/New_York. */
export function nyPartsIntl(ms: number): NyParts {
  formatter ??= new Intl.DateTimeFormat("en-US", {
    timeZone: "America/New_York", hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", weekday: "short",
  });
  const o: Record<string, string> = {};
  for (const p of formatter.formatToParts(new Date(ms))) o[p.type] = p.value;
  return { year: Number(o.year), month: Number(o.month), day: Number(o.day), hour: Number(o.hour), minute: Number(o.minute), weekday: WEEKDAYS[o.weekday!]! };
}

/** Day of the month of the n-th Sunday of a month (monthIndex 0-11). */
function nthSunday(year: number, monthIndex: number, n: number): number {
  const firstWeekday = new Date(Date.UTC(year, monthIndex, 1)).getUTCDay();
  return 1 + ((7 - firstWeekday) % 7) + 7 * (n - 1);
}

/** [start, end) of daylight time in a year, epoch ms. */
const daylight = new Map<number, readonly [number, number]>();

function daylightOf(year: number): readonly [number, number] {
  let d = daylight.get(year);
  if (!d) daylight.set(year, (d = [Date.UTC(year, 2, nthSunday(year, 2, 2), 7), Date.UTC(year, 10, nthSunday(year, 10, 1), 6)]));
  return d;
}

/** New York's date and time at `ms` (epoch ms). */
export function nyParts(ms: number): NyParts {
  const year = new Date(ms).getUTCFullYear();
  if (!(year >= 2008 && year <= 2099)) return nyPartsIntl(ms);
  const [start, end] = daylightOf(year);
  const local = new Date(ms - (ms >= start && ms < end ? 4 : 5) * HOUR_MS);
  return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate(), hour: local.getUTCHours(), minute: local.getUTCMinutes(), weekday: local.getUTCDay() };
}

/**
 * OANDA's trading day (YYYY-MM-DD) that an instant belongs to: a day runs from 17:00 New York
 * time (the rollover) to 17:00 the next day and is named by the New York date it ends on, so
 * 18:00 on a Monday is Tuesday's. Daylight saving as nyParts applies it.
 */
export function tradingDayAt(ms: number): string {
  const p = nyParts(ms);
  // Date.UTC rolls the day over into the next month and year.
  return new Date(Date.UTC(p.year, p.month - 1, p.day + (p.hour >= 17 ? 1 : 0))).toISOString().slice(0, 10);
}
