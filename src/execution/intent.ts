// Step one of every order: the intent is committed and its units counted before a byte of the
// request leaves the process, so a crash at any later point leaves a row to reconcile.
import type { MarketOrderRequest } from "../core/orders.ts";
import type { Signal } from "../core/types.ts";
import type { ExecutionContext } from "./context.ts";

/**
 * The intent committed, already as `submitted` (one statement, one commit: the request is sent
 * next, and reconciliation treats `intent` and `submitted` alike), then its units reserved: both
 * before the request leaves.
 */
export async function journalIntent(cx: ExecutionContext, req: MarketOrderRequest, s: Signal, positionFill: string, requestJson: string, tradeId?: string): Promise<void> {
  const reduceOnly = req.positionFill === "REDUCE_ONLY";
  const row = await cx.d.orders.insertIntent({
    clientId: req.clientId, signalId: s.id, worker: s.worker, strategy: s.strategy, pocket: s.pocket, instrument: req.instrument,
    side: req.side, requestedUnits: req.units, reduceOnly, positionFill,
    priceBound: req.priceBound, tpPrice: req.takeProfitPrice, slPrice: req.stopLossPrice, requestJson,
  }, "submitted");
  // The journal keeps the first row of a client id. Another request's row under this id (two
  // orders sharing an id) must stop this one: its fill would have no row of its own.
  if (row.signalId !== s.id || row.requestJson !== requestJson) throw new Error(`client id ${req.clientId} already names another order in the journal (signal ${row.signalId}): not sending a second order under it`);
  cx.events.publish({ type: "reserved", reservation: { clientId: req.clientId, instrument: req.instrument, side: req.side, units: req.units, reduceOnly, tradeId } });
}
