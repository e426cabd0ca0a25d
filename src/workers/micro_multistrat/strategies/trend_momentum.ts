// trend_momentum: with the EMAs stacked in trend order (EMA9 > EMA21 > EMA50, each gap at least
// minGapAtr ATR, so the trend existed before this candle), enter when RSI crosses up through rsiEnter and is not yet
// above rsiMax (mirror for sells: crosses down through 100 - rsiEnter, not below 100 - rsiMax).
// The cross makes it an event, once per fresh push, not a signal on every candle of a trend.
import { defineStrategy, fired, fmt, positive } from "../strategy.ts";

export interface TrendMomentumParams {
  /** EMA9 - EMA21 and EMA21 - EMA50 must each be at least this many ATRs (sign by side). */
  minGapAtr: number;
  /** RSI must cross up through this (down through 100 - this for sells)... */
  rsiEnter: number;
  /** ...and not be above this (below 100 - this): an exhausted move is not entered. */
  rsiMax: number;
}

export const trendMomentum = defineStrategy<TrendMomentumParams>("trend_momentum", { minGapAtr: 0.3, rsiEnter: 55, rsiMax: 75 }, (last, _candles, ind, p) => {
  const { emaFast, emaMid, emaSlow, atr, rsi } = ind;
  const prevRsi = ind.previous?.rsi;
  if (emaFast === undefined || emaMid === undefined || emaSlow === undefined || rsi === undefined || prevRsi === undefined || !positive(atr)) return undefined;
  const close = last.mid.close;
  const gap = (emaFast - emaMid) / atr;
  const slowGap = (emaMid - emaSlow) / atr;
  const { rsiEnter, rsiMax, minGapAtr } = p;
  if (gap >= minGapAtr && slowGap >= minGapAtr && close > emaFast && prevRsi < rsiEnter && rsi >= rsiEnter && rsi <= rsiMax) {
    return fired("buy", gap - minGapAtr, 1, `EMAs stacked up (gap ${fmt(gap)} ATR), RSI ${fmt(prevRsi, 1)}->${fmt(rsi, 1)}`);
  }
  if (gap <= -minGapAtr && slowGap <= -minGapAtr && close < emaFast && prevRsi > 100 - rsiEnter && rsi <= 100 - rsiEnter && rsi >= 100 - rsiMax) {
    return fired("sell", -gap - minGapAtr, 1, `EMAs stacked down (gap ${fmt(-gap)} ATR), RSI ${fmt(prevRsi, 1)}->${fmt(rsi, 1)}`);
  }
  return undefined;
});
