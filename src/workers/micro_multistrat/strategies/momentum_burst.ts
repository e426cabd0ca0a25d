// momentum_burst: one decisive candle. Its body is large against the volatility before it
// (previous ATR), it closes near its extreme (body a large share of its range), and it traded
// on more ticks than usual (previous mean tick volume). Trade in the direction of the body.
import { confidenceFrom, fmt, type Strategy } from "../strategy.ts";

export interface MomentumBurstParams {
  /** Body must be at least this many ATRs (ATR as it was before this candle). */
  bodyAtrMult: number;
  /** Body must be at least this fraction of the candle's high-low range. */
  minBodyFrac: number;
  /** Tick volume must be at least this multiple of the mean tick volume before the candle. */
  volumeMult: number;
}

export const MOMENTUM_BURST_DEFAULTS: MomentumBurstParams = { bodyAtrMult: 1.5, minBodyFrac: 0.6, volumeMult: 1.5 };

export function momentumBurst(params: MomentumBurstParams = MOMENTUM_BURST_DEFAULTS): Strategy<MomentumBurstParams> {
  return {
    name: "momentum_burst",
    params,
    evaluate(candles, ind) {
      const last = candles.at(-1);
      const atr = ind.previous?.atr;
      const vol = ind.previous?.volumeSma;
      if (!last || !atr || !(atr > 0) || !vol || !(vol > 0)) return undefined;
      const { open, high, low, close } = last.mid;
      const body = close - open;
      const size = Math.abs(body);
      const range = high - low;
      if (!(size > 0) || size < params.bodyAtrMult * atr || size < params.minBodyFrac * range) return undefined;
      if (last.volume < params.volumeMult * vol) return undefined;
      const inAtr = size / atr;
      return {
        side: body > 0 ? "buy" : "sell",
        confidence: confidenceFrom(inAtr - params.bodyAtrMult, params.bodyAtrMult),
        reason: `body ${fmt(inAtr)} ATR, volume ${fmt(last.volume / vol)}x mean`,
      };
    },
  };
}
