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
import { fourDigitValue, POW10, type ValueReader } from "./price-values.ts";
import { SLOT_ASK, SLOT_BID, SLOT_CASK, SLOT_CBID, SLOT_TIME } from "./price-template.ts";
import { type CompiledMatch, compiledMatch, type LayoutShape, type LayoutValues } from "./price-layout-code.ts";

/** A price's digits longer than this (before or after the ".") leave it fixed in the layout. */
const MAX_OPEN_DIGITS = 8;

/**
 * The open digits as groups of four bytes read at once (little-endian: the first digit is the
 * lowest byte). A group of fewer than four digits is read with the bytes before it, which are
 * replaced by "0"s: keep the group's own bytes (the high ones), set the others to "0".
 */
class Groups {
  readonly at: number[] = [];
  readonly keep: number[] = [];
  readonly zeros: number[] = [];

  /** The n (1..4) digits at offset `at`, as one group; false when the group would start before the line. */
  add(at: number, n: number): boolean {
    const from = at + n - 4;
    if (from < 0) return false;
    const pad = (4 - n) * 8;
    this.at.push(from);
    this.keep.push(pad === 0 ? -1 : ~((1 << pad) - 1));
    this.zeros.push(pad === 0 ? 0 : 0x30303030 & ((1 << pad) - 1));
    return true;
  }

  /** n (1..8) digits at `at`: one group, or two (the first n - 4 digits, then four). */
  addRun(at: number, n: number): number {
    if (n <= 4) return this.add(at, n) ? 1 : -1;
    return this.add(at, n - 4) && this.add(at + n - 4, 4) ? 2 : -1;
  }
}

export class LineLayout implements LayoutShape, LayoutValues {
  // The last match's values.
  time: EpochMs = 0;
  bid = 0;
  ask = 0;
  /** Matches so far (how useful it was). */
  hits = 0;
  /** Each digit group's value in the last match (matchByLoop). */
  readonly #vals: Int32Array;
  /** This layout's shape as code (price-layout-code.ts), and where it writes the time, bid and ask. */
  readonly #code: CompiledMatch | undefined;

  private constructor(
    /** HEARTBEAT or PRICE (price-scan.ts' codes). */
    readonly kind: number,
    readonly instrument: string,
    /** The tick's tradeable flag: fixed by the bytes the layout holds. */
    readonly open: boolean,
    /** The line's length with its "\n". */
    readonly size: number,
    /** The fixed bytes: 8-byte words read as doubles (never NaN or zero) at their offsets, and the bytes of stretches shorter than 8. */
    readonly wordAt: Int32Array,
    readonly words: Float64Array,
    readonly byteAt: Int32Array,
    readonly bytes: Uint8Array,
    /** The open digits' groups (see Groups). */
    readonly groupAt: Int32Array,
    readonly groupKeep: Int32Array,
    readonly groupZeros: Int32Array,
    /** The time: its fraction's digits (-1: the time is fixed; its groups are then none), the start of its hour (epoch ms). Its groups come first: minutes, seconds, then the fraction's. */
    readonly fracLen: number,
    readonly hourMs: number,
    /** Per price: its kind (SLOT_BID...), its groups before and after the "." (0: fixed), its digits after the ".", its value when fixed. */
    readonly priceKind: Uint8Array,
    readonly priceIntGroups: Int8Array,
    readonly priceFracGroups: Int8Array,
    readonly priceFrac: Int8Array,
    readonly priceFixed: Float64Array,
    /** Match with the loop only (the reference the generated code is tested against). */
    byLoop = false,
  ) {
    this.#vals = new Int32Array(groupAt.length);
    this.#code = byLoop ? undefined : compiledMatch(this);
  }

  /**
   * The layout of the line b[start..end) (end just past its "\n"), read as `kind` with that
   * instrument and tradeable flag, whose values of kinds `kinds` lie at [from[r], to[r]) (the
   * template's slots); undefined when it cannot be made (a fixed word that reads as NaN or zero).
   * `v` re-reads the time and the fixed prices (the line was read whole before, so they read).
   */
  static from(b: Uint8Array, dv: DataView, start: number, end: number, kind: number, instrument: string, open: boolean, kinds: Uint8Array, from: Int32Array, to: Int32Array, n: number, v: ValueReader, byLoop = false): LineLayout | undefined {
    const size = end - start;
    const isOpen = new Uint8Array(size); // 1 at the digits left open
    const openRun = (at: number, len: number) => isOpen.fill(1, at, at + len);
    const groups = new Groups();
    let fracLen = -1, hourMs = 0;
    // The time first (its groups must come first).
    for (let r = 0; r < n; r++) {
      if (kinds[r] !== SLOT_TIME) continue;
      const s = from[r]!, e = to[r]!;
      // '"YYYY-MM-DDTHH:MM:SS[.f]Z"': open the minutes, the seconds and the fraction's digits.
      if (v.time(b, dv, s) !== e) return undefined;
      const f = b[s + 20] === 46 ? e - s - 23 : 0;
      const mi = (b[s + 15]! - 48) * 10 + b[s + 16]! - 48;
      const sec = (b[s + 18]! - 48) * 10 + b[s + 19]! - 48;
      const ms = f === 0 ? 0 : (b[s + 21]! - 48) * 100 + (f > 1 ? (b[s + 22]! - 48) * 10 : 0) + (f > 2 ? b[s + 23]! - 48 : 0);
      const t = s - start;
      if (!groups.add(t + 15, 2) || !groups.add(t + 18, 2)) return undefined;
      openRun(t + 15, 2);
      openRun(t + 18, 2);
      if (f > 0) {
        // The first up to four digits (the milliseconds are their first three), then the rest four at a time.
        if (!groups.add(t + 21, Math.min(f, 4))) return undefined;
        for (let q = 4; q < f; q += 4) groups.add(t + 21 + Math.min(q, f - 4), 4);
        openRun(t + 21, f);
      }
      fracLen = f;
      hourMs = v.num - mi * 60_000 - sec * 1000 - ms;
    }
    const pk: number[] = [], pi: number[] = [], pg: number[] = [], pf: number[] = [], px: number[] = [];
    for (let r = 0; r < n; r++) {
      const k = kinds[r]!, s = from[r]!, e = to[r]!;
      if (k !== SLOT_BID && k !== SLOT_ASK && k !== SLOT_CBID && k !== SLOT_CASK) continue;
      if (v.decimal(b, s) !== e) return undefined;
      pk.push(k);
      px.push(v.num);
      const a = v.ints, f = v.fracs;
      if (b[s] === 34 && a >= 1 && a <= MAX_OPEN_DIGITS && f >= 1 && f <= MAX_OPEN_DIGITS) {
        const at = s + 1 - start;
        const gi = groups.addRun(at, a);
        const gf = groups.addRun(at + a + 1, f);
        if (gi < 0 || gf < 0) return undefined;
        pi.push(gi), pg.push(gf), pf.push(f);
        openRun(at, a);
        openRun(at + a + 1, f);
      } else {
        pi.push(0), pg.push(0), pf.push(0);
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
      Int32Array.from(groups.at), Int32Array.from(groups.keep), Int32Array.from(groups.zeros),
      fracLen, hourMs, Uint8Array.from(pk), Int8Array.from(pi), Int8Array.from(pg), Int8Array.from(pf), Float64Array.from(px), byLoop);
  }

  /** Match the line at b[start]: the index just past its "\n" with the values set, or -1. */
  match(b: Uint8Array, dv: DataView, start: number): number {
    const code = this.#code;
    return code === undefined ? this.matchByLoop(b, dv, start) : code(b, dv, start, this);
  }

  /** match() by reading the layout's arrays step by step: what the generated code does, written once. */
  matchByLoop(b: Uint8Array, dv: DataView, start: number): number {
    const end = start + this.size;
    if (end > b.length) return -1;
    const { wordAt, words, byteAt, bytes, groupAt, groupKeep, groupZeros } = this;
    for (let k = 0; k < words.length; k++) if (dv.getFloat64(start + wordAt[k]!, true) !== words[k]) return -1;
    for (let k = 0; k < bytes.length; k++) if (b[start + byteAt[k]!] !== bytes[k]) return -1;
    // Every open group: four digits ("0".."9": high nibble 3, and still 3 after adding 6), and their value.
    const vals = this.#vals;
    for (let g = 0; g < groupAt.length; g++) {
      const v = fourDigitValue((dv.getInt32(start + groupAt[g]!, true) & groupKeep[g]!) | groupZeros[g]!);
      if (v < 0) return -1;
      vals[g] = v;
    }
    let g = 0;
    const f = this.fracLen;
    if (f >= 0) {
      const mi = vals[0]!;
      const s = vals[1]!;
      if (mi > 59 || s > 59) return -1;
      const first = vals[2]!; // the fraction's first up to four digits
      const ms = f === 0 ? 0 : f >= 4 ? (first / 10) | 0 : f === 3 ? first : f === 2 ? first * 10 : first * 100;
      this.time = this.hourMs + mi * 60_000 + s * 1000 + ms;
      g = f === 0 ? 2 : 3 + ((f - 1) >> 2);
    }
    const { priceKind, priceIntGroups, priceFracGroups, priceFrac, priceFixed } = this;
    let bid = 0, ask = 0, nb = 0, na = 0, cb = 0, ca = 0;
    for (let r = 0; r < priceKind.length; r++) {
      let x = priceFixed[r]!;
      const gi = priceIntGroups[r]!;
      if (gi !== 0) {
        const hi = gi === 1 ? vals[g]! : vals[g]! * 10_000 + vals[g + 1]!;
        g += gi;
        const gf = priceFracGroups[r]!;
        const lo = gf === 1 ? vals[g]! : vals[g]! * 10_000 + vals[g + 1]!;
        g += gf;
        const p = POW10[priceFrac[r]!]!;
        x = (hi * p + lo) / p;
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
