// vwap_band: reversion to the rolling VWAP. When the previous candle closed outside the band
// (VWAP -/+ bandAtrMult ATR) and this one closes back inside it, in the reverting direction and
// still on the far side of VWAP, trade back toward VWAP. Waiting for the re-entry avoids
// catching a falling knife while the stretch is still extending.
import { confidenceFrom, fmt, type Strategy } from "../strategy.ts";

export interface VwapBandParams {
  /** Band half-width in ATRs around the rolling VWAP. */
  bandAtrMult: number;
}

export const VWAP_BAND_DEFAULTS: VwapBandParams = { bandAtrMult: 2.0 };

export function vwapBand(params: VwapBandParams = VWAP_BAND_DEFAULTS): Strategy<VwapBandParams> {
  return {
    name: "vwap_band",
    params,
    evaluate(candles, ind) {
      const last = candles.at(-1);
      const prev = candles.at(-2);
      const p = ind.previous;
      if (!last || !prev || !p || ind.vwap === undefined || p.vwap === undefined || !ind.atr || !(ind.atr > 0) || !p.atr || !(p.atr > 0)) return undefined;
      const k = params.bandAtrMult;
      const { open, close } = last.mid;
      const prevClose = prev.mid.close;
      const prevStretch = (prevClose - p.vwap) / p.atr;
      if (prevStretch < -k && close >= ind.vwap - k * ind.atr && close < ind.vwap && close > open) {
        return { side: "buy", confidence: confidenceFrom(-prevStretch - k, k), reason: `back inside the band after ${fmt(-prevStretch)} ATR below VWAP` };
      }
      if (prevStretch > k && close <= ind.vwap + k * ind.atr && close > ind.vwap && close < open) {
        return { side: "sell", confidence: confidenceFrom(prevStretch - k, k), reason: `back inside the band after ${fmt(prevStretch)} ATR above VWAP` };
      }
      return undefined;
    },
  };
}
