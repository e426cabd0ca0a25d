// A client's MARKET order from request to outcome: validation (reject, 400), the MARKET_ORDER
// transaction, then a cancel (halted, bounds, nothing to reduce, margin) or the fill with its
// TP/SL orders (201).
import { fmtPrice } from "./format.ts";
import type { Ledger } from "./ledger.ts";
import { cancelLinked, cancelOrder, createDependent } from "./dependents.ts";
import { executeFill, marginAllows, newMarketOrder, planFill } from "./fills.ts";
import { rejectFields, validateMarketOrder } from "./order-validation.ts";
import { type Json, type OrderResult, rejectMessage } from "./types.ts";

/**
 * OANDA's OrderCancelReason has no dedicated value for "REDUCE_ONLY with nothing to reduce"
 * (v20 spec 3.0.25). We use the closest documented reason; see docs/simulator.md.
 */
export const REDUCE_ONLY_NOTHING_TO_REDUCE = "POSITION_CLOSEOUT_FAILED";

export function placeMarketOrder(ledger: Ledger, order: Json, reason: "CLIENT_ORDER", fillPriceOverride?: number): OrderResult {
  const requestID = ledger.requestId();
  const v = validateMarketOrder(ledger, order, reason);
  if (!v.ok) {
    const tx = ledger.tx("MARKET_ORDER_REJECT", { ...rejectFields(order), timeInForce: v.timeInForce, positionFill: v.positionFill, reason, rejectReason: v.rejectReason }, undefined, requestID);
    return {
      status: 400,
      body: { orderRejectTransaction: tx, relatedTransactionIDs: [tx.id], lastTransactionID: ledger.lastTransactionID, errorCode: v.rejectReason, errorMessage: rejectMessage(v.rejectReason) },
    };
  }
  const { instrument, spec, units, positionFill, priceBound, createFields } = v.order;
  const batch = ledger.nextBatch();
  const create = ledger.tx("MARKET_ORDER", createFields, batch, requestID);
  const orderRec = newMarketOrder(ledger, create);
  const related = [create.id];
  const respond = (extra: Json): OrderResult => ({
    status: 201,
    body: { orderCreateTransaction: create, ...extra, relatedTransactionIDs: related, lastTransactionID: ledger.lastTransactionID },
  });
  const cancel = (why: string) => {
    const tx = cancelOrder(ledger, orderRec, why, batch, requestID);
    related.push(tx.id);
    return respond({ orderCancelTransaction: tx });
  };

  const p = ledger.prices.get(instrument)!;
  if (!p.tradeable) return cancel("MARKET_HALTED");
  const fillPrice = fillPriceOverride ?? (units > 0 ? p.ask : p.bid);
  if (priceBound !== undefined && (units > 0 ? fillPrice > priceBound + 1e-12 : fillPrice < priceBound - 1e-12)) return cancel("BOUNDS_VIOLATION");
  const plan = planFill(ledger, instrument, units, positionFill);
  if (plan.closes.length === 0 && plan.open === 0) return cancel(REDUCE_ONLY_NOTHING_TO_REDUCE);
  if (!marginAllows(ledger, instrument, plan, p)) return cancel("INSUFFICIENT_MARGIN");

  const fill = executeFill(ledger, { order: orderRec, instrument, price: fillPrice, plan, reason: "MARKET_ORDER", batch, requestID, tradeClientExtensions: v.order.tradeClientExtensions });
  related.push(fill.id);
  related.push(...cancelLinked(ledger, fill, batch, requestID));
  const opened = fill.tradeOpened as Json | undefined;
  if (opened) {
    const trade = ledger.trades.get(String(opened.tradeID))!;
    if (createFields.takeProfitOnFill) related.push(createDependent(ledger, "TAKE_PROFIT", trade, createFields.takeProfitOnFill as Json, fill.id, batch, requestID).id);
    if (createFields.stopLossOnFill) {
      const s = createFields.stopLossOnFill as Json;
      const price = s.price !== undefined ? Number(s.price) : trade.price + (trade.currentUnits > 0 ? -1 : 1) * Number(s.distance);
      related.push(createDependent(ledger, "STOP_LOSS", trade, { ...s, price: fmtPrice(spec, price) }, fill.id, batch, requestID).id);
    }
  }
  return respond({ orderFillTransaction: fill });
}
