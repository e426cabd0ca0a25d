// The shapes the account state hands out: open trades, units per side, the range a net may end in.
import type { Pocket, Side } from "../core/types.ts";

export interface TradeView {
  id: string;
  instrument: string;
  side: Side;
  /** Current open units (magnitude). */
  units: number;
  price: number;
  pocket: Pocket;
  strategy?: string;
  clientId?: string;
}

export interface Exposure {
  long: number;
  short: number;
}

/** The range |net| may be in once every unsettled order has filled or not, in any combination. */
export interface NetRange {
  min: number;
  max: number;
}
