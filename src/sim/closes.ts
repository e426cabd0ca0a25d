// Closes the client asks for: a position (PUT /positions/{instrument}/close with longUnits and
// shortUnits, both in one request if wanted) and a single trade (PUT /trades/{specifier}/close).
// Both validate the whole request before executing any of it; fills slip like client orders.
import { fmtUnits } from "./format.ts";
import type { Ledger } from "./ledger.ts";
import { cancelLinked, cancelOrder } from "./dependents.ts";
import { executeFill, newMarketOrder, planFill } from "./fills.ts";
import { type FillPlan, isDecimal, type Json, type OrderResult, pick, rejectMessage } from "./types.ts";

/** PUT /positions/{instrument}/close with `{ longUnits, shortUnits }` ("ALL", "NONE" or a number). */
export function closePosition(ledger: Ledger, instrument: string, body: unknown): OrderResult {
  const b = (body && typeof body === "object" ? body : {}) as Json;
  if (!ledger.hasInstrument(instrument)) {
    return { status: 404, body: { errorMessage: `Invalid value specified for 'instrument'`, errorCode: "INSTRUMENT_UNKNOWN" } };
  }
  const longSpec = b.longUnits ?? "NONE";
  const shortSpec = b.shortUnits ?? "NONE";
  if (longSpec === "NONE" && shortSpec === "NONE") {
    return closeReject(ledger, instrument, "long", longSpec, "CLOSEOUT_POSITION_INCOMPLETE_SPECIFICATION");
  }
  const e = ledger.exposure(instrument);
  const out: Json = {};
  const related: string[] = [];
  const sides: ["long" | "short", unknown, number][] = [["long", longSpec, e.long], ["short", shortSpec, e.short]];
  // Validate both sides before executing either: a request is done whole or not at all.
  const plans: { side: "long" | "short"; units: number }[] = [];
  for (const [side, spec, held] of sides) {
    if (spec === "NONE") continue;
    let units: number;
    if (spec === "ALL") units = held;
    else if (typeof spec === "string" && isDecimal(spec) && Number(spec) > 0) units = Number(spec);
    else return closeReject(ledger, instrument, side, spec, "CLOSEOUT_POSITION_PARTIAL_UNITS_MISSING");
    if (held <= 0) return closeReject(ledger, instrument, side, spec, "CLOSEOUT_POSITION_DOESNT_EXIST");
    if (units > held) return closeReject(ledger, instrument, side, spec, "CLOSEOUT_POSITION_UNITS_EXCEED_POSITION_SIZE");
    plans.push({ side, units });
  }
  for (const { side, units } of plans) {
    const signed = side === "long" ? -units : units;
    const spec = side === "long" ? longSpec : shortSpec;
    const key = side === "long" ? "longPositionCloseout" : "shortPositionCloseout";
    const batch = ledger.nextBatch();
    const requestID = ledger.requestId();
    // longClientExtensions / shortClientExtensions name the closing order, as at OANDA, so the
    // client can look it up by @id when the answer is lost.
    const ce = b[side === "long" ? "longClientExtensions" : "shortClientExtensions"];
    const create = ledger.tx("MARKET_ORDER", {
      instrument, units: fmtUnits(ledger.spec(instrument), signed), timeInForce: "FOK", positionFill: "REDUCE_ONLY", reason: "POSITION_CLOSEOUT",
      [key]: { instrument, units: String(spec) },
      ...(ce && typeof ce === "object" ? { clientExtensions: pick(ce as Json, ["id", "tag", "comment"]) } : {}),
    }, batch, requestID);
    related.push(create.id);
    const order = newMarketOrder(ledger, create);
    const prefix = side === "long" ? "long" : "short";
    out[`${prefix}OrderCreateTransaction`] = create;
    if (!ledger.tradeable(instrument)) {
      const cancel = cancelOrder(ledger, order, "MARKET_HALTED", batch, requestID);
      related.push(cancel.id);
      out[`${prefix}OrderCancelTransaction`] = cancel;
      continue;
    }
    const plan = planFill(ledger, instrument, signed, "REDUCE_ONLY");
    const fill = executeFill(ledger, { order, instrument, price: ledger.marketFillPrice(instrument, signed > 0), plan, reason: "MARKET_ORDER_POSITION_CLOSEOUT", batch, requestID });
    related.push(fill.id, ...cancelLinked(ledger, fill, batch, requestID));
    out[`${prefix}OrderFillTransaction`] = fill;
  }
  return { status: 200, body: { ...out, relatedTransactionIDs: related, lastTransactionID: ledger.lastTransactionID } };
}

/**
 * PUT /trades/{tradeSpecifier}/close with `{ units: "ALL" | "<decimal>" }` (absent units = ALL).
 * Closes exactly that trade (FIFO does not apply) at the bid for a long, the ask for a short,
 * with a MARKET_ORDER (reason TRADE_CLOSE, tradeClose) and its ORDER_FILL
 * (MARKET_ORDER_TRADE_CLOSE) or ORDER_CANCEL (MARKET_HALTED). Bad units and units beyond the
 * trade's size are rejected (400, MARKET_ORDER_REJECT); an unknown or closed trade is 404.
 */
export function closeTrade(ledger: Ledger, tradeSpecifier: string, body: unknown): OrderResult {
  const b = (body && typeof body === "object" ? body : {}) as Json;
  const t = ledger.tradeBySpecifier(tradeSpecifier);
  if (!t || t.currentUnits === 0) {
    return { status: 404, body: { errorMessage: "The Trade specified does not exist", errorCode: "NO_SUCH_TRADE", lastTransactionID: ledger.lastTransactionID } };
  }
  const spec = ledger.spec(t.instrument);
  const raw = b.units ?? "ALL";
  const unitsSpec = typeof raw === "number" ? String(raw) : raw;
  const tradeClose: Json = { tradeID: t.id, ...(t.clientExtensions?.id ? { clientTradeID: t.clientExtensions.id } : {}), units: String(unitsSpec) };
  const requestID = ledger.requestId();
  const batch = ledger.nextBatch();
  const held = Math.abs(t.currentUnits);
  const reject = (rejectReason: string): OrderResult => {
    const tx = ledger.tx("MARKET_ORDER_REJECT", {
      instrument: t.instrument, timeInForce: "FOK", positionFill: "REDUCE_ONLY", reason: "TRADE_CLOSE", tradeClose, rejectReason,
    }, batch, requestID);
    return {
      status: 400,
      body: { orderRejectTransaction: tx, relatedTransactionIDs: [tx.id], lastTransactionID: ledger.lastTransactionID, errorCode: rejectReason, errorMessage: rejectMessage(rejectReason) },
    };
  };
  let units: number;
  if (unitsSpec === "ALL") units = held;
  else if (typeof unitsSpec === "string" && isDecimal(unitsSpec.trim()) && Number(unitsSpec) > 0) units = Number(unitsSpec);
  else return reject("UNITS_INVALID");
  const f = 10 ** spec.tradeUnitsPrecision;
  if (Math.abs(units * f - Math.round(units * f)) > 1e-9) return reject("UNITS_PRECISION_EXCEEDED");
  if (units > held + 1e-9) return reject("CLOSE_TRADE_UNITS_EXCEED_TRADE_SIZE");

  const signed = t.currentUnits > 0 ? -units : units;
  const create = ledger.tx("MARKET_ORDER", {
    instrument: t.instrument, units: fmtUnits(spec, signed), timeInForce: "FOK", positionFill: "REDUCE_ONLY", reason: "TRADE_CLOSE", tradeClose,
  }, batch, requestID);
  const order = newMarketOrder(ledger, create);
  const related = [create.id];
  const respond = (extra: Json): OrderResult => ({
    status: 200,
    body: { orderCreateTransaction: create, ...extra, relatedTransactionIDs: related, lastTransactionID: ledger.lastTransactionID },
  });
  if (!ledger.tradeable(t.instrument)) {
    const cancel = cancelOrder(ledger, order, "MARKET_HALTED", batch, requestID);
    related.push(cancel.id);
    return respond({ orderCancelTransaction: cancel });
  }
  const plan: FillPlan = { closes: [{ trade: t, units }], open: 0 };
  const fill = executeFill(ledger, { order, instrument: t.instrument, price: ledger.marketFillPrice(t.instrument, t.currentUnits < 0), plan, reason: "MARKET_ORDER_TRADE_CLOSE", batch, requestID });
  related.push(fill.id, ...cancelLinked(ledger, fill, batch, requestID));
  return respond({ orderFillTransaction: fill });
}

function closeReject(ledger: Ledger, instrument: string, side: "long" | "short", spec: unknown, reason: string): OrderResult {
  const requestID = ledger.requestId();
  const batch = ledger.nextBatch();
  const tx = ledger.tx("MARKET_ORDER_REJECT", {
    instrument, timeInForce: "FOK", positionFill: "REDUCE_ONLY", reason: "POSITION_CLOSEOUT",
    [side === "long" ? "longPositionCloseout" : "shortPositionCloseout"]: { instrument, units: String(spec) }, rejectReason: reason,
  }, batch, requestID);
  return {
    status: 400,
    body: {
      [side === "long" ? "longOrderRejectTransaction" : "shortOrderRejectTransaction"]: tx,
      relatedTransactionIDs: [tx.id], lastTransactionID: ledger.lastTransactionID, errorCode: reason, errorMessage: rejectMessage(reason),
    },
  };
}
