// Slippage of market fills: how far past the quote an order fills, always against the order
// (a buy fills higher, a sell lower), drawn from an exponential distribution with the
// scenario's mean and cap, on the instrument's price grid. Seeded, so a run replays exactly.
import type { InstrumentSpec } from "../core/types.ts";
import { seededRandom, type Random } from "./prng.ts";

export interface SlippageConfig {
  slippagePips: number;
  maxSlippagePips: number;
  seed: number;
}

export class Slippage {
  readonly #rand: Random;

  constructor(readonly config: SlippageConfig) {
    this.#rand = seededRandom(config.seed);
  }

  /** The fill price for a buy (at the ask) or a sell (at the bid), moved against the order. */
  fillPrice(spec: InstrumentSpec, quote: number, buy: boolean): number {
    const { slippagePips, maxSlippagePips } = this.config;
    if (slippagePips <= 0 || maxSlippagePips <= 0) return quote;
    const pips = Math.min(maxSlippagePips, -slippagePips * Math.log(1 - this.#rand()));
    const grid = 10 ** -spec.displayPrecision;
    const moved = Math.round((pips * 10 ** spec.pipLocation) / grid) * grid;
    const price = buy ? quote + moved : quote - moved;
    return Number(price.toFixed(spec.displayPrecision));
  }
}
