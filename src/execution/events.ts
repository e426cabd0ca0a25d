// The order events execution publishes (src/core/order-events.ts). Synchronous on purpose: a
// reservation must be counted before the request leaves, and a fill applied before the next
// signal is sized, exactly as when execution called the account itself.
import type { OrderEvent, OrderEventListener } from "../core/order-events.ts";

export class OrderEvents {
  readonly #listeners: OrderEventListener[] = [];

  /** Follow every event from now on; returns the way to stop. */
  subscribe(listener: OrderEventListener): () => void {
    this.#listeners.push(listener);
    return () => {
      const i = this.#listeners.indexOf(listener);
      if (i >= 0) this.#listeners.splice(i, 1);
    };
  }

  /**
   * Every listener sees the event, in subscription order. A listener that throws fails the
   * publisher after the others have run (as a direct call would have failed it): execution never
   * sends an order whose reservation could not be counted.
   */
  publish(e: OrderEvent): void {
    let failure: unknown;
    let failed = false;
    for (const l of [...this.#listeners]) {
      try {
        l(e);
      } catch (err) {
        if (!failed) failure = err;
        failed = true;
      }
    }
    if (failed) throw failure;
  }
}
