// A line shape learned from a line the full scan (price-scan.ts) read: the line's bytes with its
// values (time, instrument, prices, liquidities, closeouts) cut out. A later line matches when
// every byte between its values equals the template's, compared eight bytes at a time, and each
// value reads with the same reader the full scan used at that place (price-values.ts).
//
// Why a match gives exactly what the full scan would: the bytes between the values hold every
// key, every bracket and separator, all whitespace and every other value (type, status,
// tradeable, unknown fields); equal bytes there mean the full scan would take the same path
// through the line, calling the same value readers at the same places, and everything it
// derives apart from the values (which keys were seen, how many levels, the tradeable flag) is
// the template's. So a match only reads the values and takes the best bid/ask as the scan does.
// Values are read as their reader would read them, with shortcuts that give the same result: a
// liquidity or instrument whose bytes repeat is not read again, and a price of the last price's
// shape is read four digits at a time (below).
import type { EpochMs } from "../core/types.ts";
import { digitsAt, POW10, type ValueReader } from "./price-values.ts";

export const SLOT_TIME = 1;
export const SLOT_INSTRUMENT = 2;
export const SLOT_BID = 3;
export const SLOT_ASK = 4;
export const SLOT_LIQUIDITY = 5;
export const SLOT_CBID = 6;
export const SLOT_CASK = 7;
const MAX_SLOTS = 64;
/** Doubles kept per value for the repeat check: values whose reader looks at more bytes are always read. */
const SEEN_WORDS = 3;

/** Where the full scan found each value (kind, first byte, the byte after). */
export class Slots {
  readonly kind = new Uint8Array(MAX_SLOTS);
  readonly from = new Int32Array(MAX_SLOTS);
  readonly to = new Int32Array(MAX_SLOTS);
  n = 0;
  /** False when the line had more values than a template holds. */
  ok = true;

  reset(): void {
    this.n = 0;
    this.ok = true;
  }

  add(kind: number, from: number, to: number): void {
    if (to < 0) return;
    if (this.n === MAX_SLOTS) {
      this.ok = false;
      return;
    }
    this.kind[this.n] = kind;
    this.from[this.n] = from;
    this.to[this.n] = to;
    this.n++;
  }
}

export class LineTemplate {
  // The last match's values.
  time: EpochMs = 0;
  instrument = "";
  bid = 0;
  ask = 0;

  private constructor(
    /** HEARTBEAT or PRICE (price-scan.ts' codes). */
    readonly kind: number,
    /** The tick's tradeable flag: fixed by the bytes between the values. */
    readonly open: boolean,
    /** The literal runs' 8-byte words, read as doubles (see compareWords), run after run. */
    private readonly words: Float64Array,
    /** The bytes of runs shorter than 8 bytes, run after run. */
    private readonly shorts: Uint8Array,
    /** Per run: its length and its first word's (or short byte's) index. */
    private readonly runs: Int32Array,
    /** The value kinds; value r sits between run r and run r + 1. */
    readonly slots: Uint8Array,
    private readonly bids: number,
    private readonly asks: number,
  ) {
    this.#seen = new Float64Array(slots.length * SEEN_WORDS);
    this.#seenLen = new Int32Array(slots.length);
    this.#seenAdv = new Int32Array(slots.length);
    this.#seenNum = new Float64Array(slots.length);
    this.from = new Int32Array(slots.length);
    this.to = new Int32Array(slots.length);
    this.#ints = new Int8Array(slots.length);
    this.#fracs = new Int8Array(slots.length);
  }

  /** Where the last match found each value: [from[r], to[r]). */
  readonly from: Int32Array;
  readonly to: Int32Array;

  // A price's shape as last read: its digits before and after the "." (0: none kept). A quoted
  // decimal of the same shape is read by digitsAt, four digits at a time: the quote, the "." and
  // the closing quote where the shape puts them, and only digits between, is exactly what the
  // reader would take its digits to be, and the value is the same integer over the same power of ten.
  readonly #ints: Int8Array;
  readonly #fracs: Int8Array;

  // The repeat check, for liquidities and the instrument (they mostly repeat from line to line;
  // prices and times mostly do not, and keeping them would cost more than it saves). A value's
  // reader (price-values.ts) looks only at the value's bytes, and for an unquoted number at the
  // one byte after it. Per value: those bytes as last read (as doubles: the last one ends where
  // they end, so fewer than 8 bytes are compared together with the bytes before them), how many,
  // how far the reader moved, and what it read. When the same bytes sit at the value's place again
  // the reader would read them the same way, so its result is reused. Equal doubles mean equal
  // bytes here: a word that reads as NaN or as a zero is not kept (see `from`).
  readonly #seen: Float64Array;
  /** Bytes examined (0: nothing kept). */
  readonly #seenLen: Int32Array;
  readonly #seenAdv: Int32Array;
  readonly #seenNum: Float64Array;
  /** The instrument's name (a line has one). */
  #seenName = "";

  /**
   * The template of the line b[start..end) (end just past its "\n") whose values are `s`, or
   * undefined when its bytes cannot be compared as doubles (see below).
   *
   * Runs of 8 bytes or more are compared 8 bytes at a time as doubles: the run's whole 8-byte
   * words, then, when its length is not a multiple of 8, the 8 bytes that end it (overlapping the
   * last word). Two doubles that are not NaN are equal only when their bits are, except +0 and -0;
   * a template word is never a zero (JSON text has no NUL bytes, and a zero needs seven of them),
   * and a template with a word that reads as NaN is not made, so equal doubles mean equal bytes.
   */
  static from(b: Uint8Array, start: number, end: number, s: Slots, kind: number, open: boolean): LineTemplate | undefined {
    const n = s.n;
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const runs = new Int32Array(2 * (n + 1));
    const words: number[] = [];
    const shorts: number[] = [];
    let bids = 0;
    let asks = 0;
    for (let r = 0; r <= n; r++) {
      const from = r === 0 ? start : s.to[r - 1]!;
      const len = (r === n ? end : s.from[r]!) - from;
      runs[2 * r] = len;
      if (len >= 8) {
        runs[2 * r + 1] = words.length;
        for (let k = 0; k < len >> 3; k++) words.push(dv.getFloat64(from + 8 * k, true));
        if (len & 7) words.push(dv.getFloat64(from + len - 8, true));
      } else {
        runs[2 * r + 1] = shorts.length;
        for (let k = 0; k < len; k++) shorts.push(b[from + k]!);
      }
      if (r < n && s.kind[r] === SLOT_BID) bids++;
      if (r < n && s.kind[r] === SLOT_ASK) asks++;
    }
    if (words.some((w) => Number.isNaN(w) || w === 0)) return undefined;
    return new LineTemplate(kind, open, Float64Array.from(words), Uint8Array.from(shorts), runs, s.kind.slice(0, n), bids, asks);
  }

  /** Match the line at b[start]: the index just past its "\n" with the values set, or -1. */
  match(b: Uint8Array, dv: DataView, start: number, v: ValueReader): number {
    const { runs, words, shorts, slots } = this;
    const n = slots.length;
    const size = b.length;
    let p = start;
    let bid = 0, ask = 0, nb = 0, na = 0, cb = 0, ca = 0;
    for (let r = 0; ; r++) {
      const len = runs[2 * r]!;
      if (p + len > size) return -1;
      let w = runs[2 * r + 1]!;
      if (len >= 8) {
        const end = p + len;
        for (; p + 8 <= end; p += 8, w++) if (dv.getFloat64(p, true) !== words[w]) return -1;
        if (p < end) {
          if (dv.getFloat64(end - 8, true) !== words[w]) return -1;
          p = end;
        }
      } else {
        for (const wEnd = w + len; w < wEnd; w++, p++) if (b[p] !== shorts[w]) return -1;
      }
      if (r === n) break;
      const kind = slots[r]!;
      const e = this.#seenLen[r]!;
      this.from[r] = p;
      if (e !== 0 && p + e <= size && this.#same(dv, p, e, r)) {
        const x = this.#seenNum[r]!;
        p += this.#seenAdv[r]!;
        this.to[r] = p;
        switch (kind) {
          case SLOT_INSTRUMENT:
            this.instrument = this.#seenName;
            break;
          case SLOT_BID:
            if (nb++ === 0 || x > bid) bid = x;
            break;
          case SLOT_ASK:
            if (na++ === 0 || x < ask) ask = x;
            break;
          case SLOT_CBID:
            cb = x;
            break;
          case SLOT_CASK:
            ca = x;
        }
        continue;
      }
      const a = this.#ints[r]!;
      if (a !== 0) {
        const f = this.#fracs[r]!;
        const q = p + a + f + 2; // the closing quote
        if (b[q] === 34 && b[p] === 34 && b[p + a + 1] === 46) {
          const hi = digitsAt(dv, p + 1, a);
          const lo = digitsAt(dv, p + a + 2, f);
          if (hi >= 0 && lo >= 0) {
            const x = (hi * POW10[f]! + lo) / POW10[f]!;
            p = q + 1;
            this.to[r] = p;
            if (kind === SLOT_BID) {
              if (nb++ === 0 || x > bid) bid = x;
            } else if (kind === SLOT_ASK) {
              if (na++ === 0 || x < ask) ask = x;
            } else if (kind === SLOT_CBID) cb = x;
            else ca = x;
            continue;
          }
        }
      }
      const from = p;
      switch (kind) {
        case SLOT_TIME:
          p = v.time(b, dv, p);
          this.time = v.num;
          break;
        case SLOT_INSTRUMENT:
          p = v.instrument(b, p);
          this.instrument = v.name;
          break;
        case SLOT_BID:
          p = v.decimal(b, p);
          if (nb++ === 0 || v.num > bid) bid = v.num;
          break;
        case SLOT_ASK:
          p = v.decimal(b, p);
          if (na++ === 0 || v.num < ask) ask = v.num;
          break;
        case SLOT_CBID:
          p = v.decimal(b, p);
          cb = v.num;
          break;
        case SLOT_CASK:
          p = v.decimal(b, p);
          ca = v.num;
          break;
        default: // SLOT_LIQUIDITY: checked, not kept
          p = v.decimal(b, p);
      }
      if (p < 0) return -1;
      this.to[r] = p;
      if (kind === SLOT_INSTRUMENT) this.#seenName = v.name;
      else if (kind !== SLOT_TIME && kind !== SLOT_LIQUIDITY) {
        const ok = b[from] === 34 && v.ints >= 1 && v.ints <= 8 && v.fracs >= 1 && v.fracs <= 8;
        this.#ints[r] = ok ? v.ints : 0;
        this.#fracs[r] = ok ? v.fracs : 0;
      }
      if (kind === SLOT_LIQUIDITY || kind === SLOT_INSTRUMENT) this.#keep(dv, from, p, r, v.num, b[from] !== 34);
    }
    this.bid = this.bids > 0 ? bid : cb;
    this.ask = this.asks > 0 ? ask : ca;
    return p;
  }

  /** The bytes at p are the `e` bytes kept for value r. */
  #same(dv: DataView, p: number, e: number, r: number): boolean {
    const last = p + e - 8;
    if (last < 0) return false;
    const seen = this.#seen;
    let w = r * SEEN_WORDS;
    for (let q = p; q < last; q += 8, w++) if (dv.getFloat64(q, true) !== seen[w]) return false;
    return dv.getFloat64(last, true) === seen[w];
  }

  /** Keep what value r's reader just read from [from, to) (an unquoted number: it examined the byte at `to` too). */
  #keep(dv: DataView, from: number, to: number, r: number, num: number, unquoted: boolean): void {
    const e = to - from + (unquoted ? 1 : 0);
    this.#seenLen[r] = 0;
    const last = from + e - 8;
    if (e > 8 * SEEN_WORDS || last < 0 || from + e > dv.byteLength) return;
    const seen = this.#seen;
    let w = r * SEEN_WORDS;
    for (let q = from; ; q += 8, w++) {
      const x = dv.getFloat64(q < last ? q : last, true);
      if (Number.isNaN(x) || x === 0) return;
      seen[w] = x;
      if (q >= last) break;
    }
    this.#seenLen[r] = e;
    this.#seenAdv[r] = to - from;
    this.#seenNum[r] = num;
  }
}
