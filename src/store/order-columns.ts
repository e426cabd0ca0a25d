// An order row between the journal's columns and the repository's fields: read (orderFromRow),
// patched (patchColumns) and its status checked (checkStatus), for the journal, its readers and
// replay's journal in memory alike.
import type { Selectable, Updateable } from "kysely";
import { ORDER_STATUSES, type OrderStatus } from "../core/orders.ts";
import { toJsonText } from "./json.ts";
import { isOrderStatus } from "./lifecycle.ts";
import { finite, JournalInputError } from "./input-error.ts";
import type { OrdersTable } from "./tables.ts";
import type { JournalScope, OrderPatch, OrderRow } from "./types.ts";

export function orderFromRow(r: Selectable<OrdersTable>): OrderRow {
  return {
    id: r.id,
    clientId: r.client_id,
    signalId: r.signal_id,
    worker: r.worker,
    strategy: r.strategy,
    pocket: r.pocket,
    instrument: r.instrument,
    side: r.side,
    requestedUnits: r.requested_units,
    filledUnits: r.filled_units,
    reduceOnly: Number(r.reduce_only) === 1,
    positionFill: r.position_fill,
    priceBound: r.price_bound,
    tpPrice: r.tp_price,
    slPrice: r.sl_price,
    status: r.status,
    oandaOrderId: r.oanda_order_id,
    oandaTradeId: r.oanda_trade_id,
    oandaTransactionId: r.oanda_transaction_id,
    fillPrice: r.fill_price,
    cancelReason: r.cancel_reason,
    rejectReason: r.reject_reason,
    errorCode: r.error_code,
    error: r.error,
    note: r.note,
    requestJson: r.request_json,
    responseJson: r.response_json,
    intentAt: r.intent_at,
    submittedAt: r.submitted_at,
    unknownAt: r.unknown_at,
    filledAt: r.filled_at,
    cancelledAt: r.cancelled_at,
    rejectedAt: r.rejected_at,
    reconciledAt: r.reconciled_at,
    updatedAt: r.updated_at,
    accountId: r.account_id ?? null,
    mode: (r.mode as JournalScope["mode"] | null) ?? null,
  };
}

export function patchColumns(p: OrderPatch | undefined): Updateable<OrdersTable> {
  const out: Updateable<OrdersTable> = {};
  if (!p) return out;
  if (p.requestJson !== undefined) out.request_json = toJsonText(p.requestJson);
  if (p.responseJson !== undefined) out.response_json = toJsonText(p.responseJson);
  if (p.filledUnits !== undefined) out.filled_units = finite("filledUnits", p.filledUnits);
  if (p.fillPrice !== undefined) out.fill_price = finite("fillPrice", p.fillPrice);
  if (p.oandaOrderId !== undefined) out.oanda_order_id = p.oandaOrderId;
  if (p.oandaTradeId !== undefined) out.oanda_trade_id = p.oandaTradeId;
  if (p.oandaTransactionId !== undefined) out.oanda_transaction_id = p.oandaTransactionId;
  if (p.cancelReason !== undefined) out.cancel_reason = p.cancelReason;
  if (p.rejectReason !== undefined) out.reject_reason = p.rejectReason;
  if (p.errorCode !== undefined) out.error_code = p.errorCode;
  if (p.error !== undefined) out.error = p.error;
  if (p.note !== undefined) out.note = p.note;
  return out;
}

/** A status the journal knows, or JournalInputError naming the ones it does. */
export function checkStatus(s: unknown): asserts s is OrderStatus {
  if (typeof s !== "string" || !isOrderStatus(s)) throw new JournalInputError(`status must be one of ${ORDER_STATUSES.join(", ")} (got ${String(s)})`);
}
