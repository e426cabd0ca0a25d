// The pricing stream's fast path: one PRICE or HEARTBEAT line read straight from the body's
// UTF-8 bytes, without decoding it, JSON.parse or zod. One pass over the line checks that it is
// well-formed JSON (json-scan.ts) and reads the fields a tick carries (price-values.ts): type,
// time, instrument, bids and asks (best price; liquidity checked), closeoutBid/Ask, status,
// tradeable. A line it reads becomes a template (price-template.ts) that the next lines of the
// same shape match word by word, reading only their values, and a layout (price-layout.ts): the
// line's exact bytes with only the prices' and the time's moving digits open, tried first.
//
// The rule that makes it safe: for any line it either returns exactly the tick (or heartbeat)
// that the schema path (price-line.ts: JSON.parse + zod + tickFromPrice) returns, or declines,
// and the caller runs the schema path, which accepts an unusual but valid line or names what is
// wrong. So it declines on anything it does not read completely: escapes in the fields it
// reads, a key it reads given twice (JSON.parse keeps the last), numbers with a sign or an
// exponent or more than 15 digits, times other than "YYYY-MM-DDTHH:MM:SS[.digits]Z", a newline
// inside the object, `__proto__`. Property-tested against the schema path
// (test/oanda/price-scan.test.ts).
import type { EpochMs, Tick } from "../core/types.ts";
import { skipValue, skipWs } from "./json-scan.ts";
import { ValueReader } from "./price-values.ts";
import { LearnedLayouts } from "./price-layouts.ts";
import { LineTemplate, SLOT_ASK, SLOT_BID, SLOT_CASK, SLOT_CBID, SLOT_INSTRUMENT, SLOT_LIQUIDITY, SLOT_TIME, Slots } from "./price-template.ts";

export const DECLINED = 0;
export const HEARTBEAT = 1;
export const PRICE = 2;
export type ScanResult = typeof DECLINED | typeof HEARTBEAT | typeof PRICE;

const bytes = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
// Top-level keys the fast path reads (their index is their bit in `seen`), then the level keys.
const KEYS = ["type", "time", "instrument", "bids", "asks", "closeoutBid", "closeoutAsk", "status", "tradeable", "price", "liquidity", "__proto__"].map(bytes);
const K_TYPE = 0, K_TIME = 1, K_INSTRUMENT = 2, K_BIDS = 3, K_ASKS = 4, K_CBID = 5, K_CASK = 6, K_STATUS = 7, K_TRADEABLE = 8;
const K_PRICE = 9, K_LIQUIDITY = 10, K_PROTO = 11, K_OTHER = -1;
const NEEDED = (1 << K_TYPE) | (1 << K_TIME) | (1 << K_INSTRUMENT) | (1 << K_BIDS) | (1 << K_ASKS);
const PRICE_Q = bytes('PRICE"');
const HEARTBEAT_Q = bytes('HEARTBEAT"');
const TRADEABLE_Q = bytes('tradeable"');
const TRUE = bytes("true");
const FALSE = bytes("false");
/** Templates kept (the most recently matched first): a stream has a few line shapes (heartbeat, a price per book depth). */
const MAX_TEMPLATES = 6;

/** b[s..] starts with `word`. */
function same(b: Uint8Array, s: number, word: readonly number[]): boolean {
  if (s + word.length > b.length) return false;
  for (let k = 0; k < word.length; k++) if (b[s + k] !== word[k]) return false;
  return true;
}

/** Which known key the bytes b[s..s+len) are (K_OTHER for any other). */
function keyOf(b: Uint8Array, s: number, len: number): number {
  let k: number;
  const c0 = b[s];
  if (len === 4) k = c0 === 116 ? (b[s + 1] === 121 ? K_TYPE : K_TIME) : c0 === 98 ? K_BIDS : K_ASKS;
  else if (len === 5) k = K_PRICE;
  else if (len === 6) k = K_STATUS;
  else if (len === 9) k = c0 === 116 ? K_TRADEABLE : c0 === 108 ? K_LIQUIDITY : K_PROTO;
  else if (len === 10) k = K_INSTRUMENT;
  else if (len === 11) k = b[s + 8] === 66 ? K_CBID : K_CASK;
  else return K_OTHER;
  return same(b, s, KEYS[k]!) ? k : K_OTHER;
}

/** A key at b[i] (the quote) without escapes or control characters: the index of its closing quote, or -1. */
function keyEnd(b: Uint8Array, i: number): number {
  let c = b[++i];
  while (c !== 34) {
    if (!(c! >= 32) || c === 92) return -1;
    c = b[++i];
  }
  return i;
}

export class PriceLineScanner {
  /** After a scan that did not decline: the index just past the line's "\n". */
  end = 0;
  /** After HEARTBEAT: the heartbeat's time. */
  time: EpochMs = 0;
  /** After PRICE: the tick (a new object each time). */
  tick: Tick | undefined;

  readonly #v = new ValueReader();
  readonly #slots = new Slots();
  readonly #templates: LineTemplate[] = [];
  readonly #layouts: LearnedLayouts;
  // The level scan's results.
  #best = 0;
  #levels = 0;

  /** layoutsByLoop: learned layouts match by their loop instead of generated code (the reference, for tests). */
  constructor(o: { layoutsByLoop?: boolean } = {}) {
    this.#layouts = new LearnedLayouts(o.layoutsByLoop);
  }

  /** Lines read by a learned layout so far (the fastest path). */
  get layoutMatches(): number {
    return this.#layouts.matched;
  }

  /**
   * Read the line that starts at b[start] and ends at the first "\n" after it (which must be in
   * b). PRICE or HEARTBEAT with the result in `tick`/`time` and `end`, or DECLINED (nothing
   * read: use the schema path). `dv` views the same bytes as `b`. The tick carries the stamps given.
   */
  scan(b: Uint8Array, dv: DataView, start: number, receivedAt: EpochMs, receivedMono?: number): ScanResult {
    const l = this.#layouts.match(b, dv, start);
    if (l) {
      this.end = this.#layouts.end;
      if (l.kind === HEARTBEAT) {
        this.time = l.time;
        return HEARTBEAT;
      }
      this.tick = { instrument: l.instrument, bid: l.bid, ask: l.ask, time: l.time, receivedAt, tradeable: l.open, receivedMono };
      return PRICE;
    }
    const ts = this.#templates;
    for (let k = 0; k < ts.length; k++) {
      const t = ts[k]!;
      const end = t.match(b, dv, start, this.#v);
      if (end < 0) continue;
      if (k > 0) (ts[k] = ts[0]!), (ts[0] = t);
      this.end = end;
      this.#layouts.learn(b, dv, start, end, t.kind, t.instrument, t.open, t.slots, t.from, t.to, t.slots.length, this.#v);
      if (t.kind === HEARTBEAT) {
        this.time = t.time;
        return HEARTBEAT;
      }
      this.tick = { instrument: t.instrument, bid: t.bid, ask: t.ask, time: t.time, receivedAt, tradeable: t.open, receivedMono };
      return PRICE;
    }
    const r = this.#scan(b, dv, start, receivedAt, receivedMono);
    if (r !== DECLINED && this.#slots.ok) {
      const slots = this.#slots;
      const open = r === PRICE ? this.tick!.tradeable : false;
      const t = LineTemplate.from(b, start, this.end, slots, r, open);
      if (t) {
        if (ts.length >= MAX_TEMPLATES) ts.pop();
        ts.unshift(t);
        this.#layouts.learn(b, dv, start, this.end, r, r === PRICE ? this.tick!.instrument : "", open, slots.kind, slots.from, slots.to, slots.n, this.#v);
      }
    }
    return r;
  }

  /** The full scan, recording where each value lies (for a template). */
  #scan(b: Uint8Array, dv: DataView, start: number, receivedAt: EpochMs, receivedMono: number | undefined): ScanResult {
    if (b[start] !== 123) return DECLINED;
    const v = this.#v;
    const slots = this.#slots;
    slots.reset();
    let i = skipWs(b, start + 1);
    let seen = 0;
    let type = 0; // HEARTBEAT or PRICE
    let time = 0;
    let instrument = "";
    let bid = 0, bids = 0, ask = 0, asks = 0, closeoutBid = 0, closeoutAsk = 0;
    let tradeable = false, statusTradeable = false;
    for (;;) {
      // A key: no escapes (a known key could hide behind one), no control characters.
      if (b[i] !== 34) return DECLINED;
      const j = keyEnd(b, i);
      if (j < 0) return DECLINED;
      const key = keyOf(b, i + 1, j - i - 1);
      i = skipWs(b, j + 1);
      if (b[i] !== 58) return DECLINED;
      i = skipWs(b, i + 1);
      if (key >= 0 && key < K_PRICE) {
        if (seen & (1 << key)) return DECLINED; // JSON.parse keeps the last copy: leave it to the schema path
        seen |= 1 << key;
      }
      const from = i;
      switch (key) {
        case K_TYPE:
          if (same(b, i + 1, PRICE_Q) && b[i] === 34) (type = PRICE), (i += 7);
          else if (same(b, i + 1, HEARTBEAT_Q) && b[i] === 34) (type = HEARTBEAT), (i += 11);
          else return DECLINED;
          break;
        case K_TIME:
          i = v.time(b, dv, i);
          time = v.num;
          slots.add(SLOT_TIME, from, i);
          break;
        case K_INSTRUMENT:
          i = v.instrument(b, i);
          instrument = v.name;
          slots.add(SLOT_INSTRUMENT, from, i);
          break;
        case K_BIDS:
        case K_ASKS:
          i = this.#book(b, i, key === K_BIDS);
          if (key === K_BIDS) (bid = this.#best), (bids = this.#levels);
          else (ask = this.#best), (asks = this.#levels);
          break;
        case K_CBID:
        case K_CASK:
          i = v.decimal(b, i);
          if (key === K_CBID) closeoutBid = v.num;
          else closeoutAsk = v.num;
          slots.add(key === K_CBID ? SLOT_CBID : SLOT_CASK, from, i);
          break;
        case K_STATUS:
          if (b[i] !== 34) return DECLINED;
          statusTradeable = same(b, i + 1, TRADEABLE_Q);
          i = keyEnd(b, i); // any string without escapes
          if (i >= 0) i++;
          break;
        case K_TRADEABLE:
          if (same(b, i, TRUE)) (tradeable = true), (i += 4);
          else if (same(b, i, FALSE)) (tradeable = false), (i += 5);
          else return DECLINED;
          break;
        case K_PROTO: // JSON.parse and zod treat it specially: leave it to them
          return DECLINED;
        default: // any other key, whose value is only checked
          i = skipValue(b, i);
      }
      if (i < 0) return DECLINED;
      i = skipWs(b, i);
      const c = b[i];
      if (c === 125) break;
      if (c !== 44) return DECLINED;
      i = skipWs(b, i + 1);
    }
    i = skipWs(b, i + 1);
    if (b[i] !== 10 || !(seen & (1 << K_TIME))) return DECLINED;
    this.end = i + 1;
    if (type === HEARTBEAT) {
      this.time = time;
      return HEARTBEAT;
    }
    if (type !== PRICE || (seen & NEEDED) !== NEEDED) return DECLINED;
    // As tickFromPrice: the best level, else the closeout price; no price at all is the schema path's to name.
    if (bids === 0) {
      if (!(seen & (1 << K_CBID))) return DECLINED;
      bid = closeoutBid;
    }
    if (asks === 0) {
      if (!(seen & (1 << K_CASK))) return DECLINED;
      ask = closeoutAsk;
    }
    const open = (seen & (1 << K_TRADEABLE) ? tradeable : statusTradeable) && bids > 0 && asks > 0;
    this.tick = { instrument, bid, ask, time, receivedAt, tradeable: open, receivedMono };
    return PRICE;
  }

  /** The book side at b[i]: its best price (max for bids, min for asks) in #best, its level count in #levels. */
  #book(b: Uint8Array, i: number, bids: boolean): number {
    if (b[i] !== 91) return -1;
    const v = this.#v;
    const slots = this.#slots;
    i = skipWs(b, i + 1);
    let levels = 0;
    let best = 0;
    if (b[i] === 93) {
      this.#levels = 0;
      return i + 1;
    }
    for (;;) {
      if (b[i] !== 123) return -1;
      i = skipWs(b, i + 1);
      let price = 0;
      let seen = 0;
      if (b[i] !== 125) {
        for (;;) {
          if (b[i] !== 34) return -1;
          const j = keyEnd(b, i);
          if (j < 0) return -1;
          const key = keyOf(b, i + 1, j - i - 1);
          i = skipWs(b, j + 1);
          if (b[i] !== 58) return -1;
          i = skipWs(b, i + 1);
          const from = i;
          if (key === K_PRICE || key === K_LIQUIDITY) {
            const bit = key === K_PRICE ? 1 : 2;
            if (seen & bit) return -1;
            seen |= bit;
            i = v.decimal(b, i);
            if (key === K_PRICE) price = v.num;
            slots.add(key === K_LIQUIDITY ? SLOT_LIQUIDITY : bids ? SLOT_BID : SLOT_ASK, from, i);
          } else if (key === K_PROTO) {
            return -1;
          } else {
            i = skipValue(b, i);
          }
          if (i < 0) return -1;
          i = skipWs(b, i);
          const c = b[i];
          if (c === 125) break;
          if (c !== 44) return -1;
          i = skipWs(b, i + 1);
        }
      }
      if (!(seen & 1)) return -1;
      if (levels === 0 || (bids ? price > best : price < best)) best = price;
      levels++;
      i = skipWs(b, i + 1);
      const c = b[i];
      if (c === 93) break;
      if (c !== 44) return -1;
      i = skipWs(b, i + 1);
    }
    this.#best = best;
    this.#levels = levels;
    return i + 1;
  }
}
