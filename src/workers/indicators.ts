// Indicators over closed M1 mid candles, from the maintained `trading-signals` library (each one
// updates incrementally, O(1) or O(period) per candle). Nothing here is a hand-written indicator;
// this file only chooses periods, feeds candles once each, and snapshots the results.
import { ATR, DonchianChannels, EMA, RSI, SMA, VWMA } from "trading-signals";
import type { Candle } from "../state/candles.ts";

/** Periods in M1 candles. Fixed: the strategies' thresholds are tuned against them. */
const INDICATOR_PERIODS = {
  emaFast: 9,
  emaMid: 21,
  emaSlow: 50,
  rsi: 14,
  atr: 14,
  /** Rolling VWAP window. */
  vwap: 30,
  volumeSma: 20,
  donchian: 20,
} as const;

export interface Channel {
  upper: number;
  lower: number;
}

/** Values after the latest candle; a field is undefined until its indicator has enough data. */
export interface IndicatorValues {
  /** Time of the candle these values include. */
  time: number;
  emaFast?: number;
  emaMid?: number;
  emaSlow?: number;
  rsi?: number;
  atr?: number;
  /** Rolling VWAP of mid closes over INDICATOR_PERIODS.vwap candles, weighted by tick volume. */
  vwap?: number;
  /** Mean tick volume over INDICATOR_PERIODS.volumeSma candles. */
  volumeSma?: number;
  /** Highest high / lowest low of the last INDICATOR_PERIODS.donchian candles. */
  donchian?: Channel;
}

export interface IndicatorSnapshot extends IndicatorValues {
  /** The same values one candle earlier (before the latest candle was added). */
  previous?: IndicatorValues;
}

function stable(ind: { isStable: boolean; getResultOrThrow(): unknown }): unknown {
  return ind.isStable ? ind.getResultOrThrow() : undefined;
}

/** One instrument's indicators. Feed each closed candle exactly once, in time order. */
export class IndicatorSet {
  readonly #emaFast = new EMA(INDICATOR_PERIODS.emaFast);
  readonly #emaMid = new EMA(INDICATOR_PERIODS.emaMid);
  readonly #emaSlow = new EMA(INDICATOR_PERIODS.emaSlow);
  readonly #rsi = new RSI(INDICATOR_PERIODS.rsi);
  readonly #atr = new ATR(INDICATOR_PERIODS.atr);
  // The library's VWAP is cumulative from its first input with no session reset, which drifts
  // into a long-run average over days of M1 data. VWMA over a fixed window, fed with our tick
  // volume (FX has no central volume; tick count is the usual proxy), is a rolling VWAP.
  // Its signal line (a moving average of the VWMA, for the library's getSignal) is never read
  // here: an EMA, O(1) a candle, rather than the default SMA that re-sums its window.
  readonly #vwap = new VWMA(INDICATOR_PERIODS.vwap, EMA);
  readonly #volumeSma = new SMA(INDICATOR_PERIODS.volumeSma);
  readonly #donchian = new DonchianChannels(INDICATOR_PERIODS.donchian);
  #lastTime = Number.NEGATIVE_INFINITY;
  #values: IndicatorValues | undefined;
  #previous: IndicatorValues | undefined;

  get lastTime(): number {
    return this.#lastTime;
  }

  /** Add one closed candle; candles at or before the last one fed are ignored (returns false). */
  update(c: Candle): boolean {
    if (c.time <= this.#lastTime) return false;
    const { high, low, close } = c.mid;
    this.#emaFast.add(close);
    this.#emaMid.add(close);
    this.#emaSlow.add(close);
    this.#rsi.add(close);
    this.#atr.add({ high, low, close });
    if (c.volume > 0) this.#vwap.add({ high, low, close, volume: c.volume });
    this.#volumeSma.add(c.volume);
    this.#donchian.add({ high, low });
    this.#lastTime = c.time;
    this.#previous = this.#values;
    const d = stable(this.#donchian) as Channel | undefined;
    this.#values = {
      time: c.time,
      emaFast: stable(this.#emaFast) as number | undefined,
      emaMid: stable(this.#emaMid) as number | undefined,
      emaSlow: stable(this.#emaSlow) as number | undefined,
      rsi: stable(this.#rsi) as number | undefined,
      atr: stable(this.#atr) as number | undefined,
      // stable(), not getResult(): the library's getResult throws and catches NotEnoughDataError
      // until the window is full, an exception a candle for the first 30 of every run.
      vwap: stable(this.#vwap) as number | undefined,
      volumeSma: stable(this.#volumeSma) as number | undefined,
      donchian: d ? { upper: d.upper, lower: d.lower } : undefined,
    };
    return true;
  }

  /** Feed every candle newer than the last one fed (closed candles from the market state). */
  catchUp(candles: readonly Candle[]): number {
    // Candles are in time order and usually only the last is new: find the first newer one from
    // the end rather than walk the 1,000 kept candles on every close.
    let from = candles.length;
    while (from > 0 && candles[from - 1]!.time > this.#lastTime) from--;
    let n = 0;
    for (let i = from; i < candles.length; i++) if (this.update(candles[i]!)) n++;
    return n;
  }

  snapshot(): IndicatorSnapshot | undefined {
    if (!this.#values) return undefined;
    return { ...this.#values, ...(this.#previous ? { previous: this.#previous } : {}) };
  }
}
