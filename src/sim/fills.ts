// Fills: which trades an order closes and what it opens (by positionFill and account type),
// whether margin allows it, and the execution itself — trades opened, reduced and closed, P/L
// into the balance, and the ORDER_FILL transaction OANDA would write.
import { fmtAmount, fmtPrice, fmtRate, fmtUnits } from "./format.ts";
import type { Ledger } from "./ledger.ts";
import { accountMargin } from "../margin/model.ts";
import { clientPrice } from "./views.ts";
import { type ClientExtensions, type FillPlan, type Json, pick, type PositionFillValue, type PriceState, round4, roundUnits, type SimOrder, type SimTrade, type Transaction } from "./types.ts";

/** Which trades a fill closes (FIFO) and what it opens, by positionFill and account type. */
export function planFill(ledger: Ledger, instrument: string, units: number, positionFill: PositionFillValue): FillPlan {
  const mode: PositionFillValue = positionFill === "DEFAULT" ? (ledger.hedgingEnabled ? "OPEN_ONLY" : "REDUCE_FIRST")
    // A netting account cannot hold both sides: OPEN_ONLY against an opposite position reduces first.
    : positionFill === "OPEN_ONLY" && !ledger.hedgingEnabled ? "REDUCE_FIRST" : positionFill;
  if (mode === "OPEN_ONLY") return { closes: [], open: units };
  const closes: FillPlan["closes"] = [];
  let left = Math.abs(units);
  for (const t of ledger.openByInstrument.get(instrument)?.values() ?? []) {
    if (left <= 0) break;
    if (Math.sign(t.currentUnits) === Math.sign(units)) continue;
    const take = Math.min(left, Math.abs(t.currentUnits));
    closes.push({ trade: t, units: take });
    left -= take;
  }
  left = roundUnits(left);
  // REDUCE_ONLY never opens: what cannot reduce is dropped (the fill is smaller than asked).
  return { closes, open: mode === "REDUCE_ONLY" ? 0 : Math.sign(units) * left };
}

/**
 * An order that raises margin may fill only while the margin after it stays within NAV after
 * it (the new units are valued at the closing side at once: NAV drops by the spread).
 */
export function marginAllows(ledger: Ledger, instrument: string, plan: FillPlan, p: PriceState): boolean {
  if (plan.open === 0) return true; // closing trades never needs margin
  const before = ledger.numbers();
  const e = ledger.exposure(instrument);
  for (const c of plan.closes) {
    if (c.trade.currentUnits > 0) e.long -= c.units;
    else e.short -= c.units;
  }
  if (plan.open > 0) e.long += plan.open;
  else e.short -= plan.open;
  const after = accountMargin(ledger.marginModel, ledger.exposures(new Map([[instrument, e]])));
  const navAfter = before.nav - (p.ask - p.bid) * Math.abs(plan.open) * ledger.quoteToHome(instrument);
  return after <= before.marginUsed + 1e-9 || after <= navAfter + 1e-9;
}

/** A MARKET order record from its MARKET_ORDER transaction, PENDING until it fills or is cancelled. */
export function newMarketOrder(ledger: Ledger, create: Transaction): SimOrder {
  const ce = create.clientExtensions as ClientExtensions | undefined;
  const fields = pick(create, [
    "instrument", "units", "timeInForce", "priceBound", "positionFill", "longPositionCloseout", "shortPositionCloseout", "marginCloseout",
    "takeProfitOnFill", "stopLossOnFill", "tradeClientExtensions", "tradeClose",
  ]);
  const o: SimOrder = { id: create.id, type: "MARKET", state: "PENDING", createTime: Date.parse(create.time), clientExtensions: ce, fields };
  ledger.addOrder(o);
  return o;
}

export interface FillRequest {
  order: SimOrder;
  instrument: string;
  price: number;
  plan: FillPlan;
  /** OrderFillReason: MARKET_ORDER, TAKE_PROFIT_ORDER, MARKET_ORDER_MARGIN_CLOSEOUT, ... */
  reason: string;
  batch: string;
  requestID?: string;
  tradeClientExtensions?: ClientExtensions;
}

/** Execute a planned fill at `price` and write its ORDER_FILL. */
export function executeFill(ledger: Ledger, f: FillRequest): Transaction {
  const { order, instrument, price, plan } = f;
  const spec = ledger.spec(instrument);
  const p = ledger.prices.get(instrument)!;
  const q = ledger.quoteToHome(instrument);
  const halfSpread = (p.ask - p.bid) / 2;
  const now = ledger.clock.now();
  const fillId = ledger.nextBatch();
  const closed: Json[] = [];
  let reduced: Json | undefined;
  let pl = 0;
  let filled = 0;
  for (const c of plan.closes) {
    const t = c.trade;
    const sign = Math.sign(t.currentUnits);
    const realized = round4((price - t.price) * sign * c.units * q);
    t.currentUnits = roundUnits(t.currentUnits - sign * c.units);
    ledger.unitsChanged();
    t.realizedPL = round4(t.realizedPL + realized);
    ledger.addRealized(t, realized);
    t.closedUnits += c.units;
    t.closeValue += c.units * price;
    t.closingTransactionIDs.push(fillId);
    pl += realized;
    filled += -sign * c.units;
    const entry: Json = {
      tradeID: t.id, units: fmtUnits(spec, -sign * c.units), price: fmtPrice(spec, price), realizedPL: fmtAmount(realized),
      financing: fmtAmount(0), guaranteedExecutionFee: fmtAmount(0), halfSpreadCost: fmtAmount(halfSpread * c.units * q),
    };
    if (t.currentUnits === 0) {
      t.closeTime = now;
      ledger.closed(t);
      closed.push(entry);
    } else reduced = entry;
  }
  pl = round4(pl);
  ledger.balance = round4(ledger.balance + pl);
  ledger.pl = round4(ledger.pl + pl);
  let opened: Json | undefined;
  if (plan.open !== 0) {
    filled += plan.open;
    const margin = Math.abs(plan.open) * ledger.conversion(instrument) * ledger.marginRate;
    const tce = f.tradeClientExtensions;
    const t: SimTrade = {
      id: fillId, instrument, price, openTime: now, initialUnits: plan.open, currentUnits: plan.open, initialMarginRequired: margin,
      realizedPL: 0, financing: 0, closedUnits: 0, closeValue: 0, closingTransactionIDs: [],
      clientExtensions: tce ? (pick(tce as Json, ["id", "tag", "comment"]) as ClientExtensions) : undefined,
    };
    ledger.addTrade(t);
    opened = {
      tradeID: t.id, units: fmtUnits(spec, plan.open), price: fmtPrice(spec, price), guaranteedExecutionFee: fmtAmount(0),
      halfSpreadCost: fmtAmount(halfSpread * Math.abs(plan.open) * q), initialMarginRequired: fmtAmount(margin),
      ...(t.clientExtensions ? { clientExtensions: t.clientExtensions } : {}),
    };
  }
  const fields: Json = {
    orderID: order.id,
    ...(order.clientExtensions?.id ? { clientOrderID: order.clientExtensions.id } : {}),
    instrument, units: fmtUnits(spec, roundUnits(filled)),
    gainQuoteHomeConversionFactor: fmtRate(q), lossQuoteHomeConversionFactor: fmtRate(q),
    price: fmtPrice(spec, price), fullVWAP: fmtPrice(spec, price), fullPrice: clientPrice(ledger, instrument, true),
    reason: f.reason, pl: fmtAmount(pl), financing: fmtAmount(0), commission: fmtAmount(0), guaranteedExecutionFee: fmtAmount(0),
    accountBalance: fmtAmount(ledger.balance),
    ...(opened ? { tradeOpened: opened } : {}),
    ...(closed.length ? { tradesClosed: closed } : {}),
    ...(reduced ? { tradeReduced: reduced } : {}),
    halfSpreadCost: fmtAmount(halfSpread * Math.abs(filled) * q),
  };
  const fill = ledger.tx("ORDER_FILL", fields, f.batch, f.requestID);
  order.state = "FILLED";
  ledger.settled(order);
  order.fillingTransactionID = fill.id;
  order.filledTime = now;
  if (opened) order.tradeOpenedID = String(opened.tradeID);
  if (reduced) order.tradeReducedID = String(reduced.tradeID);
  if (closed.length) order.tradeClosedIDs = closed.map((c) => String(c.tradeID));
  ledger.lastFillTime = now;
  return fill;
}
