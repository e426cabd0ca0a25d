// Times in the ledger, and OANDA's trading day.
//
// OANDA sends times as RFC 3339 with nanoseconds, or as UNIX seconds with a fraction when asked
// for (Accept-Datetime-Format: UNIX). Both become ISO-8601 UTC with milliseconds here.
//
// OANDA's trading day ends at 17:00 New York time (the rollover, when financing is charged), so a
// day runs from 17:00 New York to 17:00 New York the next day, 21:00 or 22:00 UTC depending on
// daylight saving. A trading day is named by the New York date on which it ends: a fill at 18:00
// New York on Monday belongs to Tuesday's trading day. Daylight saving comes from the IANA zone
// (Intl, or the US rule that matches it: core/new-york.ts), never from a fixed offset.
import { tradingDayAt } from "../core/new-york.ts";

export function isoFromOandaTime(t: string): string {
  if (/^\d+(\.\d+)?$/.test(t)) {
    const [s, frac = ""] = t.split(".");
    return new Date(Number(s) * 1000 + Number((frac + "000").slice(0, 3))).toISOString();
  }
  // Date.parse keeps milliseconds and drops the rest of a nanosecond fraction.
  const m = /^(.*T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/.exec(t);
  const ms = m ? Date.parse(`${m[1]}${(m[2] ?? ".000").slice(0, 4).padEnd(4, "0")}${m[3]}`) : Date.parse(t);
  if (!Number.isFinite(ms)) throw new Error(`not an OANDA time: ${t}`);
  return new Date(ms).toISOString();
}

/** The trading day (YYYY-MM-DD, the New York date it ends on) an instant belongs to. */
export function tradingDay(iso: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) throw new Error(`not a time: ${iso}`);
  return tradingDayAt(ms);
}
