// The contract every micro strategy meets: a name, its parameters, and a pure evaluate() over
// closed M1 mid candles and the indicator snapshot after the last of them.
import type { MICRO_STRATEGIES } from "../../config/schema.ts";
import type { Side } from "../../core/types.ts";
import type { Candle } from "../../state/candles.ts";
import type { IndicatorSnapshot } from "../indicators.ts";

export type MicroStrategyName = (typeof MICRO_STRATEGIES)[number];

export interface StrategySignal {
  side: Side;
  /** 0..100. */
  confidence: number;
  /** Why, in a few words with the numbers (goes to the log and the signal's meta). */
  reason: string;
}

export interface Strategy<P extends object = Record<string, number>> {
  name: MicroStrategyName;
  params: Readonly<P>;
  /** Pure: same candles and snapshot, same answer. `candles` are oldest first, all complete. */
  evaluate(candles: readonly Candle[], ind: IndicatorSnapshot): StrategySignal | undefined;
}

/** Confidence from how far past its threshold a measure went: 50 at it, 100 at `full` beyond. */
function confidenceFrom(excess: number, full: number): number {
  const c = 50 + 50 * Math.min(1, Math.max(0, excess) / full);
  return Math.round(Math.min(100, Math.max(1, c)));
}

export const fmt = (x: number, d = 2): string => x.toFixed(d);

/** A strategy's rule: the last closed candle (there always is one), all of them, the snapshot, the parameters. */
export type Rule<P> = (last: Candle, candles: readonly Candle[], ind: IndicatorSnapshot, p: Readonly<P>) => StrategySignal | undefined;

/**
 * A strategy from its name, its default parameters and its rule: `make(overrides)` gives the
 * strategy with those parameters over the defaults (MICRO_STRATEGY_PARAMS, the scorecard's grid).
 */
export function defineStrategy<P extends object>(name: MicroStrategyName, defaults: P, rule: Rule<P>): (overrides?: Partial<P>) => Strategy<P> {
  return (overrides = {}) => {
    const params: Readonly<P> = { ...defaults, ...overrides };
    return {
      name,
      params,
      evaluate(candles, ind) {
        const last = candles.at(-1);
        return last ? rule(last, candles, ind, params) : undefined;
      },
    };
  };
}

/** A signal `excess` past its threshold: confidence 50 there, 100 at `full` beyond. */
export const fired = (side: Side, excess: number, full: number, reason: string): StrategySignal => ({ side, confidence: confidenceFrom(excess, full), reason });

/** Whether a volatility (ATR, a mean volume) is usable: defined and above 0. */
export const positive = (x: number | undefined): x is number => x !== undefined && x > 0;
