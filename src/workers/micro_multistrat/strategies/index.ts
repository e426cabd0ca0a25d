// The registry: every strategy named in MICRO_STRATEGIES (src/config/schema.ts), with defaults.
import type { MicroStrategyName, Strategy } from "../strategy.ts";
import { momentumBurst } from "./momentum_burst.ts";
import { pullbackEma } from "./pullback_ema.ts";
import { rangeBreak } from "./range_break.ts";
import { trendMomentum } from "./trend_momentum.ts";
import { vwapBand } from "./vwap_band.ts";

export function defaultStrategies(): Record<MicroStrategyName, Strategy<object>> {
  return {
    momentum_burst: momentumBurst(),
    pullback_ema: pullbackEma(),
    range_break: rangeBreak(),
    vwap_band: vwapBand(),
    trend_momentum: trendMomentum(),
  };
}

export { momentumBurst, pullbackEma, rangeBreak, trendMomentum, vwapBand };
