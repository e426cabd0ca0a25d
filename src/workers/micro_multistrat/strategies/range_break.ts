// range_break: after a consolidation (the 20 candles before this one span at most maxWidthAtr
// ATRs), a close beyond the range's high or low by breakAtrFrac ATR. Trade the break.
import { confidenceFrom, fmt, type Strategy } from "../strategy.ts";

export interface RangeBreakParams {
  /** The prior range (Donchian width) must be at most this many ATRs to count as a range. */
  maxWidthAtr: number;
  /** The close must clear the range by at least this many ATRs. */
  breakAtrFrac: number;
}

export const RANGE_BREAK_DEFAULTS: RangeBreakParams = { maxWidthAtr: 6, breakAtrFrac: 0.2 };

export function rangeBreak(params: RangeBreakParams = RANGE_BREAK_DEFAULTS): Strategy<RangeBreakParams> {
  return {
    name: "range_break",
    params,
    evaluate(candles, ind) {
      const last = candles.at(-1);
      const box = ind.previous?.donchian;
      const atr = ind.previous?.atr;
      if (!last || !box || !atr || !(atr > 0)) return undefined;
      const width = (box.upper - box.lower) / atr;
      if (width > params.maxWidthAtr) return undefined;
      const close = last.mid.close;
      const up = (close - box.upper) / atr;
      const down = (box.lower - close) / atr;
      if (up >= params.breakAtrFrac && up > 0) {
        return { side: "buy", confidence: confidenceFrom(up - params.breakAtrFrac, 1), reason: `close ${fmt(up)} ATR above a ${fmt(width)}-ATR range` };
      }
      if (down >= params.breakAtrFrac && down > 0) {
        return { side: "sell", confidence: confidenceFrom(down - params.breakAtrFrac, 1), reason: `close ${fmt(down)} ATR below a ${fmt(width)}-ATR range` };
      }
      return undefined;
    },
  };
}
