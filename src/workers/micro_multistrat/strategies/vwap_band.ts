// vwap_band: reversion to the rolling VWAP. When the previous candle closed outside the band
// (VWAP -/+ bandAtrMult ATR) and this one closes back inside it, in the reverting direction and
// still on the far side of VWAP, trade back toward VWAP. Waiting for the re-entry avoids
// catching a falling knife while the stretch is still extending.
import { defineStrategy, fired, fmt, positive } from "../strategy.ts";

export interface VwapBandParams {
  /** Band half-width in ATRs around the rolling VWAP. */
  bandAtrMult: number;
}

export const vwapBand = defineStrategy<VwapBandParams>("vwap_band", { bandAtrMult: 2.0 }, (last, candles, ind, p) => {
  const prev = candles.at(-2);
  const pi = ind.previous;
  if (!prev || !pi || ind.vwap === undefined || pi.vwap === undefined || !positive(ind.atr) || !positive(pi.atr)) return undefined;
  const k = p.bandAtrMult;
  const { open, close } = last.mid;
  const prevStretch = (prev.mid.close - pi.vwap) / pi.atr;
  if (prevStretch < -k && close >= ind.vwap - k * ind.atr && close < ind.vwap && close > open) {
    return fired("buy", -prevStretch - k, k, `back inside the band after ${fmt(-prevStretch)} ATR below VWAP`);
  }
  if (prevStretch > k && close <= ind.vwap + k * ind.atr && close > ind.vwap && close < open) {
    return fired("sell", prevStretch - k, k, `back inside the band after ${fmt(prevStretch)} ATR above VWAP`);
  }
  return undefined;
});
