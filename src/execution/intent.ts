// Step one of every order: the intent is made durable and its units counted before a byte of the
// request leaves the process, so a crash at any later point leaves a row to reconcile. Durable
// either as the journal's row (journalIntent) or, where the journal keeps an intent log, as a line
// of it whose row is written once the request has left (logIntent, then foldIntent).
import type { MarketOrderRequest } from "../core/orders.ts";
import type { Signal } from "../core/types.ts";
import type { ExecutionContext } from "./context.ts";
import type { NewOrderIntent } from "../core/journal-records.ts";

/**
 * The intent committed, already as `submitted` (one statement, one commit: the request is sent
 * next, and reconciliation treats `intent` and `submitted` alike), then its units reserved: both
 * before the request leaves.
 */
export async function journalIntent(cx: ExecutionContext, req: MarketOrderRequest, s: Signal, positionFill: string, requestJson: string, tradeId?: string): Promise<void> {
  const intent = intentOf(req, s, positionFill, requestJson);
  const row = await cx.d.orders.insertIntent(intent, "submitted");
  // The journal keeps the first row of a client id. Another request's row under this id (two
  // orders sharing an id) must stop this one: its fill would have no row of its own.
  if (row.signalId !== s.id || row.requestJson !== requestJson) throw new Error(`client id ${req.clientId} already names another order in the journal (signal ${row.signalId}): not sending a second order under it`);
  reserve(cx, intent, tradeId);
}

/** The intent's units counted as in flight (order event `reserved`), before the request leaves. */
function reserve(cx: ExecutionContext, intent: NewOrderIntent, tradeId?: string): void {
  cx.events.publish({ type: "reserved", reservation: { clientId: intent.clientId, instrument: intent.instrument, side: intent.side, units: intent.requestedUnits, reduceOnly: intent.reduceOnly, tradeId } });
}

export const intentOf = (req: MarketOrderRequest, s: Signal, positionFill: string, requestJson: unknown): NewOrderIntent => ({
  clientId: req.clientId, signalId: s.id, worker: s.worker, strategy: s.strategy, pocket: s.pocket, instrument: req.instrument,
  side: req.side, requestedUnits: req.units, reduceOnly: req.positionFill === "REDUCE_ONLY", positionFill,
  priceBound: req.priceBound, tpPrice: req.takeProfitPrice, slPrice: req.stopLossPrice, requestJson,
});

/**
 * The intent made durable in the journal's intent log and its units reserved, without waiting for
 * SQL; returns the step that writes the journal's row (foldIntent), to run right after the request
 * is written. Undefined where the journal keeps no log or already knows the client id: then
 * journalIntent.
 */
export function logIntent(cx: ExecutionContext, req: MarketOrderRequest, s: Signal, positionFill: string, requestJson: unknown): (() => Promise<void>) | undefined {
  const intent = intentOf(req, s, positionFill, requestJson);
  const logged = cx.d.orders.appendIntent?.(intent);
  if (!logged) return undefined;
  reserve(cx, intent);
  return logged.fold;
}

/**
 * Write the logged intent's row. A failure is logged, not thrown: the request has left, the line
 * stays in the log (the next start writes the row) and the broker's ledger adopts the order if its
 * fill or cancel arrives first; the log then takes no more intents, so the next order's intent goes
 * to the journal directly and fails there, before a request.
 */
export async function foldIntent(cx: ExecutionContext, fold: () => Promise<void>, clientId: string): Promise<void> {
  try {
    await fold();
  } catch (e) {
    cx.d.log.error({ event: "intent_fold_failed", clientId, err: String(e) }, "an order's request left but its journal row could not be written; its intent stays in the intent log");
  }
}
