// Bid/ask bars expanded into ticks: LEAN quote bars (minute or second: `ms,bidO,bidH,bidL,bidC,
// bidSize,askO,askH,askL,askC,askSize`, day from the file name) and the FXCM pair of minute
// files (`timestamp,open,high,low,close`, one file of bid bars and one of ask bars).
//
// Each bar becomes four ticks at 0, 1/4, 2/4 and 3/4 of its period: open, then the extreme the
// bar's direction says came first, then the other, then close. An up bar (mid close >= mid open)
// goes open, low, high, close; a down bar open, high, low, close. A tick whose ask is below its
// bid (the FXCM files build bid and ask bars independently; some minutes cross) is skipped and
// counted as `crossed`: replay never invents a price.
import { forEachDataLine, forEachRow, splitFields } from "./read-tick-csv.ts";
import { bump, keepMonotonic, parseTimestamp, type ReplayTick, type TickSource } from "./ticks.ts";

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

/** Expand bars into ticks; counts crossed ticks and the bars that had any. */
function barsToTicks(bars: Bar[], periodMs: number, instrument: string, skipped: Record<string, number>): { ticks: ReplayTick[]; crossedBars: number } {
  const ticks: ReplayTick[] = [];
  let crossedBars = 0;
  const step = periodMs / 4;
  const keep = (t: ReplayTick): boolean => {
    if (t.ask >= t.bid) {
      ticks.push(t);
      return false;
    }
    bump(skipped, "crossed");
    return true;
  };
  // expandBar's four ticks, made one at a time (no arrays per bar).
  for (const bar of bars) {
    const { bid, ask } = bar;
    const up = bid.c + ask.c >= bid.o + ask.o;
    let crossed = keep({ instrument, time: bar.time, bid: bid.o, ask: ask.o });
    crossed = keep(up ? { instrument, time: bar.time + Math.floor(step), bid: bid.l, ask: ask.l } : { instrument, time: bar.time + Math.floor(step), bid: bid.h, ask: ask.h }) || crossed;
    crossed = keep(up ? { instrument, time: bar.time + Math.floor(2 * step), bid: bid.h, ask: ask.h } : { instrument, time: bar.time + Math.floor(2 * step), bid: bid.l, ask: ask.l }) || crossed;
    crossed = keep({ instrument, time: bar.time + Math.floor(3 * step), bid: bid.c, ask: ask.c }) || crossed;
    if (crossed) crossedBars++;
  }
  return { ticks, crossedBars };
}

/** The bar period: the smallest gap between consecutive bars, at most one minute. */
function inferPeriodMs(bars: Bar[]): number {
  let min = 60_000;
  for (let i = 1; i < bars.length; i++) {
    const d = bars[i]!.time - bars[i - 1]!.time;
    if (d > 0 && d < min) min = d;
  }
  return min;
}

export function parseLeanQuoteBars(text: string, dayStart: number, instrument: string, periodMs?: number): TickSource {
  const skipped: Record<string, number> = {};
  const bars: Bar[] = [];
  const rows = forEachRow(text, (fields) => {
    const f = fields.map(Number);
    if (f.length < 10 || !/^\d+$/.test(fields[0]!)) return bump(skipped, "unparseable");
    const bar: Bar = { time: dayStart + f[0]!, bid: { o: f[1]!, h: f[2]!, l: f[3]!, c: f[4]! }, ask: { o: f[6]!, h: f[7]!, l: f[8]!, c: f[9]! } };
    if (!validOhlc(bar.bid) || !validOhlc(bar.ask)) return bump(skipped, "unparseable");
    bars.push(bar);
  });
  const { ticks, crossedBars } = barsToTicks(bars, periodMs ?? inferPeriodMs(bars), instrument, skipped);
  return { format: "lean-quote-bar", ticks: keepMonotonic(ticks, skipped), rows, skipped, bars: bars.length, crossedBars };
}

/** One file's bars in file order; `increasing` when every time is later than the one before (no repeats). */
function parseOhlcRows(text: string, skipped: Record<string, number>): { rows: number; times: number[]; ohlc: Ohlc[]; increasing: boolean } {
  const times: number[] = [];
  const ohlc: Ohlc[] = [];
  let increasing = true;
  const f: string[] = [];
  const rows = forEachDataLine(text, (line) => {
    if (splitFields(line, f, 5) < 5) return bump(skipped, "unparseable");
    const time = parseTimestamp(f[0]!);
    const x: Ohlc = { o: Number(f[1]), h: Number(f[2]), l: Number(f[3]), c: Number(f[4]) };
    if (time === undefined || !validOhlc(x)) return bump(skipped, "unparseable");
    if (times.length > 0 && !(time > times[times.length - 1]!)) increasing = false;
    times.push(time);
    ohlc.push(x);
  });
  return { rows, times, ohlc, increasing };
}

/** A file's bars by time: a repeated time keeps its first place and its last values. */
function byTime(p: { times: number[]; ohlc: Ohlc[] }): { bars: Map<number, Ohlc>; order: number[] } {
  const bars = new Map<number, Ohlc>();
  const order: number[] = [];
  p.times.forEach((time, i) => {
    if (!bars.has(time)) order.push(time);
    bars.set(time, p.ohlc[i]!);
  });
  return { bars, order };
}

const sameTimes = (a: number[], b: number[]) => a.length === b.length && a.every((t, i) => t === b[i]);

/** The FXCM pair: bid bars and ask bars with the same timestamps. A minute in one file only is skipped. */
export function parseFxcmBidAsk(bidText: string, askText: string, instrument: string): TickSource {
  const skipped: Record<string, number> = {};
  const bidRows = parseOhlcRows(bidText, skipped);
  const askRows = parseOhlcRows(askText, skipped);
  let bars: Bar[] = [];
  if (bidRows.increasing && askRows.increasing && sameTimes(bidRows.times, askRows.times)) {
    // The usual pair: the same minutes in the same order, so row i of one goes with row i of the other.
    bars = bidRows.times.map((time, i) => ({ time, bid: bidRows.ohlc[i]!, ask: askRows.ohlc[i]! }));
  } else {
    const bid = byTime(bidRows);
    const ask = byTime(askRows);
    for (const time of bid.order) {
      const a = ask.bars.get(time);
      if (!a) {
        bump(skipped, "bid_bar_without_ask");
        continue;
      }
      bars.push({ time, bid: bid.bars.get(time)!, ask: a });
    }
    const unmatchedAsk = ask.order.filter((t) => !bid.bars.has(t)).length;
    if (unmatchedAsk > 0) bump(skipped, "ask_bar_without_bid", unmatchedAsk);
  }
  const { ticks, crossedBars } = barsToTicks(bars, inferPeriodMs(bars), instrument, skipped);
  return { format: "fxcm-bid-ask", ticks: keepMonotonic(ticks, skipped), rows: bidRows.rows, skipped, bars: bars.length, crossedBars };
}
