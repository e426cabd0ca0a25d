// The values the pricing stream's fast path reads from a line's bytes, each exactly as the schema
// path reads it from the JSON.parse'd text or declining (-1): a decimal (parseDecimal's value),
// an RFC 3339 UTC time (fastTimeMs' value, with the day's start cached), an instrument name
// (interned: every tick of one instrument shares one string). Each takes the index of the
// value's first byte and returns the index after it, the value in `num` or `name`.
import { dayStartMs } from "./fast-scalars.ts";

// Up to 15 significant digits a decimal is an exact integer over an exact power of ten, and one
// IEEE division of the two is the correctly rounded value, the same double Number(text) gives.
export const POW10 = Array.from({ length: 16 }, (_, k) => 10 ** k);
const MAX_DIGITS = 15;

export class ValueReader {
  /** The last decimal or time read. */
  num = 0;
  /** The last instrument read. */
  name = "";
  /** The last decimal's digits before and after its "." (after: -1 without a "."). */
  ints = 0;
  fracs = -1;
  // The last date seen and its start: times within one day skip the calendar arithmetic.
  #dayKey = -1;
  #dayMs = 0;
  // The last time's first 15 bytes as two doubles, its hour's start, its fraction's length (0: none kept).
  #hourA = 0;
  #hourB = 0;
  #hourMs = 0;
  #hourLen = 0;
  readonly #names: Uint8Array[] = [];
  readonly #strings: string[] = [];

  /**
   * A decimal: a string of digits with at most one "." (parseDecimal's value of it) or a plain
   * JSON number without sign or exponent (JSON.parse's value). At most 15 digits. Value in `num`.
   */
  decimal(b: Uint8Array, i: number): number {
    let c = b[i];
    const quoted = c === 34;
    if (quoted) c = b[++i];
    else if (!(c! >= 48 && c! <= 57) || (c === 48 && b[i + 1]! >= 48 && b[i + 1]! <= 57)) return -1; // JSON: a digit first, no leading zero
    const first = i;
    let m = 0;
    while (c! >= 48 && c! <= 57) {
      m = m * 10 + (c! - 48);
      c = b[++i];
    }
    let digits = i - first;
    let frac = 0;
    const hasDot = c === 46;
    if (hasDot) {
      const f = ++i;
      c = b[i];
      while (c! >= 48 && c! <= 57) {
        m = m * 10 + (c! - 48);
        c = b[++i];
      }
      frac = i - f;
      if (frac === 0 && !quoted) return -1; // "1." is not JSON
      digits += frac;
    }
    if (digits === 0 || digits > MAX_DIGITS) return -1;
    if (quoted) {
      if (c !== 34) return -1;
      i++;
    } else if (c === 101 || c === 69) {
      return -1; // exponents are left to JSON.parse
    }
    this.num = frac > 0 ? m / POW10[frac]! : m;
    this.ints = digits - frac;
    this.fracs = hasDot ? frac : -1;
    return i;
  }

  /**
   * "YYYY-MM-DDTHH:MM:SS[.d{1,19}]Z" at b[i] (the quote) as fastTimeMs reads it; epoch ms in `num`.
   * `dv` views the same bytes as `b`.
   *
   * Stream times of one hour share their first 15 bytes ('"YYYY-MM-DDTHH:'), and a stream's
   * fractions their length: when the bytes there equal the last time's, read and checked then,
   * only the minutes, seconds and fraction digits are read and checked (by the same rules).
   */
  time(b: Uint8Array, dv: DataView, i: number): number {
    const size = b.length;
    if (this.#hourLen !== 0 && i + 23 + this.#hourLen <= size && dv.getFloat64(i, true) === this.#hourA && dv.getFloat64(i + 7, true) === this.#hourB) {
      const f = this.#hourLen; // fraction digits of the last time
      const mi = digits2(b, i + 15);
      const s = digits2(b, i + 18);
      const z = i + 21 + f;
      if (mi >= 0 && mi <= 59 && s >= 0 && s <= 59 && b[i + 17] === 58 && b[i + 20] === 46 && b[z] === 90 && b[z + 1] === 34 && allDigits(dv, b, i + 21, f)) {
        const ms = f >= 3 ? (b[i + 21]! - 48) * 100 + (b[i + 22]! - 48) * 10 + (b[i + 23]! - 48) : f === 2 ? (b[i + 21]! - 48) * 100 + (b[i + 22]! - 48) * 10 : (b[i + 21]! - 48) * 100;
        this.num = this.#hourMs + mi * 60_000 + s * 1000 + ms;
        return z + 2;
      }
    }
    return this.#time(b, dv, i);
  }

  #time(b: Uint8Array, dv: DataView, i: number): number {
    if (b[i] !== 34 || i + 22 > b.length) return -1;
    const y = digits4(b, i + 1);
    const mo = digits2(b, i + 6);
    const d = digits2(b, i + 9);
    const h = digits2(b, i + 12);
    const mi = digits2(b, i + 15);
    const s = digits2(b, i + 18);
    if (b[i + 5] !== 45 || b[i + 8] !== 45 || b[i + 11] !== 84 || b[i + 14] !== 58 || b[i + 17] !== 58) return -1;
    if (y < 0 || mo < 0 || d < 0 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) return -1;
    const key = y * 10_000 + mo * 100 + d;
    if (key !== this.#dayKey) {
      const day = dayStartMs(y, mo, d);
      if (Number.isNaN(day)) return -1;
      this.#dayKey = key;
      this.#dayMs = day;
    }
    let j = i + 20;
    let ms = 0;
    if (b[j] === 46) {
      // 1 to 19 fraction digits (fastTimeMs' bound); the first three are the milliseconds.
      let c = b[++j];
      const first = j;
      while (c! >= 48 && c! <= 57) {
        const n = j - first;
        if (n < 3) ms += (c! - 48) * (n === 0 ? 100 : n === 1 ? 10 : 1);
        c = b[++j];
      }
      if (j === first || j - first > 19) return -1;
    }
    if (b[j] !== 90 || b[j + 1] !== 34) return -1;
    this.num = this.#dayMs + (h * 60 + mi) * 60_000 + s * 1000 + ms;
    // Keep the hour's bytes for the next time (a word that reads as NaN or zero is never kept:
    // equal doubles must mean equal bytes). Only times with a fraction: its "." is checked above.
    const f = b[i + 20] === 46 ? j - i - 21 : 0;
    const hourA = dv.getFloat64(i, true);
    const hourB = dv.getFloat64(i + 7, true);
    this.#hourLen = f > 0 && !Number.isNaN(hourA) && !Number.isNaN(hourB) && hourA !== 0 && hourB !== 0 ? f : 0;
    this.#hourA = hourA;
    this.#hourB = hourB;
    this.#hourMs = this.#dayMs + h * 3_600_000;
    return j + 2;
  }
  /** A string of printable ASCII without escapes at b[i]: the instrument name, interned, in `name`. */
  instrument(b: Uint8Array, i: number): number {
    if (b[i] !== 34) return -1;
    const s = i + 1;
    let j = s;
    let c = b[j];
    while (c !== 34) {
      if (!(c! >= 32 && c! < 127) || c === 92) return -1;
      c = b[++j];
    }
    const len = j - s;
    const names = this.#names;
    for (let k = 0; k < names.length; k++) {
      const n = names[k]!;
      if (n.length !== len) continue;
      let x = 0;
      while (x < len && n[x] === b[s + x]) x++;
      if (x === len) {
        this.name = this.#strings[k]!;
        return j + 1;
      }
    }
    const name = String.fromCharCode(...b.subarray(s, j));
    // Bounded: a stream carries a handful of instruments; past 64 names stop interning.
    if (names.length < 64) {
      names.push(b.slice(s, j));
      this.#strings.push(name);
    }
    this.name = name;
    return j + 1;
  }
}

/** Two ASCII digits at b[i] as a number, or -1. */
function digits2(b: Uint8Array, i: number): number {
  const a = b[i]! - 48;
  const c = b[i + 1]! - 48;
  return a >= 0 && a <= 9 && c >= 0 && c <= 9 ? a * 10 + c : -1;
}

function digits4(b: Uint8Array, i: number): number {
  const hi = digits2(b, i);
  const lo = digits2(b, i + 2);
  return hi < 0 || lo < 0 ? -1 : hi * 100 + lo;
}

/** The n bytes at b[s..] are all ASCII digits (n >= 1; four at a time where there are four). */
export function allDigits(dv: DataView, b: Uint8Array, s: number, n: number): boolean {
  if (n < 4) {
    for (let k = s; k < s + n; k++) if (!(b[k]! >= 48 && b[k]! <= 57)) return false;
    return true;
  }
  const last = s + n - 4;
  for (let q = s; q < last; q += 4) if (!fourDigits(dv.getInt32(q, true))) return false;
  return fourDigits(dv.getInt32(last, true));
}

/** Each of the four bytes of x is "0".."9": its high nibble is 3, and adding 6 keeps it 3. */
function fourDigits(x: number): boolean {
  return (x & 0xf0f0f0f0) === 0x30303030 && ((x + 0x06060606) & 0xf0f0f0f0) === 0x30303030;
}

/**
 * The value of the n ASCII digits at s (1 <= n <= 8), or -1 when one is not a digit. Read four
 * bytes at a time (little-endian: the first digit is the lowest byte); a group of fewer than four
 * is read with the bytes before it, which are replaced by "0"s.
 */
export function digitsAt(dv: DataView, s: number, n: number): number {
  if (n <= 4) return upToFour(dv, s, n);
  const hi = upToFour(dv, s, n - 4);
  const lo = upToFour(dv, s + n - 4, 4);
  return hi < 0 || lo < 0 ? -1 : hi * 10_000 + lo;
}

function upToFour(dv: DataView, s: number, n: number): number {
  const at = s + n - 4;
  if (at < 0) return -1;
  let x = dv.getInt32(at, true);
  const pad = (4 - n) * 8;
  if (pad !== 0) x = ((x >>> pad) << pad) | (0x30303030 & ((1 << pad) - 1));
  return fourDigitValue(x);
}

/** The value of the four ASCII digits in x (little-endian: the first digit is the lowest byte), or -1 when one is not a digit. */
export function fourDigitValue(x: number): number {
  if (!fourDigits(x)) return -1;
  const d = x - 0x30303030; // each byte 0..9
  const t = (d * 10 + (d >>> 8)) & 0x00ff00ff; // bytes 0 and 2: two-digit numbers
  return (t * 100 + (t >>> 16)) & 0xffff;
}
