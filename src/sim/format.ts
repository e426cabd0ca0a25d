// How OANDA writes numbers and times on the wire: decimal *strings* and RFC 3339 times with
// nine fractional digits. Precision follows the recorded payloads in ../shared/data/oanda:
// account amounts with 4 decimals ("0.0000"), percentages with 5 ("0.14923"), prices at the
// instrument's displayPrecision ("155.008"), units as whole numbers ("-100").
import type { InstrumentSpec } from "../core/types.ts";

function fixed(x: number, digits: number): string {
  const s = (Object.is(x, -0) ? 0 : x).toFixed(digits);
  // Only a string starting with "-" can be a negative zero ("-0.0000"); the others skip the test.
  return s.charCodeAt(0) === 45 && /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * Number(fixed(x, digits)) without the string, where arithmetic gives the same answer, which is
 * almost everywhere: the in-process venue reads about ten amounts a replayed tick as the client
 * reads them off the wire, and toFixed and Number were most of that.
 *
 * Why it is the same: toFixed picks the integer n nearest x * 10^d in exact arithmetic (ties up
 * in magnitude), and Number() of its string is the double nearest n / 10^d, which is what the
 * division n / 10^d gives (both exact integers below 2^53, one correctly rounded division). The
 * product |x| * 10^d is off its exact value by at most half an ulp, so Math.round finds the same n
 * unless the fraction is within that error of one half: there, and for magnitudes where doubles
 * are not exact integers, the string route decides.
 */
export function roundLikeWire(x: number, digits: number): number {
  const p = POW10[digits];
  const a = Math.abs(x);
  if (p !== undefined && a * p < 2 ** 52) {
    const y = a * p;
    const n = Math.floor(y);
    const frac = y - n;
    // The product's error bound (half an ulp of y, doubled for safety), and the floor's exactness.
    if (Math.abs(frac - 0.5) > y * 2 ** -52 + Number.MIN_VALUE) {
      const r = (frac > 0.5 ? n + 1 : n) / p;
      // -0 reads as 0 on the wire ("0.0000"), and so does any x rounding to zero.
      return r === 0 ? 0 : x < 0 ? -r : r;
    }
  }
  const n = Number(fixed(x, digits));
  return n === 0 ? 0 : n;
}

/** Money in the home currency. */
export const fmtAmount = (x: number): string => fixed(x, 4);
/** Ratios such as marginCloseoutPercent. */
export const fmtPercent = (x: number): string => fixed(x, 5);
/** Margin rates and conversion factors. */
export const fmtRate = (x: number): string => String(Number(x.toPrecision(12)));
export const fmtPrice = (spec: InstrumentSpec, x: number): string => fixed(x, spec.displayPrecision);
/** Signed units at the instrument's unit precision. */
export const fmtUnits = (spec: InstrumentSpec, x: number): string => fixed(x, spec.tradeUnitsPrecision);

/**
 * RFC 3339 with nanoseconds like OANDA ("2016-10-24T21:48:18.593753865Z"). The clock has
 * millisecond resolution, so the sub-millisecond digits are zero.
 */
export function fmtTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  // "YYYY-MM-DDTHH:MM:SS.sssZ" (years 0-9999) takes six zeros before its "Z" without a regex (a
  // transaction's time, thousands a replayed month); an extended year ("+275760-...") the long way.
  return iso.length === 24 ? `${iso.slice(0, 23)}000000Z` : iso.replace(/\.(\d{3})Z$/, ".$1000000Z");
}

/** OANDA's UNIX form ("1509281144.757577547") for Accept-Datetime-Format: UNIX. */
function fmtUnixTime(ms: number): string {
  const s = Math.floor(ms / 1000);
  const frac = String(ms - s * 1000).padStart(3, "0");
  return `${s}.${frac}000000`;
}

const RFC3339_NANO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/;

/** Rewrite every RFC 3339 time in a response body to UNIX form (Accept-Datetime-Format: UNIX). */
export function toUnixTimes(value: unknown): unknown {
  if (typeof value === "string") return RFC3339_NANO.test(value) ? fmtUnixTime(Date.parse(value)) : value;
  if (Array.isArray(value)) return value.map(toUnixTimes);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toUnixTimes(v);
    return out;
  }
  return value;
}
