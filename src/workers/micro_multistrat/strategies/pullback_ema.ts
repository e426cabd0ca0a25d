// pullback_ema: in an established trend (mid EMA clearly beyond the slow EMA), buy the candle
// that dips to the mid EMA and closes back above it as a bullish candle (mirror for sells).
import { confidenceFrom, fmt, type Strategy } from "../strategy.ts";

export interface PullbackEmaParams {
  /** Trend strength: |EMA21 - EMA50| must be at least this many ATRs. */
  minTrendAtr: number;
  /** The candle's low (high, for sells) must reach within this many ATRs of EMA21. */
  touchAtrFrac: number;
}

export const PULLBACK_EMA_DEFAULTS: PullbackEmaParams = { minTrendAtr: 0.5, touchAtrFrac: 0.25 };

export function pullbackEma(params: PullbackEmaParams = PULLBACK_EMA_DEFAULTS): Strategy<PullbackEmaParams> {
  return {
    name: "pullback_ema",
    params,
    evaluate(candles, ind) {
      const last = candles.at(-1);
      const { emaMid, emaSlow, atr } = ind;
      if (!last || emaMid === undefined || emaSlow === undefined || !atr || !(atr > 0)) return undefined;
      const { open, high, low, close } = last.mid;
      const trend = (emaMid - emaSlow) / atr;
      const tol = params.touchAtrFrac * atr;
      if (trend >= params.minTrendAtr && low <= emaMid + tol && close > emaMid && close > open) {
        return { side: "buy", confidence: confidenceFrom(trend - params.minTrendAtr, 2), reason: `uptrend ${fmt(trend)} ATR, dip to EMA21 held` };
      }
      if (trend <= -params.minTrendAtr && high >= emaMid - tol && close < emaMid && close < open) {
        return { side: "sell", confidence: confidenceFrom(-trend - params.minTrendAtr, 2), reason: `downtrend ${fmt(-trend)} ATR, rally to EMA21 rejected` };
      }
      return undefined;
    },
  };
}
