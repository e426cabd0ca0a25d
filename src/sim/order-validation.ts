// Checks a MARKET order request the way OANDA does before anything executes: each failure is a
// reject reason (MARKET_ORDER_REJECT, HTTP 400). What passes comes back parsed, with the fields
// of the MARKET_ORDER transaction the request will create.
import type { InstrumentSpec } from "../core/types.ts";
import { fmtPrice, fmtUnits } from "./format.ts";
import type { Ledger } from "./ledger.ts";
import { type ClientExtensions, decimalOf, type Json, pick, POSITION_FILLS, type PositionFillValue } from "./types.ts";

export interface ValidOrder {
  instrument: string;
  spec: InstrumentSpec;
  units: number;
  positionFill: PositionFillValue;
  priceBound?: number;
  tradeClientExtensions?: ClientExtensions;
  /** Fields of the MARKET_ORDER transaction (formatted as OANDA writes them). */
  createFields: Json;
}

export type Validation = { ok: true; order: ValidOrder } | { ok: false; rejectReason: string; timeInForce: unknown; positionFill: unknown };

export function validateMarketOrder(ledger: Ledger, order: Json, reason: string): Validation {
  const instrument = typeof order.instrument === "string" ? order.instrument : undefined;
  const tif = order.timeInForce ?? "FOK";
  const positionFill = (order.positionFill ?? "DEFAULT") as PositionFillValue;
  const ce = order.clientExtensions as ClientExtensions | undefined;
  const tce = order.tradeClientExtensions as ClientExtensions | undefined;
  const tp = order.takeProfitOnFill as Json | undefined;
  const sl = order.stopLossOnFill as Json | undefined;
  const spec = instrument && ledger.hasInstrument(instrument) ? ledger.spec(instrument) : undefined;
  const reject = (rejectReason: string): Validation => ({ ok: false, rejectReason, timeInForce: tif, positionFill });

  if (!instrument) return reject("INSTRUMENT_MISSING");
  if (!spec) return reject("INSTRUMENT_UNKNOWN");
  if (order.units === undefined || order.units === null || order.units === "") return reject("UNITS_MISSING");
  const units = decimalOf(order.units);
  if (units === undefined || units === 0) return reject("UNITS_INVALID");
  if (Math.abs(units * 10 ** spec.tradeUnitsPrecision - Math.round(units * 10 ** spec.tradeUnitsPrecision)) > 1e-9) return reject("UNITS_PRECISION_EXCEEDED");
  if (Math.abs(units) < spec.minimumTradeSize) return reject("UNITS_MIMIMUM_NOT_MET");
  if (tif !== "FOK" && tif !== "IOC") return reject("TIME_IN_FORCE_INVALID");
  if (!POSITION_FILLS.includes(positionFill)) return reject("ORDER_FILL_POSITION_ACTION_INVALID");
  let priceBound: number | undefined;
  if (order.priceBound !== undefined) {
    priceBound = decimalOf(order.priceBound);
    if (priceBound === undefined || priceBound <= 0) return reject("PRICE_BOUND_INVALID");
  }
  if (ce !== undefined) {
    if (typeof ce !== "object" || ce === null) return reject("CLIENT_ORDER_ID_INVALID");
    if (ce.id !== undefined && (typeof ce.id !== "string" || ce.id.length === 0 || ce.id.length > 128)) return reject("CLIENT_ORDER_ID_INVALID");
    if (ce.tag !== undefined && (typeof ce.tag !== "string" || ce.tag.length > 128)) return reject("CLIENT_ORDER_TAG_INVALID");
    if (ce.comment !== undefined && (typeof ce.comment !== "string" || ce.comment.length > 128)) return reject("CLIENT_ORDER_COMMENT_INVALID");
    if (ce.id && ledger.clientOrderIds.has(ce.id)) return reject("CLIENT_ORDER_ID_ALREADY_EXISTS");
  }
  if (tce !== undefined && tce !== null && tce.id !== undefined && (typeof tce.id !== "string" || tce.id.length > 128)) return reject("CLIENT_TRADE_ID_INVALID");
  if (tp !== undefined) {
    if (tp.price === undefined) return reject("TAKE_PROFIT_ON_FILL_PRICE_MISSING");
    const v = decimalOf(tp.price);
    if (v === undefined || v <= 0) return reject("TAKE_PROFIT_ON_FILL_PRICE_INVALID");
  }
  if (sl !== undefined) {
    if (sl.price !== undefined && sl.distance !== undefined) return reject("STOP_LOSS_ON_FILL_PRICE_AND_DISTANCE_BOTH_SPECIFIED");
    if (sl.price === undefined && sl.distance === undefined) return reject("STOP_LOSS_ON_FILL_PRICE_AND_DISTANCE_BOTH_MISSING");
    if (sl.price !== undefined && !(Number(decimalOf(sl.price)) > 0)) return reject("STOP_LOSS_ON_FILL_PRICE_INVALID");
    if (sl.distance !== undefined && !(Number(decimalOf(sl.distance)) > 0)) return reject("STOP_LOSS_ON_FILL_DISTANCE_INVALID");
  }

  const createFields: Json = { instrument, units: fmtUnits(spec, units), timeInForce: tif, positionFill, reason };
  if (priceBound !== undefined) createFields.priceBound = fmtPrice(spec, priceBound);
  if (ce) createFields.clientExtensions = pick(ce as Json, ["id", "tag", "comment"]);
  if (tp) createFields.takeProfitOnFill = { price: fmtPrice(spec, decimalOf(tp.price)!), timeInForce: tp.timeInForce ?? "GTC", ...(tp.clientExtensions ? { clientExtensions: tp.clientExtensions } : {}) };
  if (sl) {
    createFields.stopLossOnFill = {
      ...(sl.price !== undefined ? { price: fmtPrice(spec, decimalOf(sl.price)!) } : { distance: String(decimalOf(sl.distance)) }),
      timeInForce: sl.timeInForce ?? "GTC", ...(sl.clientExtensions ? { clientExtensions: sl.clientExtensions } : {}),
    };
  }
  if (tce) createFields.tradeClientExtensions = pick(tce as Json, ["id", "tag", "comment"]);
  return { ok: true, order: { instrument, spec, units, positionFill, priceBound, tradeClientExtensions: tce ?? undefined, createFields } };
}

/** The fields a MARKET_ORDER_REJECT carries from the request. */
export function rejectFields(order: Json): Json {
  return pick(order, ["instrument", "units", "priceBound", "clientExtensions", "takeProfitOnFill", "stopLossOnFill", "tradeClientExtensions"]);
}
