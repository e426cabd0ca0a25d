// A client's MARKET order from request to outcome: validation (reject, 400), the MARKET_ORDER
// transaction, then a cancel (halted, bounds, nothing to reduce, margin) or the fill with its
// TP/SL orders (201). The fill price is the quote moved by the scenario's slippage.
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

export interface PlaceOptions {
  /** Fill at this price (a scenario's starting position), with no slippage. */
  fillPrice?: number;
}

export function placeMarketOrder(ledger: Ledger, order: Json, reason: "CLIENT_ORDER", opts: PlaceOptions = {}): OrderResult {
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
  if (!ledger.tradeable(instrument)) return cancel("MARKET_HALTED");
  const fillPrice = opts.fillPrice ?? ledger.marketFillPrice(instrument, units > 0);
  if (priceBound !== undefined && (units > 0 ? fillPrice > priceBound + 1e-12 : fillPrice < priceBound - 1e-12)) return cancel("BOUNDS_VIOLATION");
  const plan = planFill(ledger, instrument, units, positionFill);
  if (plan.closes.length === 0 && plan.open === 0) return cancel(REDUCE_ONLY_NOTHING_TO_REDUCE);
  if (!marginAllows(ledger, instrument, plan, p)) return cancel("INSUFFICIENT_MARGIN");
  const tp = createFields.takeProfitOnFill as Json | undefined;
  const sl = createFields.stopLossOnFill as Json | undefined;
  const slPrice = sl === undefined ? undefined : sl.price !== undefined ? Number(sl.price) : fillPrice + (units > 0 ? -1 : 1) * Number(sl.distance);
  if (plan.open !== 0) {
    const why = onFillLoss(plan.open > 0, plan.open > 0 ? p.bid : p.ask, fillPrice, tp ? Number(tp.price) : undefined, slPrice);
    if (why) return cancel(why);
  }

  const fill = executeFill(ledger, { order: orderRec, instrument, price: fillPrice, plan, reason: "MARKET_ORDER", batch, requestID, tradeClientExtensions: v.order.tradeClientExtensions });
  related.push(fill.id);
  related.push(...cancelLinked(ledger, fill, batch, requestID));
  const opened = fill.tradeOpened as Json | undefined;
  if (opened) {
    const trade = ledger.trades.get(String(opened.tradeID))!;
    if (tp) related.push(createDependent(ledger, "TAKE_PROFIT", trade, tp, fill.id, batch, requestID).id);
    if (sl) related.push(createDependent(ledger, "STOP_LOSS", trade, { ...sl, price: fmtPrice(spec, slPrice!) }, fill.id, batch, requestID).id);
  }
  return respond({ orderFillTransaction: fill });
}

/**
 * OANDA cancels an order whose take-profit or stop-loss on fill would be filled at once,
 * closing the new trade at a loss: TAKE_PROFIT_ON_FILL_LOSS / STOP_LOSS_ON_FILL_LOSS. A long
 * closes at the bid, a short at the ask; TP triggers when that price reaches it from below
 * (long) or above (short), SL the other way round.
 */
function onFillLoss(long: boolean, closeAt: number, fillPrice: number, tp: number | undefined, sl: number | undefined): string | undefined {
  const atLoss = long ? closeAt < fillPrice : closeAt > fillPrice;
  if (!atLoss) return undefined;
  if (tp !== undefined && (long ? closeAt >= tp : closeAt <= tp)) return "TAKE_PROFIT_ON_FILL_LOSS";
  if (sl !== undefined && (long ? closeAt <= sl : closeAt >= sl)) return "STOP_LOSS_ON_FILL_LOSS";
  return undefined;
}
