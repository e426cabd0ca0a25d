// The candle the pipeline reads: built from ticks by the market state, or seeded from the
// broker's candles endpoint by the OANDA adapter. Pure data.
import type { EpochMs } from "./types.ts";

export interface Ohlc {
  open: number;
  high: number;
  low: number;
  close: number;
}

export interface Candle {
  /** Start of the period, epoch ms (UTC). */
  time: EpochMs;
  mid: Ohlc;
  /** Present when built from ticks or seeded with price=BA/MBA; absent for mid-only seeds. */
  bid?: Ohlc;
  ask?: Ohlc;
  /** Tick volume: how many price updates fell in the period (FX has no central volume). */
  volume: number;
  /** False only for the candle still being built. */
  complete: boolean;
}
