// Hand-made M1 mid candle series for the strategy tests: each shape is named for the pattern a
// strategy looks for, plus flat data on which none should fire.
import type { Candle } from "../../../src/state/candles.ts";
import { IndicatorSet, type IndicatorSnapshot } from "../../../src/workers/indicators.ts";

const M = 60_000;
export const T0 = Date.UTC(2024, 0, 8, 9, 0); // a Monday morning

export function candle(i: number, open: number, close: number, opts: { high?: number; low?: number; volume?: number } = {}): Candle {
  const high = opts.high ?? Math.max(open, close) + 0.005;
  const low = opts.low ?? Math.min(open, close) - 0.005;
  return { time: T0 + i * M, mid: { open, high, low, close }, volume: opts.volume ?? 20, complete: true };
}

/** Closes given, each candle opens at the previous close. */
export function fromCloses(closes: number[], start = 0, first = closes[0]!): Candle[] {
  let prev = first;
  return closes.map((c, k) => {
    const x = candle(start + k, prev, c);
    prev = c;
    return x;
  });
}

/** Constant price, zero range: the flattest market there is. */
export function constant(n: number, price = 150): Candle[] {
  return Array.from({ length: n }, (_, i) => candle(i, price, price, { high: price, low: price }));
}

/** A range: a deterministic mean-reverting wobble of +/-2 pips around `price`. */
export function wobble(n: number, price = 150, start = 0): Candle[] {
  const closes = Array.from({ length: n }, (_, i) => price + 0.02 * Math.sin((i * 2 * Math.PI) / 7) * (i % 3 === 0 ? 0.5 : 1));
  return fromCloses(closes, start, price);
}

/** A steady trend: `step` per candle. */
export function trend(n: number, step: number, price = 150, start = 0): Candle[] {
  return fromCloses(Array.from({ length: n }, (_, i) => price + step * (i + 1)), start, price);
}

export function snapshotAfter(candles: readonly Candle[]): IndicatorSnapshot {
  const s = new IndicatorSet();
  s.catchUp(candles);
  return s.snapshot()!;
}

/** Evaluate at every prefix (as the worker would, candle by candle) and return where it fired. */
export function firings<T>(candles: Candle[], evaluate: (c: Candle[], ind: IndicatorSnapshot) => T | undefined): { index: number; out: T }[] {
  const s = new IndicatorSet();
  const hits: { index: number; out: T }[] = [];
  for (let i = 0; i < candles.length; i++) {
    s.update(candles[i]!);
    const out = evaluate(candles.slice(0, i + 1), s.snapshot()!);
    if (out !== undefined) hits.push({ index: i, out });
  }
  return hits;
}

// --- the patterns, each ending on the candle where its strategy should fire ------------------
// sign +1 builds the bullish shape, -1 its mirror.

/** A range, then one large candle on three times the usual tick volume. */
export function burst(sign: 1 | -1): Candle[] {
  const base = wobble(60);
  const last = base.at(-1)!.mid.close;
  return [...base, candle(60, last, last + sign * 0.08, { volume: 60 })];
}

/** A steady trend, then a candle that dips to EMA21 and closes back in trend direction. */
export function pullback(sign: 1 | -1): Candle[] {
  const base = trend(70, sign * 0.02);
  const ema21 = snapshotAfter(base).emaMid!;
  const last = base.at(-1)!.mid.close;
  const touch = sign > 0 ? { low: ema21 } : { high: ema21 };
  return [...base, candle(70, last - sign * 0.05, last, touch)];
}

/** A range, then a close 1.8 ATR beyond it. */
export function breakout(sign: 1 | -1): Candle[] {
  return [...wobble(60), candle(60, 150, 150 + sign * 0.06)];
}

/** A range, a sharp stretch away from VWAP, then a candle back inside the band. */
export function vwapSnapBack(sign: 1 | -1): Candle[] {
  return [...wobble(60), candle(60, 150, 150 - sign * 0.15), candle(61, 150 - sign * 0.15, 150 - sign * 0.04)];
}

/** A choppy trend (up 4, back 1.5 pips), a six-candle pause, then the trend resumes. */
export function trendResume(sign: 1 | -1): Candle[] {
  const closes: number[] = [];
  let p = 150;
  for (let i = 0; i < 60; i++) closes.push((p += sign * (i % 2 === 0 ? 0.04 : -0.015)));
  for (let i = 0; i < 6; i++) closes.push((p -= sign * 0.015));
  closes.push((p += sign * 0.05));
  return fromCloses(closes, 0, 150);
}
