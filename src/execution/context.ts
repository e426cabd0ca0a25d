// What every step of carrying an order out shares: the ports, the orders this process is
// executing right now (reconciliation leaves them alone), and the events it publishes.
import type { BrokerPort } from "../core/orders.ts";
import type { Clock } from "../core/types.ts";
import type { Logger } from "../core/log.ts";
import type { OrderEvents } from "./events.ts";
import type { ExecutionMetrics, OrderJournal } from "./ports.ts";

export interface ExecutionDeps {
  broker: BrokerPort;
  orders: OrderJournal;
  clock: Clock;
  log: Logger;
  metrics?: ExecutionMetrics;
  /** ORDER_TIMEOUT_MS: one write to the broker waits no longer for its answer. */
  orderTimeoutMs: number;
  /** Injectable for replay (simulated time never sleeps). */
  sleep?: (ms: number) => Promise<void>;
  /** lastTransactionID of the account picture in force: a trade close's lookups start after it. */
  lastTransactionId(): string | undefined;
}

export interface ExecutionContext {
  readonly d: ExecutionDeps;
  readonly sleep: (ms: number) => Promise<void>;
  /** Client ids of the orders this process is executing now. */
  readonly inFlight: Set<string>;
  readonly events: OrderEvents;
}

/** Run `fn` with these orders marked in flight, so a reconciliation pass never settles them meanwhile. */
export async function whileInFlight<T>(cx: ExecutionContext, clientIds: string[], fn: () => Promise<T>): Promise<T> {
  for (const id of clientIds) cx.inFlight.add(id);
  try {
    return await fn();
  } finally {
    for (const id of clientIds) cx.inFlight.delete(id);
  }
}
