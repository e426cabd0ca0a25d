// The order status life cycle as pure rules. Forward-only: a status may only be replaced by one
// of higher rank, so replays, retries and late answers can never move an order backwards.
//   intent(0) -> submitted(1) -> unknown(2) -> filled | cancelled | rejected(3) -> reconciled(4)
// Steps may be skipped (an intent can be filled directly when the answer comes back at once).
import type { OrderStatus } from "../core/orders.ts";
import { ORDER_STATUSES } from "../core/orders.ts";

export const STATUS_RANK: Record<OrderStatus, number> = {
  intent: 0,
  submitted: 1,
  unknown: 2,
  filled: 3,
  cancelled: 3,
  rejected: 3,
  reconciled: 4,
};

/** Statuses an order can still leave: the ones to reconcile with the broker at restart. */
export { UNSETTLED_STATUSES } from "../core/orders.ts";

export function canAdvance(from: OrderStatus, to: OrderStatus): boolean {
  return STATUS_RANK[to] > STATUS_RANK[from];
}

/** Statuses from which `to` is a forward move. */
export function statusesBefore(to: OrderStatus): OrderStatus[] {
  return ORDER_STATUSES.filter((s) => canAdvance(s, to));
}

/** The column that records when an order entered `status`. */
export function timestampColumn(status: OrderStatus):
  "intent_at" | "submitted_at" | "unknown_at" | "filled_at" | "cancelled_at" | "rejected_at" | "reconciled_at" {
  return `${status}_at` as const;
}

export function isOrderStatus(s: string): s is OrderStatus {
  return (ORDER_STATUSES as readonly string[]).includes(s);
}
