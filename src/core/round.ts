// Decimal rounding for figures shown to people (JSON answers, logs, reports). Three variants,
// because callers differ in what they must never print: each is named for what it does.
// All round half up on the scaled value (Math.round), so they agree wherever they overlap.

/** `x` rounded to `d` decimals (default 2). */
export const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;

/**
 * `round`, with a negative zero read as 0: reports and CSV files compare byte for byte across
 * runs, and a tiny loss rounding to -0 must not print differently from none.
 */
export const roundWithoutNegativeZero = (x: number, d = 2): number => {
  const r = round(x, d);
  return Object.is(r, -0) ? 0 : r;
};

/** `round`, or null for NaN and ±Infinity (JSON has neither). */
export const roundOrNull = (x: number, d = 2): number | null => (Number.isFinite(x) ? round(x, d) : null);
