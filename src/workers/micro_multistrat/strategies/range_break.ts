// range_break: after a consolidation (the 20 candles before this one span at most maxWidthAtr
// ATRs), a close beyond the range's high or low by breakAtrFrac ATR. Trade the break.
import { defineStrategy, fired, fmt, positive } from "../strategy.ts";

export interface RangeBreakParams {
  /** The prior range (Donchian width) must be at most this many ATRs to count as a range. */
  maxWidthAtr: number;
  /** The close must clear the range by at least this many ATRs. */
  breakAtrFrac: number;
}

export const rangeBreak = defineStrategy<RangeBreakParams>("range_break", { maxWidthAtr: 6, breakAtrFrac: 0.2 }, (last, _candles, ind, p) => {
  const box = ind.previous?.donchian;
  const atr = ind.previous?.atr;
  if (!box || !positive(atr)) return undefined;
  const width = (box.upper - box.lower) / atr;
  if (width > p.maxWidthAtr) return undefined;
  const close = last.mid.close;
  const up = (close - box.upper) / atr;
  const down = (box.lower - close) / atr;
  if (up >= p.breakAtrFrac && up > 0) return fired("buy", up - p.breakAtrFrac, 1, `close ${fmt(up)} ATR above a ${fmt(width)}-ATR range`);
  if (down >= p.breakAtrFrac && down > 0) return fired("sell", down - p.breakAtrFrac, 1, `close ${fmt(down)} ATR below a ${fmt(width)}-ATR range`);
  return undefined;
});
