// A line's exact layout, the pricing stream's fastest path: the bytes of a line the full scan or
// a template read (price-scan.ts, price-template.ts), with only the digits that move from tick to
// tick left open: each price's digits before and after its "." and the time's minutes, seconds
// and fraction. Everything else (every key, bracket and separator, the type, the status, the
// liquidities, the instrument, the time's date and hour, the "\n") must equal the learned line's
// bytes, compared eight at a time in one flat loop; the open places must hold digits, read four
// at a time (price-values.ts: digitsAt).
//
// Why a match gives exactly what the full scan would: the line differs from the learned one only
// by digits in place of digits, inside a quoted decimal of the same shape or in the time's
// minutes, seconds and fraction. The full scan takes the same path through both lines: the same
// keys, levels and flags, the same instrument, tradeable flag and date and hour; the decimal
// reader takes a quoted decimal's digits whatever they are (its value: the same integer over the
// same power of ten, computed here the same way), and the time reader checks minutes and seconds
// (<= 59, checked here too) and only counts the fraction's digits.
import type { EpochMs } from "../core/types.ts";
import { allDigits, digitsAt, POW10, type ValueReader } from "./price-values.ts";
import { SLOT_ASK, SLOT_BID, SLOT_CASK, SLOT_CBID, SLOT_TIME } from "./price-template.ts";

/** A price's digits longer than this (before or after the ".") leave it fixed in the layout. */
const MAX_OPEN_DIGITS = 8;

export class LineLayout {
  // The last match's values.
  time: EpochMs = 0;
  bid = 0;
  ask = 0;
  /** Matches so far (how useful it was). */
  hits = 0;

  private constructor(
    /** HEARTBEAT or PRICE (price-scan.ts' codes). */
    readonly kind: number,
    readonly instrument: string,
    /** The tick's tradeable flag: fixed by the bytes the layout holds. */
    readonly open: boolean,
    /** The line's length with its "\n". */
    private readonly size: number,
    /** The fixed bytes: 8-byte words read as doubles (never NaN or zero) at their offsets, and the bytes of stretches shorter than 8. */
    private readonly wordAt: Int32Array,
    private readonly words: Float64Array,
    private readonly byteAt: Int32Array,
    private readonly bytes: Uint8Array,
    /** The time's minutes' offset (-1: the time is fixed), its fraction's digits, and the start of its hour (epoch ms). */
    private readonly timeAt: number,
    private readonly fracLen: number,
    private readonly hourMs: number,
    /** Per price: its kind (SLOT_BID...), the offset of its first digit (-1: fixed), its digits before and after the ".", its value when fixed. */
    private readonly priceKind: Uint8Array,
    private readonly priceAt: Int32Array,
    private readonly priceInt: Int8Array,
    private readonly priceFrac: Int8Array,
    private readonly priceFixed: Float64Array,
  ) {}

  /**
   * The layout of the line b[start..end) (end just past its "\n"), read as `kind` with that
   * instrument and tradeable flag, whose values of kinds `kinds` lie at [from[r], to[r]) (the
   * template's slots); undefined when it cannot be made (a fixed word that reads as NaN or zero).
   * `v` re-reads the time and the fixed prices (the line was read whole before, so they read).
   */
  static from(b: Uint8Array, dv: DataView, start: number, end: number, kind: number, instrument: string, open: boolean, kinds: Uint8Array, from: Int32Array, to: Int32Array, n: number, v: ValueReader): LineLayout | undefined {
    const size = end - start;
    const isOpen = new Uint8Array(size); // 1 at the digits left open
    const openRun = (at: number, len: number) => isOpen.fill(1, at - start, at - start + len);
    let timeAt = -1, fracLen = 0, hourMs = 0;
    const pk: number[] = [], pa: number[] = [], pi: number[] = [], pf: number[] = [], px: number[] = [];
    for (let r = 0; r < n; r++) {
      const k = kinds[r]!, s = from[r]!, e = to[r]!;
      if (k === SLOT_TIME) {
        // '"YYYY-MM-DDTHH:MM:SS[.f]Z"': open the minutes, the seconds and the fraction's digits.
        if (v.time(b, dv, s) !== e) return undefined;
        const f = b[s + 20] === 46 ? e - s - 23 : 0;
        const mi = (b[s + 15]! - 48) * 10 + b[s + 16]! - 48;
        const sec = (b[s + 18]! - 48) * 10 + b[s + 19]! - 48;
        const ms = f === 0 ? 0 : (b[s + 21]! - 48) * 100 + (f > 1 ? (b[s + 22]! - 48) * 10 : 0) + (f > 2 ? b[s + 23]! - 48 : 0);
        timeAt = s + 15 - start;
        fracLen = f;
        hourMs = v.num - mi * 60_000 - sec * 1000 - ms;
        openRun(s + 15, 2);
        openRun(s + 18, 2);
        if (f > 0) openRun(s + 21, f);
      } else if (k === SLOT_BID || k === SLOT_ASK || k === SLOT_CBID || k === SLOT_CASK) {
        if (v.decimal(b, s) !== e) return undefined;
        pk.push(k);
        px.push(v.num);
        const a = v.ints, f = v.fracs;
        if (b[s] === 34 && a >= 1 && a <= MAX_OPEN_DIGITS && f >= 1 && f <= MAX_OPEN_DIGITS) {
          pa.push(s + 1 - start);
          pi.push(a);
          pf.push(f);
          openRun(s + 1, a);
          openRun(s + 2 + a, f);
        } else {
          pa.push(-1), pi.push(0), pf.push(0);
        }
      }
    }
    // The fixed stretches: 8-byte words (the last one of a stretch ending where it ends), or bytes.
    const wordAt: number[] = [], words: number[] = [], byteAt: number[] = [], bytes: number[] = [];
    for (let i = 0; i < size;) {
      if (isOpen[i]) {
        i++;
        continue;
      }
      let j = i;
      while (j < size && !isOpen[j]) j++;
      if (j - i >= 8) {
        for (let q = i; ; q += 8) {
          const at = Math.min(q, j - 8);
          const w = dv.getFloat64(start + at, true);
          if (Number.isNaN(w) || w === 0) return undefined;
          wordAt.push(at);
          words.push(w);
          if (at === j - 8) break;
        }
      } else {
        for (let q = i; q < j; q++) byteAt.push(q), bytes.push(b[start + q]!);
      }
      i = j;
    }
    return new LineLayout(kind, instrument, open, size, Int32Array.from(wordAt), Float64Array.from(words), Int32Array.from(byteAt), Uint8Array.from(bytes),
      timeAt, fracLen, hourMs, Uint8Array.from(pk), Int32Array.from(pa), Int8Array.from(pi), Int8Array.from(pf), Float64Array.from(px));
  }

  /** Match the line at b[start]: the index just past its "\n" with the values set, or -1. */
  match(b: Uint8Array, dv: DataView, start: number): number {
    const end = start + this.size;
    if (end > b.length) return -1;
    const { wordAt, words, byteAt, bytes } = this;
    for (let k = 0; k < words.length; k++) if (dv.getFloat64(start + wordAt[k]!, true) !== words[k]) return -1;
    for (let k = 0; k < bytes.length; k++) if (b[start + byteAt[k]!] !== bytes[k]) return -1;
    if (this.timeAt >= 0) {
      const t = start + this.timeAt;
      const mi = digitsAt(dv, t, 2);
      const s = digitsAt(dv, t + 3, 2);
      if (mi < 0 || mi > 59 || s < 0 || s > 59) return -1;
      const f = this.fracLen;
      let ms = 0;
      if (f > 0) {
        if (!allDigits(dv, b, t + 6, f)) return -1;
        ms = f >= 3 ? digitsAt(dv, t + 6, 3) : f === 2 ? digitsAt(dv, t + 6, 2) * 10 : digitsAt(dv, t + 6, 1) * 100;
      }
      this.time = this.hourMs + mi * 60_000 + s * 1000 + ms;
    }
    const { priceKind, priceAt, priceInt, priceFrac, priceFixed } = this;
    let bid = 0, ask = 0, nb = 0, na = 0, cb = 0, ca = 0;
    for (let r = 0; r < priceKind.length; r++) {
      let x = priceFixed[r]!;
      const at = priceAt[r]!;
      if (at >= 0) {
        const a = priceInt[r]!, f = priceFrac[r]!;
        const hi = digitsAt(dv, start + at, a);
        const lo = digitsAt(dv, start + at + a + 1, f);
        if (hi < 0 || lo < 0) return -1;
        x = (hi * POW10[f]! + lo) / POW10[f]!;
      }
      const k = priceKind[r]!;
      if (k === SLOT_BID) {
        if (nb++ === 0 || x > bid) bid = x;
      } else if (k === SLOT_ASK) {
        if (na++ === 0 || x < ask) ask = x;
      } else if (k === SLOT_CBID) cb = x;
      else ca = x;
    }
    this.bid = nb > 0 ? bid : cb;
    this.ask = na > 0 ? ask : ca;
    this.hits++;
    return end;
  }
}
