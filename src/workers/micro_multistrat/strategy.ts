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
export function confidenceFrom(excess: number, full: number): number {
  const c = 50 + 50 * Math.min(1, Math.max(0, excess) / full);
  return Math.round(Math.min(100, Math.max(1, c)));
}

export const fmt = (x: number, d = 2): string => x.toFixed(d);
