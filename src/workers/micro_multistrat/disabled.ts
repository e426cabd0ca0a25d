// micro_multistrat switched off (MICRO_MULTISTRAT_ENABLED=0, the default): what the worker does
// then, without its strategies and their indicator library. The kernel builds the real worker
// only when it is switched on, so a node that never runs it (a replay, an agent with the default
// settings) does not evaluate trading-signals' modules at start-up. It answers as the real one
// answers when disabled: no signal and no skip for any candle, and the orders placed for it
// (none unless the journal holds some from when it was on) still counted.
import type { Clock } from "../../core/types.ts";
import { OrderBudget, type OrderCounts, type PlacedOrder } from "../order-budget.ts";
import type { MicroMultistratWorker, MicroResult } from "./worker.ts";

/** What the kernel and its nodes use of the worker. */
export type MicroWorker = Pick<MicroMultistratWorker, "onCandleClosed" | "orderCounts" | "notifyOrder" | "skipCounts">;

export class DisabledMicroWorker implements MicroWorker {
  readonly #budget: OrderBudget;

  constructor(private readonly d: { clock: Clock; pastOrders?: readonly PlacedOrder[] }) {
    this.#budget = new OrderBudget(d.pastOrders);
  }

  onCandleClosed(_instrument: string): MicroResult {
    return { signals: [], results: {} };
  }

  orderCounts(): OrderCounts {
    return this.#budget.counts(this.d.clock.now());
  }

  notifyOrder(_instrument: string): void {
    this.#budget.record(this.d.clock.now());
  }

  skipCounts(): Record<string, number> {
    return {};
  }
}
