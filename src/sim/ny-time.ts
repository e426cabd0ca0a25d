// The FX day's clock: OANDA's trading day ends at 17:00 New York time (daylight saving
// included), when daily financing is booked, and its daily maintenance runs 16:59-17:05 New
// York, Tuesday to Friday. New York's wall clock comes from core/new-york.ts.
import { nyParts } from "../core/new-york.ts";

const DAY_MS = 86_400_000;

/** Epoch ms of 17:00 New York on the New York calendar date y-m-d (EST -5 h or EDT -4 h). */
function fivePmNy(year: number, month: number, day: number): number {
  for (const offsetH of [4, 5]) {
    const t = Date.UTC(year, month - 1, day, 17 + offsetH, 0, 0);
    const p = nyParts(t);
    if (p.hour === 17 && p.minute === 0 && p.day === day) return t;
  }
  // Unreachable for New York (the offset is always -4 or -5 h); fall back to EST.
  return Date.UTC(year, month - 1, day, 22, 0, 0);
}

export interface Rollover {
  /** Epoch ms of the 17:00 New York close. */
  at: number;
  /** New York weekday of that close: 1 Monday ... 5 Friday. */
  weekday: number;
}

/** The first trading-day close (17:00 New York, Monday to Friday) strictly after `ms`. */
export function nextRollover(ms: number): Rollover {
  const start = nyParts(ms);
  // Walk New York calendar days from the one `ms` falls on; noon UTC of each day keeps clear of DST edges.
  const base = Date.UTC(start.year, start.month - 1, start.day, 12);
  for (let i = 0; i < 9; i++) {
    const d = new Date(base + i * DAY_MS);
    const y = d.getUTCFullYear();
    const m = d.getUTCMonth() + 1;
    const day = d.getUTCDate();
    const at = fivePmNy(y, m, day);
    const weekday = nyParts(at).weekday;
    if (at > ms && weekday >= 1 && weekday <= 5) return { at, weekday };
  }
  throw new Error(`no trading-day close within 9 days of ${new Date(ms).toISOString()}`);
}

/** OANDA's daily maintenance: 16:59 to 17:05 New York, Tuesday to Friday. */
const MAINTENANCE_BEFORE_MS = 60_000;
const MAINTENANCE_AFTER_MS = 5 * 60_000;

/** The next maintenance window that has not ended by `ms`: [start, end). */
export function nextMaintenance(ms: number): { start: number; end: number } {
  let r = nextRollover(ms - MAINTENANCE_AFTER_MS);
  while (r.weekday < 2) r = nextRollover(r.at);
  return { start: r.at - MAINTENANCE_BEFORE_MS, end: r.at + MAINTENANCE_AFTER_MS };
}

/**
 * Days of financing a close carries: Wednesday's counts three (spot FX settles two days on,
 * so Wednesday's position is financed over the weekend), every other weekday one.
 */
export function financingDays(weekday: number): number {
  return weekday === 3 ? 3 : 1;
}
