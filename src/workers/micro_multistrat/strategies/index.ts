// The registry: every strategy named in MICRO_STRATEGIES (src/config/schema.ts), with its
// defaults or the parameters MICRO_STRATEGY_PARAMS sets.
import type { MicroStrategyParams } from "../../../config/schema.ts";
import type { MicroStrategyName, Strategy } from "../strategy.ts";
import { momentumBurst } from "./momentum_burst.ts";
import { pullbackEma } from "./pullback_ema.ts";
import { rangeBreak } from "./range_break.ts";
import { trendMomentum } from "./trend_momentum.ts";
import { vwapBand } from "./vwap_band.ts";

/** Every strategy, with `params` (MICRO_STRATEGY_PARAMS) over its defaults. */
export function defaultStrategies(params: MicroStrategyParams = {}): Record<MicroStrategyName, Strategy<object>> {
  return {
    momentum_burst: momentumBurst(params.momentum_burst),
    pullback_ema: pullbackEma(params.pullback_ema),
    range_break: rangeBreak(params.range_break),
    vwap_band: vwapBand(params.vwap_band),
    trend_momentum: trendMomentum(params.trend_momentum),
  };
}

export { momentumBurst, pullbackEma, rangeBreak, trendMomentum, vwapBand };
