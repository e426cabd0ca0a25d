// The market-data readers' fast path: a data line read where it lies in the file's text, field by
// field on character codes, with no string made per line or per field. A month of FXCM bars is
// 57,000 lines of five fields; slicing each line, splitting it and converting each field with
// Number() was most of a replay's reading time. The fast path reads only the plain layout the
// files use (ASCII digits, one decimal point, commas) and declines anything else; a declined line
// goes through the general reader, which decides what it is. So every line ends as the general
// reader would have it (property-tested in test/marketdata/fast-fields.test.ts).

/** 10^k for k = 0..15, each exact as a double. */
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/** Where the last decimalAt or digitsAt stopped: the index of the first character it did not read. */
export let stoppedAt = 0;

/**
 * The decimal `[0-9]*(.[0-9]*)?` starting at `i` (and before `end`) as Number() reads the same
 * characters, or -1 when there is no digit or more than 15. Reading stops at the first other
 * character (`stoppedAt`); the caller checks that it is the field's end.
 *
 * Exact: with at most 15 digits the digits read as an integer m < 2^53 and 10^k (k <= 15) are
 * both exact doubles, and one IEEE division rounds m / 10^k correctly, to the double nearest the
 * decimal's value, which is what Number() gives (the fast path of every correct strtod).
 */
export function decimalAt(s: string, i: number, end: number): number {
  let m = 0;
  let digits = 0;
  let frac = -1;
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      digits++;
      if (frac >= 0) frac++;
    } else if (c === 46 && frac < 0) frac = 0;
    else break;
  }
  stoppedAt = i;
  if (digits === 0 || digits > 15) return -1;
  return frac > 0 ? m / POW10[frac]! : m;
}

/** The integer `[0-9]+` at `i` (before `end`), or -1 when there is no digit or more than 15; see decimalAt. */
export function digitsAt(s: string, i: number, end: number): number {
  let m = 0;
  const start = i;
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    m = m * 10 + (c - 48);
  }
  stoppedAt = i;
  const digits = i - start;
  return digits === 0 || digits > 15 ? -1 : m;
}

/** A character trim() never removes and no line break: printable ASCII. */
const printable = (c: number) => c > 32 && c < 127;

/**
 * Each data line of a CSV text, as forEachDataLine (src/marketdata/read-tick-csv.ts) gives them:
 * blank lines and a first-line header left out, each line trimmed. A line that trim() would leave
 * as it is (printable ASCII at both ends, a CRLF's \r aside) and that is not the file's first is
 * offered to `fast` where it lies, `[start, end)` of `text`; when `fast` declines it (returns
 * false), and for every other line, `slow` gets the trimmed line. Returns how many data lines.
 */
export function forEachDataLineFast(text: string, fast: (text: string, start: number, end: number) => boolean, slow: (line: string) => void, isHeader: (line: string, index: number) => boolean): number {
  let rows = 0;
  let index = 0;
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const next = end + 1;
    let last = end;
    if (last > start && text.charCodeAt(last - 1) === 13) last--;
    if (index > 0 && last > start && printable(text.charCodeAt(start)) && printable(text.charCodeAt(last - 1))) {
      // Not the first line, so not a header; not blank.
      index++;
      rows++;
      if (!fast(text, start, last)) slow(text.slice(start, last));
    } else {
      const line = text.slice(start, end).trim();
      if (line.length > 0 && !isHeader(line, index++)) {
        rows++;
        slow(line);
      }
    }
    start = next;
  }
  return rows;
}
