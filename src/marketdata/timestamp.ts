// The data files' timestamps as epoch ms. A month of FXCM bars is 57,000 of them and a tick day
// 50,000, all in one layout, so a fast path reads that layout digit by digit and takes the
// day's start from the previous row when the date repeats; anything else (spaces around it, a
// stray character) goes to the general reader, the regular expression. The fast path returns
// exactly what the regular expression's reading gives for every string it accepts, and declines
// the rest (property-tested in test/marketdata/timestamp.test.ts).
import { twoDigits } from "../core/digits.ts";

const SLOW = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/;

/** `2013-02-01 00:00:00+00:00`, `2013-01-01 22:00:00.295000+00:00`, `2017-02-23T20:57:21.215739156Z`. No zone means UTC. */
export function parseTimestamp(s: string): number | undefined {
  const fast = fastTimestamp(s);
  return fast === DECLINED ? slowTimestamp(s) : fast;
}

/** The general reader (the fast path's reference). */
export function slowTimestamp(s: string): number | undefined {
  const m = SLOW.exec(s.trim());
  if (!m) return undefined;
  const ms = Number((m[7] ?? "").padEnd(3, "0").slice(0, 3));
  let t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms);
  const z = m[8];
  if (z && z !== "Z") {
    const sign = z[0] === "-" ? -1 : 1;
    const digits = z.slice(1).replace(":", "");
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  return Number.isFinite(t) ? t : undefined;
}

/** The fast path's answer when the string is not in the layout it reads. */
export const DECLINED = -1.5;

// The last date read and its UTC midnight: Date.UTC(y, m, d, h, mi, s, ms) is, by the
// specification's MakeDate and MakeTime, Date.UTC(y, m, d) + ((h * 3600000 + mi * 60000) +
// s * 1000) + ms, all integers well inside 2^53, so adding the time of day to a remembered
// midnight is the same number.
let dayY = -1;
let dayM = -1;
let dayD = -1;
let dayMs = 0;

/**
 * The timestamp, undefined where the general reader says undefined too, or DECLINED. With
 * `start` and `end`, the characters `[start, end)` of `s` are read as if they were the string
 * (a field of a line, read where it lies); nothing outside them is looked at.
 */
export function fastTimestamp(s: string, start = 0, end = s.length): number | undefined {
  const n = end - start;
  if (n < 19 || s.charCodeAt(start + 4) !== 45 || s.charCodeAt(start + 7) !== 45 || s.charCodeAt(start + 13) !== 58 || s.charCodeAt(start + 16) !== 58) return DECLINED;
  const sep = s.charCodeAt(start + 10);
  if (sep !== 84 && sep !== 32) return DECLINED; // T or space
  const y1 = twoDigits(s, start);
  const y2 = twoDigits(s, start + 2);
  const mo = twoDigits(s, start + 5);
  const d = twoDigits(s, start + 8);
  const h = twoDigits(s, start + 11);
  const mi = twoDigits(s, start + 14);
  const sec = twoDigits(s, start + 17);
  if (y1 < 0 || y2 < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || sec < 0) return DECLINED;
  let i = 19;
  let ms = 0;
  if (i < n && s.charCodeAt(start + i) === 46) {
    // A fraction: its first three digits are the milliseconds (fewer are padded with zeros).
    i++;
    const first = i;
    let scale = 100;
    for (; i < n; i++) {
      const c = s.charCodeAt(start + i) - 48;
      if (c < 0 || c > 9) break;
      ms += c * scale;
      scale = scale / 10;
      if (i - first === 2) scale = 0;
    }
    if (i === first) return DECLINED;
  }
  let offset = 0;
  if (i < n) {
    const z = s.charCodeAt(start + i);
    if (z === 90 && i + 1 === n) i++;
    else if (z === 43 || z === 45) {
      // Checked against the field's length before any digit is taken, so nothing past `end` counts.
      const colon = i + 3 < n && s.charCodeAt(start + i + 3) === 58 ? 1 : 0;
      if (i + 5 + colon !== n) return DECLINED;
      const zh = twoDigits(s, start + i + 1);
      const zm = twoDigits(s, start + i + 3 + colon);
      if (zh < 0 || zm < 0) return DECLINED;
      offset = (z === 45 ? -1 : 1) * (zh * 60 + zm) * 60_000;
      i = n;
    } else return DECLINED;
  }
  if (i !== n) return DECLINED;
  const y = y1 * 100 + y2;
  if (y !== dayY || mo !== dayM || d !== dayD) {
    dayMs = Date.UTC(y, mo - 1, d);
    dayY = y;
    dayM = mo;
    dayD = d;
  }
  const t = dayMs + (h * 3_600_000 + mi * 60_000 + sec * 1000 + ms) - offset;
  return Number.isFinite(t) ? t : undefined;
}
