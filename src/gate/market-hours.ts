// FX trades around the clock on weekdays: it closes Friday 17:00 New York time and reopens
// Sunday 17:00 New York time (21:00/22:00 UTC depending on US daylight saving). OANDA also
// marks prices tradeable:false then; this clock rule is a second, independent check.
// New York's wall clock comes from nyParts (the US daylight-saving rule, Intl outside its
// years): building Intl's New York formatter when this module loaded cost every replay and
// every agent start tens of milliseconds.
import { nyParts } from "../core/new-york.ts";

const SUNDAY = 0;
const FRIDAY = 5;
const SATURDAY = 6;

export function isFxMarketOpen(epochMs: number): boolean {
  const { weekday, hour } = nyParts(epochMs);
  if (weekday === SATURDAY) return false;
  if (weekday === FRIDAY) return hour < 17;
  if (weekday === SUNDAY) return hour >= 17;
  return true;
}
