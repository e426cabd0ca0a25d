// Shared inputs for the margin tests: the memo's account and the default limits.
import type { LotInput, LotLimits } from "../../src/margin/allowed-lot.ts";

/** The memo's defaults: MAX_MARGIN_USAGE 0.92, MARGIN_SAFETY_FACTOR 0.9, DIR_CAP_RATIO 1.0, ... */
export const DEFAULT_LIMITS: LotLimits = {
  maxMarginUsage: 0.92,
  safetyFactor: 0.9,
  dirCapRatio: 1.0,
  minFreeMarginRatio: 0.01,
  allowHedgeOnLowMargin: true,
};

/** NAV 500,000 JPY, USD_JPY at 155, OANDA Japan's 4%, whole units, flat, net model. */
export function memoInput(over: Partial<LotInput> = {}): LotInput {
  return {
    side: "buy",
    long: 0,
    short: 0,
    nav: 500_000,
    conversion: 155,
    marginRate: 0.04,
    model: "net",
    unitsPrecision: 0,
    minUnits: 1,
    limits: DEFAULT_LIMITS,
    ...over,
  };
}
