// Bid/ask bars expanded into ticks: LEAN quote bars (minute or second: `ms,bidO,bidH,bidL,bidC,
// bidSize,askO,askH,askL,askC,askSize`, day from the file name) and the FXCM pair of minute
// files (`timestamp,open,high,low,close`, one file of bid bars and one of ask bars).
//
// Each bar becomes four ticks at 0, 1/4, 2/4 and 3/4 of its period: open, then the extreme the
// bar's direction says came first, then the other, then close. An up bar (mid close >= mid open)
// goes open, low, high, close; a down bar open, high, low, close. A tick whose ask is below its
// bid (the FXCM files build bid and ask bars independently; some minutes cross) is skipped and
// counted as `crossed`: replay never invents a price.
import { forEachRow, isHeader, splitFields } from "./read-tick-csv.ts";
import { decimalAt, forEachDataLineFast, stoppedAt } from "./fast-fields.ts";
import { DECLINED, fastTimestamp } from "./timestamp.ts";
import { bump, columnSource, doubled, parseTimestamp, type ReplayTick, TickColumnsBuilder, type TickSource } from "./ticks.ts";

export interface Ohlc {
  o: number;
  h: number;
  l: number;
  c: number;
}

export interface Bar {
  /** Bar open time, epoch ms. */
  time: number;
  bid: Ohlc;
  ask: Ohlc;
}

/** The four ticks of one bar (before crossed ones are dropped). */
export function expandBar(bar: Bar, periodMs: number, instrument: string): ReplayTick[] {
  const up = bar.bid.c + bar.ask.c >= bar.bid.o + bar.ask.o;
  const order: (keyof Ohlc)[] = up ? ["o", "l", "h", "c"] : ["o", "h", "l", "c"];
  const step = periodMs / 4;
  return order.map((k, i) => ({ instrument, time: bar.time + Math.floor(i * step), bid: bar.bid[k], ask: bar.ask[k] }));
}

const validPrice = (v: number) => Number.isFinite(v) && v > 0;
const validOhlc = (x: Ohlc) => validPrice(x.o) && validPrice(x.h) && validPrice(x.l) && validPrice(x.c);

/** One side's bars (bid or ask) as columns, in file order: no object per bar. */
class OhlcColumns {
  length = 0;
  time: Float64Array;
  o: Float64Array;
  h: Float64Array;
  l: Float64Array;
  c: Float64Array;

  /** `capacity` bars before the columns grow: a guess from the file's size saves the copies. */
  constructor(capacity: number) {
    const n = Math.max(16, Math.ceil(capacity));
    this.time = new Float64Array(n);
    this.o = new Float64Array(n);
    this.h = new Float64Array(n);
    this.l = new Float64Array(n);
    this.c = new Float64Array(n);
  }

  push(time: number, o: number, h: number, l: number, c: number): void {
    if (this.length === this.time.length) {
      this.time = doubled(this.time);
      this.o = doubled(this.o);
      this.h = doubled(this.h);
      this.l = doubled(this.l);
      this.c = doubled(this.c);
    }
    const i = this.length++;
    this.time[i] = time;
    this.o[i] = o;
    this.h[i] = h;
    this.l[i] = l;
    this.c[i] = c;
  }
}

/** The bars to expand: bar k is bid row `bidRow[k]` with ask row `askRow[k]`, at the bid row's time. */
interface BarPairs {
  length: number;
  bidRow: (k: number) => number;
  askRow: (k: number) => number;
}

const samePlace: BarPairs["bidRow"] = (k) => k;

/**
 * Expand bars into tick columns, each bar as expandBar makes it (open, the extremes in the bar's
 * direction, close, at 0, 1/4, 2/4, 3/4 of the period); counts crossed ticks and the bars that had any.
 */
function barsToTicks(bid: OhlcColumns, ask: OhlcColumns, pairs: BarPairs, periodMs: number, instrument: string, skipped: Record<string, number>): { ticks: TickColumnsBuilder; crossedBars: number } {
  const ticks = new TickColumnsBuilder(instrument, pairs.length * 4);
  let crossedBars = 0;
  let crossed = 0;
  const step = periodMs / 4;
  const d1 = Math.floor(step);
  const d2 = Math.floor(2 * step);
  const d3 = Math.floor(3 * step);
  const keep = (time: number, b: number, a: number): void => {
    if (a >= b) ticks.push(time, b, a);
    else crossed++;
  };
  for (let k = 0; k < pairs.length; k++) {
    const i = pairs.bidRow(k);
    const j = pairs.askRow(k);
    const time = bid.time[i]!;
    const up = bid.c[i]! + ask.c[j]! >= bid.o[i]! + ask.o[j]!;
    const before = crossed;
    keep(time, bid.o[i]!, ask.o[j]!);
    if (up) keep(time + d1, bid.l[i]!, ask.l[j]!);
    else keep(time + d1, bid.h[i]!, ask.h[j]!);
    if (up) keep(time + d2, bid.h[i]!, ask.h[j]!);
    else keep(time + d2, bid.l[i]!, ask.l[j]!);
    keep(time + d3, bid.c[i]!, ask.c[j]!);
    if (crossed !== before) crossedBars++;
  }
  if (crossed > 0) bump(skipped, "crossed", crossed);
  return { ticks, crossedBars };
}

/** The bar period: the smallest gap between consecutive bars, at most one minute. */
function inferPeriodMs(time: Float64Array, pairs: BarPairs): number {
  let min = 60_000;
  for (let k = 1; k < pairs.length; k++) {
    const d = time[pairs.bidRow(k)]! - time[pairs.bidRow(k - 1)]!;
    if (d > 0 && d < min) min = d;
  }
  return min;
}

export function parseLeanQuoteBars(text: string, dayStart: number, instrument: string, periodMs?: number): TickSource {
  const skipped: Record<string, number> = {};
  // LEAN's quote-bar lines are 60-80 characters.
  const bid = new OhlcColumns(text.length / 50);
  const ask = new OhlcColumns(text.length / 50);
  const rows = forEachRow(text, (fields) => {
    const f = fields.map(Number);
    if (f.length < 10 || !/^\d+$/.test(fields[0]!)) return bump(skipped, "unparseable");
    const bar: Bar = { time: dayStart + f[0]!, bid: { o: f[1]!, h: f[2]!, l: f[3]!, c: f[4]! }, ask: { o: f[6]!, h: f[7]!, l: f[8]!, c: f[9]! } };
    if (!validOhlc(bar.bid) || !validOhlc(bar.ask)) return bump(skipped, "unparseable");
    bid.push(bar.time, bar.bid.o, bar.bid.h, bar.bid.l, bar.bid.c);
    ask.push(bar.time, bar.ask.o, bar.ask.h, bar.ask.l, bar.ask.c);
  });
  const pairs: BarPairs = { length: bid.length, bidRow: samePlace, askRow: samePlace };
  const { ticks, crossedBars } = barsToTicks(bid, ask, pairs, periodMs ?? inferPeriodMs(bid.time, pairs), instrument, skipped);
  return columnSource({ format: "lean-quote-bar", rows, skipped, bars: pairs.length, crossedBars }, ticks.keepMonotonic(skipped));
}

/** One file's bars in file order; `increasing` when every time is later than the one before (no repeats). */
function parseOhlcRows(text: string, skipped: Record<string, number>): { rows: number; bars: OhlcColumns; increasing: boolean } {
  // FXCM's lines are about 54 characters.
  const bars = new OhlcColumns(text.length / 45);
  let increasing = true;
  const add = (time: number, o: number, h: number, l: number, c: number) => {
    if (bars.length > 0 && !(time > bars.time[bars.length - 1]!)) increasing = false;
    bars.push(time, o, h, l, c);
  };
  // `timestamp,open,high,low,close` read where it lies (fast-fields.ts); declined lines go below.
  const fast = (s: string, start: number, end: number): boolean => {
    const comma = s.indexOf(",", start);
    if (comma < 0 || comma >= end) return false;
    const time = fastTimestamp(s, start, comma);
    if (time === undefined || time === DECLINED) return false;
    const o = decimalAt(s, comma + 1, end);
    if (o <= 0 || s.charCodeAt(stoppedAt) !== 44) return false;
    const h = decimalAt(s, stoppedAt + 1, end);
    if (h <= 0 || s.charCodeAt(stoppedAt) !== 44) return false;
    const l = decimalAt(s, stoppedAt + 1, end);
    if (l <= 0 || s.charCodeAt(stoppedAt) !== 44) return false;
    const c = decimalAt(s, stoppedAt + 1, end);
    if (c <= 0 || (stoppedAt !== end && s.charCodeAt(stoppedAt) !== 44)) return false;
    add(time, o, h, l, c);
    return true;
  };
  const f: string[] = [];
  const slow = (line: string) => {
    if (splitFields(line, f, 5) < 5) return bump(skipped, "unparseable");
    const time = parseTimestamp(f[0]!);
    const x: Ohlc = { o: Number(f[1]), h: Number(f[2]), l: Number(f[3]), c: Number(f[4]) };
    if (time === undefined || !validOhlc(x)) return bump(skipped, "unparseable");
    add(time, x.o, x.h, x.l, x.c);
  };
  const rows = forEachDataLineFast(text, fast, slow, isHeader);
  return { rows, bars, increasing };
}

/** A file's bars by time: a repeated time keeps its first place and its last values (the row holding them). */
function byTime(bars: OhlcColumns): { row: Map<number, number>; order: number[] } {
  const row = new Map<number, number>();
  const order: number[] = [];
  for (let i = 0; i < bars.length; i++) {
    const time = bars.time[i]!;
    if (!row.has(time)) order.push(time);
    row.set(time, i);
  }
  return { row, order };
}

function sameTimes(a: OhlcColumns, b: OhlcColumns): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a.time[i] !== b.time[i]) return false;
  return true;
}

/** The FXCM pair: bid bars and ask bars with the same timestamps. A minute in one file only is skipped. */
export function parseFxcmBidAsk(bidText: string, askText: string, instrument: string): TickSource {
  const skipped: Record<string, number> = {};
  const bidRows = parseOhlcRows(bidText, skipped);
  const askRows = parseOhlcRows(askText, skipped);
  let pairs: BarPairs;
  if (bidRows.increasing && askRows.increasing && sameTimes(bidRows.bars, askRows.bars)) {
    // The usual pair: the same minutes in the same order, so row i of one goes with row i of the other.
    pairs = { length: bidRows.bars.length, bidRow: samePlace, askRow: samePlace };
  } else {
    const bid = byTime(bidRows.bars);
    const ask = byTime(askRows.bars);
    const bidAt: number[] = [];
    const askAt: number[] = [];
    for (const time of bid.order) {
      const a = ask.row.get(time);
      if (a === undefined) {
        bump(skipped, "bid_bar_without_ask");
        continue;
      }
      bidAt.push(bid.row.get(time)!);
      askAt.push(a);
    }
    const unmatchedAsk = ask.order.filter((t) => !bid.row.has(t)).length;
    if (unmatchedAsk > 0) bump(skipped, "ask_bar_without_bid", unmatchedAsk);
    pairs = { length: bidAt.length, bidRow: (k) => bidAt[k]!, askRow: (k) => askAt[k]! };
  }
  const { ticks, crossedBars } = barsToTicks(bidRows.bars, askRows.bars, pairs, inferPeriodMs(bidRows.bars.time, pairs), instrument, skipped);
  return columnSource({ format: "fxcm-bid-ask", rows: bidRows.rows, skipped, bars: pairs.length, crossedBars }, ticks.keepMonotonic(skipped));
}
