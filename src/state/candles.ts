// M1 candles: the builder that folds ticks into the Candle the workers read (the type is core's,
// re-exported here). Pure data and arithmetic, no I/O. Times are the broker's (tick.time), aligned to the minute,
// so candles built here line up with the ones OANDA's candles endpoint returns.
import type { Candle, Ohlc } from "../core/candle.ts";
import type { EpochMs } from "../core/types.ts";

export const M1_MS = 60_000;

export type { Candle, Ohlc } from "../core/candle.ts";

export function minuteStart(t: EpochMs): EpochMs {
  return Math.floor(t / M1_MS) * M1_MS;
}

function ohlc(p: number): Ohlc {
  return { open: p, high: p, low: p, close: p };
}

function extend(o: Ohlc, p: number): void {
  if (p > o.high) o.high = p;
  if (p < o.low) o.low = p;
  o.close = p;
}

/** The candle a first tick of a minute opens. */
export function openCandle(time: EpochMs, bid: number, ask: number): Candle {
  return { time: minuteStart(time), mid: ohlc((bid + ask) / 2), bid: ohlc(bid), ask: ohlc(ask), volume: 1, complete: false };
}

/** Fold one more tick of the same minute into an open candle (mutates it). */
export function addToCandle(c: Candle, bid: number, ask: number): void {
  extend(c.mid, (bid + ask) / 2);
  if (c.bid) extend(c.bid, bid);
  if (c.ask) extend(c.ask, ask);
  c.volume += 1;
}

/** A closed copy: callers get values that never change under them. */
export function closeCandle(c: Candle): Candle {
  const mid = { ...c.mid };
  // One literal per case (which sides the candle has), the keys in the same order: spreading
  // the optional sides in made two throwaway objects per close, and a replay closes one a minute.
  if (c.bid && c.ask) return { time: c.time, mid, bid: { ...c.bid }, ask: { ...c.ask }, volume: c.volume, complete: true };
  if (c.bid) return { time: c.time, mid, bid: { ...c.bid }, volume: c.volume, complete: true };
  if (c.ask) return { time: c.time, mid, ask: { ...c.ask }, volume: c.volume, complete: true };
  return { time: c.time, mid, volume: c.volume, complete: true };
}
