// momentum_burst: one decisive candle. Its body is large against the volatility before it
// (previous ATR), it closes near its extreme (body a large share of its range), and it traded
// on more ticks than usual (previous mean tick volume). Trade in the direction of the body.
// Tick volume is the number of price updates: on bar data every candle has the same, and the
// volume test never passes (docs/replay.md).
import { defineStrategy, fired, fmt, positive } from "../strategy.ts";

export interface MomentumBurstParams {
  /** Body must be at least this many ATRs (ATR as it was before this candle). */
  bodyAtrMult: number;
  /** Body must be at least this fraction of the candle's high-low range. */
  minBodyFrac: number;
  /** Tick volume must be at least this multiple of the mean tick volume before the candle. */
  volumeMult: number;
}

export const momentumBurst = defineStrategy<MomentumBurstParams>("momentum_burst", { bodyAtrMult: 1.5, minBodyFrac: 0.6, volumeMult: 1.5 }, (last, _candles, ind, p) => {
  const atr = ind.previous?.atr;
  const vol = ind.previous?.volumeSma;
  if (!positive(atr) || !positive(vol)) return undefined;
  const { open, high, low, close } = last.mid;
  const body = close - open;
  const size = Math.abs(body);
  if (!(size > 0) || size < p.bodyAtrMult * atr || size < p.minBodyFrac * (high - low)) return undefined;
  if (last.volume < p.volumeMult * vol) return undefined;
  const inAtr = size / atr;
  return fired(body > 0 ? "buy" : "sell", inAtr - p.bodyAtrMult, p.bodyAtrMult, `body ${fmt(inAtr)} ATR, volume ${fmt(last.volume / vol)}x mean`);
});
