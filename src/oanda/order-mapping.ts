// Our MarketOrderRequest -> OANDA's MarketOrderRequest JSON, and OANDA's answer -> OrderOutcome.
// Pure functions: the money-critical translation is testable without a server.
//
// Reading an answer: a 201 is not a fill. ORDER_FILL means filled (for IOC possibly partly,
// with an ORDER_CANCEL for the rest); ORDER_CANCEL alone means cancelled (MARKET_HALTED,
// BOUNDS_VIOLATION, INSUFFICIENT_MARGIN, ...); a 4xx with an *_REJECT transaction or an errorCode
// means rejected (never executed). Anything we cannot read with certainty is `unknown`, which
// makes the gate look the order up by client id before anything is sent again.
import type { MarketOrderRequest, OrderLookup, OrderOutcome } from "../core/orders.ts";
import type { InstrumentSpec } from "../core/types.ts";
import { formatPrice } from "../core/instruments.ts";
import { formatUnits } from "./decimal.ts";
import { orderCreateResponse, orderFillTransaction, errorBody, type Order, type OrderFillTransaction, type OrderCancelTransaction } from "./schemas.ts";
import { errorMessage } from "../core/error-message.ts";

/** OANDA's MarketOrderRequest (v20 spec definition `MarketOrderRequest`), as sent. */
export interface OandaMarketOrderJson {
  type: "MARKET";
  instrument: string;
  units: string;
  timeInForce: "FOK" | "IOC";
  priceBound?: string;
  positionFill: MarketOrderRequest["positionFill"];
  clientExtensions: { id: string; tag: string; comment: string };
  tradeClientExtensions: { id: string; tag: string; comment: string };
  takeProfitOnFill?: { price: string };
  stopLossOnFill?: { price: string };
}

class OrderRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OrderRequestError";
  }
}

/** Bad input caught before sending: nothing was sent, so this is a definite rejection. */
function rejectedBeforeSending(reason: string, error: string): Extract<OrderOutcome, { kind: "rejected" }> {
  return { kind: "rejected", reason, errorCode: "INVALID_REQUEST", httpStatus: 0, raw: { error } };
}

/**
 * The units of PUT /trades/{tradeId}/close as sent ("ALL", or a positive magnitude as a plain
 * decimal string: the broker checks precision), or the rejection of bad input (an empty trade
 * id, units not a positive finite number), in which case nothing may be sent.
 */
export function tradeCloseUnits(tradeId: string, units: number | "ALL"): { units: string } | { rejected: Extract<OrderOutcome, { kind: "rejected" }> } {
  const bad = (msg: string) => ({ rejected: rejectedBeforeSending(`INVALID_REQUEST: ${msg}`, msg) });
  if (!tradeId || tradeId === "@") return bad("tradeId is empty");
  if (units === "ALL") return { units: "ALL" };
  if (!Number.isFinite(units) || units <= 0) return bad(`units must be a positive number or "ALL" (got ${units})`);
  let p = 0;
  while (p < 10 && Number(units.toFixed(p)) !== units) p++;
  return { units: formatUnits(units, p) };
}

/**
 * The body of POST /v3/accounts/{id}/orders, or the definite rejection of bad input, in which
 * case nothing may be sent: the client and the in-process venue both send through this. `spec`
 * is asked inside, so an unknown instrument is a rejection too (with its own message).
 */
export function orderBodyOrRejection(req: MarketOrderRequest, spec: () => InstrumentSpec): { body: { order: OandaMarketOrderJson } } | { rejected: Extract<OrderOutcome, { kind: "rejected" }> } {
  try {
    return { body: toOandaOrderBody(req, spec()) };
  } catch (e) {
    const msg = errorMessage(e);
    return { rejected: rejectedBeforeSending(e instanceof OrderRequestError ? `INVALID_REQUEST: ${msg}` : msg, msg) };
  }
}

/** Build the body of POST /v3/accounts/{id}/orders. Throws OrderRequestError on bad input (nothing is sent). */
export function toOandaOrderBody(req: MarketOrderRequest, spec: InstrumentSpec): { order: OandaMarketOrderJson } {
  if (!req.clientId || req.clientId.length > 128) throw new OrderRequestError(`clientId must be 1..128 characters (got ${req.clientId.length})`);
  if (req.side !== "buy" && req.side !== "sell") throw new OrderRequestError(`side must be buy or sell (got ${String(req.side)})`);
  if (!Number.isFinite(req.units) || req.units <= 0) throw new OrderRequestError(`units must be a positive number (got ${req.units})`);
  const units = formatUnits(req.side === "buy" ? req.units : -req.units, spec.tradeUnitsPrecision);
  if (Number(units) === 0) throw new OrderRequestError(`units ${req.units} round to 0 at precision ${spec.tradeUnitsPrecision}`);
  const order: OandaMarketOrderJson = {
    type: "MARKET",
    instrument: req.instrument,
    units,
    timeInForce: req.timeInForce,
    positionFill: req.positionFill,
    clientExtensions: { id: req.clientId, tag: req.tag, comment: req.comment },
    // OANDA puts `clientExtensions` on the order only; the trade an order opens gets
    // `tradeClientExtensions`. Same id and tag, so an open trade still names its pocket and
    // strategy (and can be addressed as @<clientId>) after a restart.
    tradeClientExtensions: { id: req.clientId, tag: req.tag, comment: req.comment },
  };
  if (req.priceBound !== undefined) order.priceBound = boundPrice(req.priceBound, req.side, spec);
  if (req.takeProfitPrice !== undefined) order.takeProfitOnFill = { price: checkedPrice(req.takeProfitPrice, "takeProfitPrice", spec) };
  if (req.stopLossPrice !== undefined) order.stopLossOnFill = { price: checkedPrice(req.stopLossPrice, "stopLossPrice", spec) };
  return { order };
}

function checkedPrice(p: number, field: string, spec: InstrumentSpec): string {
  if (!Number.isFinite(p) || p <= 0) throw new OrderRequestError(`${field} must be a positive price (got ${p})`);
  return formatPrice(spec, p);
}

/**
 * The bound at display precision, rounded toward the stricter side: a buy's highest acceptable
 * price is rounded down, a sell's lowest acceptable price up. Rounding can only cause a
 * BOUNDS_VIOLATION cancel, never a worse fill than the gate allowed.
 */
export function boundPrice(p: number, side: "buy" | "sell", spec: InstrumentSpec): string {
  if (!Number.isFinite(p) || p <= 0) throw new OrderRequestError(`priceBound must be a positive price (got ${p})`);
  const f = 10 ** spec.displayPrecision;
  const scaled = p * f;
  // The epsilon absorbs binary noise (157.123 * 1000 = 157122.99999999997).
  const r = side === "buy" ? Math.floor(scaled + 1e-6) : Math.ceil(scaled - 1e-6);
  return (r / f).toFixed(spec.displayPrecision);
}

/** Map the fill transaction to our outcome. */
export function fillOutcome(fill: OrderFillTransaction, raw: unknown, lastTransactionID?: string): Extract<OrderOutcome, { kind: "filled" }> {
  const tradeIds = [
    ...(fill.tradeOpened ? [fill.tradeOpened.tradeID] : []),
    ...(fill.tradeReduced ? [fill.tradeReduced.tradeID] : []),
    ...(fill.tradesClosed ?? []).map((t) => t.tradeID),
  ];
  const price = fill.price ?? fill.fullVWAP ?? fill.tradeOpened?.price ?? fill.tradeReduced?.price ?? fill.tradesClosed?.[0]?.price;
  if (price === undefined) throw new Error(`ORDER_FILL ${fill.id} carries no price`);
  return {
    kind: "filled",
    orderId: fill.orderID,
    transactionId: fill.id,
    tradeIds,
    price,
    units: Math.abs(fill.units),
    time: fill.time,
    lastTransactionID,
    raw,
  };
}

export function cancelOutcome(c: OrderCancelTransaction, raw: unknown): Extract<OrderOutcome, { kind: "cancelled" }> {
  return { kind: "cancelled", orderId: c.orderID, transactionId: c.id, reason: c.reason, raw };
}

/** Read the broker's answer to an order POST. Never throws. */
export function outcomeFromOrderResponse(status: number, body: unknown): OrderOutcome {
  if (status >= 200 && status < 300) {
    const r = orderCreateResponse.safeParse(body);
    if (!r.success) {
      // It was accepted but we cannot read what happened: the order may be filled.
      return { kind: "unknown", error: `HTTP ${status} with an unreadable body: ${r.error.issues[0]?.message ?? "invalid"}` };
    }
    const b = r.data;
    if (b.orderFillTransaction) {
      try {
        return fillOutcome(b.orderFillTransaction, body, b.lastTransactionID);
      } catch (e) {
        return { kind: "unknown", error: (e as Error).message };
      }
    }
    if (b.orderCancelTransaction) return cancelOutcome(b.orderCancelTransaction, body);
    if (b.orderRejectTransaction) {
      return { kind: "rejected", reason: b.orderRejectTransaction.rejectReason ?? b.orderRejectTransaction.type, errorCode: b.errorCode ?? b.orderRejectTransaction.rejectReason, httpStatus: status, raw: body };
    }
    // Created but neither filled nor cancelled (not expected for FOK/IOC): the lookup settles it.
    return { kind: "unknown", error: `HTTP ${status} without a fill or cancel transaction` };
  }
  if (status === 429) {
    // Throttled before processing: not executed. The gate decides whether to send again (same client id).
    const e = errorBody.safeParse(body);
    return { kind: "rejected", reason: "RATE_LIMITED", errorCode: (e.success && e.data.errorCode) || "RATE_LIMITED", httpStatus: status, raw: body };
  }
  if (status >= 400 && status < 500 && status !== 408) {
    const r = orderCreateResponse.safeParse(body);
    const b = r.success ? r.data : undefined;
    const rejectReason = b?.orderRejectTransaction?.rejectReason;
    const errorCode = b?.errorCode ?? rejectReason;
    return { kind: "rejected", reason: rejectReason ?? errorCode ?? b?.errorMessage ?? `HTTP ${status}`, errorCode, httpStatus: status, raw: body };
  }
  // 5xx (and 408): the broker or a proxy failed somewhere; the order may have been executed.
  const e = errorBody.safeParse(body);
  const msg = e.success ? (e.data.errorMessage ?? e.data.errorCode) : undefined;
  return { kind: "unknown", error: `HTTP ${status}${msg ? `: ${msg}` : ""}` };
}

/** Build an OrderLookup from GET /orders/@clientId plus the filling or cancelling transaction. */
export function lookupFromOrder(order: Order, raw: unknown, fill?: OrderFillTransaction, cancel?: OrderCancelTransaction): Extract<OrderLookup, { found: true }> {
  return {
    found: true,
    state: order.state,
    orderId: order.id,
    fill: fill ? fillOutcome(fill, raw) : undefined,
    cancelReason: cancel?.reason,
    raw,
  };
}

/**
 * The trade-close fills (ORDER_FILL, reason MARKET_ORDER_TRADE_CLOSE) among `transactions` whose
 * tradeReduced or tradesClosed name `tradeId`, in the order given. Throws when such a fill cannot
 * be read: an unreadable fill must not pass for "no fill".
 */
export function tradeCloseFillsIn(transactions: readonly unknown[], tradeId: string, lastTransactionID?: string): Extract<OrderOutcome, { kind: "filled" }>[] {
  const out: Extract<OrderOutcome, { kind: "filled" }>[] = [];
  for (const t of transactions) {
    const tx = t as { type?: unknown; reason?: unknown; id?: unknown };
    if (tx?.type !== "ORDER_FILL" || tx.reason !== "MARKET_ORDER_TRADE_CLOSE") continue;
    const r = orderFillTransaction.safeParse(t);
    if (!r.success) throw new Error(`ORDER_FILL ${String(tx.id)} is unreadable: ${r.error.issues[0]?.message ?? "invalid"}`);
    const fill = r.data;
    if (fill.tradeReduced?.tradeID === tradeId || (fill.tradesClosed ?? []).some((c) => c.tradeID === tradeId)) out.push(fillOutcome(fill, t, lastTransactionID));
  }
  return out;
}
