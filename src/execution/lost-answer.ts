// A write to the broker and what follows when its answer is lost: the order counts at full
// size, and the broker is asked what became of it, with backoff. Nothing is ever resent from
// here: an order the broker has not seen may still be on its way, and a second request is
// exactly the double order the gate exists to prevent.
import type { MarketOrderRequest, OrderLookup, OrderOutcome } from "../core/orders.ts";
import type { SettledOrder } from "../core/order-events.ts";
import type { ExecutionContext } from "./context.ts";
import { settle } from "./settle.ts";
import { errorMessage } from "../core/error-message.ts";

/** Backoff between lookups of an order whose response was lost. */
const LOOKUP_DELAYS_MS = [250, 1000, 3000];

/** One write to the broker, bounded by ORDER_TIMEOUT_MS. */
export function send(cx: ExecutionContext, write: (signal: AbortSignal) => Promise<OrderOutcome>): Promise<OrderOutcome> {
  return sendBounded(cx, write, (error) => ({ kind: "unknown", error }));
}

/**
 * One write to the broker bounded by ORDER_TIMEOUT_MS, whatever its answer (a position close
 * answers for two orders): anything thrown after the request may have left is `lost(error)`,
 * an unknown, never a failure. The timer is armed once `write` returns (the broker client has
 * written the request by then, src/oanda/http.ts): setting a timer costs tens of microseconds on
 * Deno, and that is not spent between the tick and the POST.
 */
export async function sendBounded<T>(cx: ExecutionContext, write: (signal: AbortSignal) => Promise<T>, lost: (error: string) => T): Promise<T> {
  const abort = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const answer = write(abort.signal);
    timer = setTimeout(() => abort.abort(new DOMException(`no answer within ORDER_TIMEOUT_MS (${cx.d.orderTimeoutMs} ms)`, "TimeoutError")), cx.d.orderTimeoutMs);
    return await answer;
  } catch (e) {
    return lost(errorMessage(e));
  } finally {
    clearTimeout(timer);
  }
}

/** Record that the answer was lost: the order counts at full size until its fate is proven. */
export async function markUnknown(cx: ExecutionContext, clientId: string, error: string): Promise<void> {
  await cx.d.orders.advance(clientId, "unknown", { error });
  cx.events.publish({ type: "fate_unknown", clientId });
}

/**
 * Ask the broker what became of a write whose answer was lost. Unresolved orders stay `unknown`
 * (and keep counting as position) until the periodic reconciliation settles them.
 */
export async function pollLostAnswer(cx: ExecutionContext, settleIfKnown: () => Promise<SettledOrder | undefined>): Promise<SettledOrder | undefined> {
  for (const delay of LOOKUP_DELAYS_MS) {
    await cx.sleep(delay);
    const settled = await settleIfKnown();
    if (settled) return settled;
  }
  return undefined;
}

/** The order as the broker knows it by client id (`@<clientId>`); "error" when it cannot answer. */
export async function lookup(cx: ExecutionContext, clientId: string): Promise<OrderLookup | "error"> {
  try {
    return await cx.d.broker.lookupOrderByClientId(clientId);
  } catch (e) {
    cx.d.log.warn({ event: "order_lookup_failed", clientId, err: String(e) });
    return "error";
  }
}

/** Settle from a lookup that found the order filled or cancelled; undefined while it is neither. */
export async function settleLookup(cx: ExecutionContext, req: MarketOrderRequest, found: Extract<OrderLookup, { found: true }>): Promise<SettledOrder | undefined> {
  if (found.state === "FILLED" && found.fill) return settle(cx, req, found.fill, "lookup");
  if (found.state === "CANCELLED") {
    return settle(cx, req, { kind: "cancelled", orderId: found.orderId, reason: found.cancelReason ?? "CANCELLED", raw: found.raw }, "lookup");
  }
  return undefined;
}

/** Look an order up by client id until the broker answers (see pollLostAnswer), and settle it. */
export function settleByLookups(cx: ExecutionContext, req: MarketOrderRequest): Promise<SettledOrder | undefined> {
  return pollLostAnswer(cx, async () => {
    const found = await lookup(cx, req.clientId);
    return found === "error" || !found.found ? undefined : settleLookup(cx, req, found);
  });
}

/**
 * The fill of this close request: a fill closing the trade after the request was journaled,
 * of a broker order no other journal row has claimed (a close is matched by its own order,
 * never by "any close of that trade since"; the gate sends one close per trade at a time).
 */
export async function tradeCloseFill(cx: ExecutionContext, clientId: string, tradeId: string, sinceTransactionID: string): Promise<Extract<OrderOutcome, { kind: "filled" }> | undefined> {
  try {
    for (const fill of (await cx.d.broker.tradeCloseFills?.(tradeId, sinceTransactionID)) ?? []) {
      const owner = await cx.d.orders.findByOandaOrderId(fill.orderId);
      if (!owner || owner.clientId === clientId) return fill;
    }
    return undefined;
  } catch (e) {
    cx.d.log.warn({ event: "trade_close_lookup_failed", tradeId, err: String(e) });
    return undefined;
  }
}
