// Cheap readers for the two scalars every stream line carries: a decimal string and an RFC 3339
// UTC time. They accept only the plain forms OANDA sends ("157.123", "2017-02-23T20:57:21.215739156Z")
// and answer undefined for anything else, so the caller falls back to the full parsers in
// decimal.ts, whose rules and error messages stay the only definition. For every input they
// accept, they return exactly what those parsers return (property-tested).
import { twoDigits } from "../core/digits.ts";

/** Digits with at most one ".", at least one digit: a decimal with no sign and no exponent. */
export function fastDecimal(s: string): number | undefined {
  const n = s.length;
  if (n === 0 || n > 40) return undefined;
  let dot = false;
  let digit = false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) digit = true;
    else if (c === 46 && !dot) dot = true;
    else return undefined;
  }
  return digit ? Number(s) : undefined;
}

const CUMULATIVE_DAYS = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** Days from 1970-01-01 to the first of January of year y (proleptic Gregorian). */
function daysToYear(y: number): number {
  const p = y - 1;
  return 365 * (y - 1970) + (Math.floor(p / 4) - Math.floor(p / 100) + Math.floor(p / 400)) - 477;
}

/**
 * "YYYY-MM-DDTHH:MM:SS[.fraction]Z" to epoch milliseconds, sub-millisecond digits truncated, or
 * undefined when the string is not exactly that form of a real UTC date and time.
 */
export function fastTimeMs(s: string): number | undefined {
  const n = s.length;
  if (n < 20 || n > 40 || s.charCodeAt(n - 1) !== 90 /* Z */) return undefined;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined;
  const y1 = twoDigits(s, 0);
  const y2 = twoDigits(s, 2);
  const mo = twoDigits(s, 5);
  const d = twoDigits(s, 8);
  const h = twoDigits(s, 11);
  const mi = twoDigits(s, 14);
  const sec = twoDigits(s, 17);
  if (y1 < 0 || y2 < 0 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return undefined;
  const day = dayStartMs(y1 * 100 + y2, mo, d);
  if (Number.isNaN(day)) return undefined;
  let ms = 0;
  if (n > 20) {
    // ".d+" then the Z: at least one fraction digit, only digits.
    if (s.charCodeAt(19) !== 46 || n < 22) return undefined;
    for (let i = 20; i < n - 1; i++) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return undefined;
      if (i < 23) ms += c * (i === 20 ? 100 : i === 21 ? 10 : 1);
    }
  } else if (s.charCodeAt(19) !== 90) {
    return undefined;
  }
  return day + (h * 60 + mi) * 60_000 + sec * 1000 + ms;
}

/** Epoch milliseconds of 00:00 UTC on y-mo-d, or NaN when that is not a real date (y in 0..9999). */
export function dayStartMs(y: number, mo: number, d: number): number {
  if (mo < 1 || mo > 12 || d < 1) return Number.NaN;
  const leap = isLeap(y);
  const monthDays = mo === 2 ? (leap ? 29 : 28) : mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
  if (d > monthDays) return Number.NaN;
  const days = daysToYear(y) + CUMULATIVE_DAYS[mo - 1]! + (mo > 2 && leap ? 1 : 0) + d - 1;
  return days * 86_400_000;
}
