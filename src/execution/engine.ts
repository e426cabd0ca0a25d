// Execution: carries a decision of the gate to the broker. The gate decides (checks, sizing,
// reduce-only planning); execution journals the intent, submits, settles, looks up what became
// of a request whose answer was lost, and reconciles unsettled orders, publishing every step the
// rest of the node must know of as an order event (src/core/order-events.ts). As
// NautilusTrader's risk engine and execution engine. An order is never sent twice.
import type { MarketOrderRequest, TradeClose } from "../core/orders.ts";
import type { OrderEventListener, SettledOrder } from "../core/order-events.ts";
import type { Signal } from "../core/types.ts";
import type { ExecutionContext, ExecutionDeps } from "./context.ts";
import { OrderEvents } from "./events.ts";
import { delay } from "../core/async/delay.ts";
import { executeMarketOrder } from "./market-order.ts";
import { executePairClose, type PairCloseOrder } from "./pair-close.ts";
import { reconcileOnce } from "./reconcile.ts";
import { type RehearsedOrder, rehearseMarketOrder } from "./rehearsal.ts";
import { executeTradeCloses } from "./trade-close.ts";

export type { ExecutionDeps } from "./context.ts";
export type { RehearsedOrder } from "./rehearsal.ts";

/** What the gate hands over: the order it sized, and how the units come off when it closes. */
export type OrderCommand =
  | { kind: "market"; request: MarketOrderRequest }
  /** Reduce-only done by closing sekisho's own trades by id (manual trades stay). */
  | { kind: "trade_closes"; request: MarketOrderRequest; closes: TradeClose[] }
  /** Both sides of one instrument (a hedge-lock unwind, a flatten). */
  | { kind: "pair_close"; request: MarketOrderRequest; plan: PairCloseOrder };

export class ExecutionEngine {
  readonly #cx: ExecutionContext;
  #reconciling: Promise<void> | undefined;

  constructor(deps: ExecutionDeps) {
    this.#cx = {
      d: deps,
      sleep: deps.sleep ?? delay,
      inFlight: new Set(),
      events: new OrderEvents(),
    };
  }

  /** Follow the order events (reservations, fills, releases, each signal's settled order). */
  subscribe(listener: OrderEventListener): () => void {
    return this.#cx.events.subscribe(listener);
  }

  /** Carry one decision out; the settled order (or `unknown`, still counted) comes back. */
  execute(command: OrderCommand, s: Signal, detail: Record<string, unknown>): Promise<SettledOrder> {
    const cx = this.#cx;
    return command.kind === "pair_close"
      ? executePairClose(cx, command.request, command.plan, s, detail)
      : command.kind === "trade_closes"
      ? executeTradeCloses(cx, command.request, command.closes, s, detail)
      : executeMarketOrder(cx, command.request, s, detail);
  }

  /**
   * Rehearse a market order: build what carrying it out would write before its request leaves,
   * and write, send, reserve and publish nothing (src/execution/rehearsal.ts).
   */
  rehearse(request: MarketOrderRequest, s: Signal): RehearsedOrder {
    return rehearseMarketOrder(this.#cx, request, s);
  }

  /**
   * Publish that every order of a signal has its answer (`signal_settled`). The gate calls it once
   * the decision is recorded, so followers (workers) hear of it where the agent told them before.
   * Observers of a settled signal never change what became of it: their failures are logged.
   */
  signalSettled(order: SettledOrder, signal: Signal): void {
    try {
      this.#cx.events.publish({ type: "signal_settled", order, signal });
    } catch (e) {
      this.#cx.d.log.warn({ event: "signal_settled_listener_failed", clientId: order.clientId, err: String(e) });
    }
  }

  /**
   * Settle every unsettled journal row from what the broker knows (src/execution/reconcile.ts).
   * One pass at a time: two passes settling the same order would apply its fill twice.
   */
  reconcileUnsettled(minAgeMs = 0): Promise<void> {
    this.#reconciling ??= reconcileOnce(this.#cx, minAgeMs).finally(() => {
      this.#reconciling = undefined;
    });
    return this.#reconciling;
  }
}
