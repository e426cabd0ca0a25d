// pullback_ema: in an established trend (mid EMA clearly beyond the slow EMA), buy the candle
// that dips to the mid EMA and closes back above it as a bullish candle (mirror for sells).
import { defineStrategy, fired, fmt, positive } from "../strategy.ts";

export interface PullbackEmaParams {
  /** Trend strength: |EMA21 - EMA50| must be at least this many ATRs. */
  minTrendAtr: number;
  /** The candle's low (high, for sells) must reach within this many ATRs of EMA21. */
  touchAtrFrac: number;
}

export const pullbackEma = defineStrategy<PullbackEmaParams>("pullback_ema", { minTrendAtr: 0.5, touchAtrFrac: 0.25 }, (last, _candles, ind, p) => {
  const { emaMid, emaSlow, atr } = ind;
  if (emaMid === undefined || emaSlow === undefined || !positive(atr)) return undefined;
  const { open, high, low, close } = last.mid;
  const trend = (emaMid - emaSlow) / atr;
  const tol = p.touchAtrFrac * atr;
  if (trend >= p.minTrendAtr && low <= emaMid + tol && close > emaMid && close > open) {
    return fired("buy", trend - p.minTrendAtr, 2, `uptrend ${fmt(trend)} ATR, dip to EMA21 held`);
  }
  if (trend <= -p.minTrendAtr && high >= emaMid - tol && close < emaMid && close < open) {
    return fired("sell", -trend - p.minTrendAtr, 2, `downtrend ${fmt(-trend)} ATR, rally to EMA21 rejected`);
  }
  return undefined;
});
