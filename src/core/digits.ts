// Two ASCII digits read by hand: the hot timestamp readers (the pricing stream's RFC 3339 times
// and the market-data files' layouts) call this per field instead of a regular expression.

/** The two ASCII digits at i as a number 0-99, or -1 when either is not a digit (or is missing). */
export function twoDigits(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}
