// Orders that depend on a trade: TAKE_PROFIT and STOP_LOSS created on fill, triggered by later
// prices, and cancelled when their trade closes (LINKED_TRADE_CLOSED). Order cancels live here
// too, since every cancel the simulator writes has the same shape.
import { fmtPrice } from "./format.ts";
import type { Ledger } from "./ledger.ts";
import { executeFill } from "./fills.ts";
import type { ClientExtensions, FillPlan, Json, PriceState, SimOrder, SimTrade, Transaction } from "./types.ts";

export function cancelOrder(ledger: Ledger, o: SimOrder, reason: string, batch: string | undefined, requestID: string | undefined): Transaction {
  const tx = ledger.tx("ORDER_CANCEL", { orderID: o.id, ...(o.clientExtensions?.id ? { clientOrderID: o.clientExtensions.id } : {}), reason }, batch, requestID);
  o.state = "CANCELLED";
  ledger.settled(o);
  o.cancellingTransactionID = tx.id;
  o.cancelledTime = Date.parse(tx.time);
  return tx;
}

/** After a fill closes trades, their TP/SL orders are cancelled (LINKED_TRADE_CLOSED). Returns the cancel ids. */
export function cancelLinked(ledger: Ledger, fill: Transaction, batch: string, requestID: string | undefined): string[] {
  const ids: string[] = [];
  for (const c of (fill.tradesClosed as Json[] | undefined) ?? []) {
    const t = ledger.trades.get(String(c.tradeID));
    if (!t) continue;
    for (const oid of [t.takeProfitOrderID, t.stopLossOrderID]) {
      const o = oid ? ledger.orders.get(oid) : undefined;
      if (o && o.state === "PENDING") ids.push(cancelOrder(ledger, o, "LINKED_TRADE_CLOSED", batch, requestID).id);
    }
  }
  return ids;
}

/** A TAKE_PROFIT_ORDER or STOP_LOSS_ORDER on a trade just opened (reason ON_FILL). */
export function createDependent(ledger: Ledger, kind: "TAKE_PROFIT" | "STOP_LOSS", trade: SimTrade, details: Json, fillId: string, batch: string, requestID: string | undefined): Transaction {
  const price = Number(details.price);
  const ce = details.clientExtensions as ClientExtensions | undefined;
  const tx = ledger.tx(`${kind}_ORDER`, {
    tradeID: trade.id, price: fmtPrice(ledger.spec(trade.instrument), price), timeInForce: details.timeInForce ?? "GTC", triggerCondition: "DEFAULT",
    reason: "ON_FILL", orderFillTransactionID: fillId, ...(ce ? { clientExtensions: ce } : {}),
  }, batch, requestID);
  const o: SimOrder = {
    id: tx.id, type: kind, state: "PENDING", createTime: Date.parse(tx.time), clientExtensions: ce, tradeID: trade.id, price,
    fields: { tradeID: trade.id, price: tx.price, timeInForce: tx.timeInForce, triggerCondition: "DEFAULT" },
  };
  ledger.addOrder(o);
  if (kind === "TAKE_PROFIT") trade.takeProfitOrderID = o.id;
  else trade.stopLossOrderID = o.id;
  return tx;
}

/** TP: long closes when bid >= price, short when ask <= price. SL: the other way round. */
export function triggerDependents(ledger: Ledger, p: PriceState): void {
  if (ledger.pending.size === 0) return;
  for (const o of [...ledger.pending.values()]) {
    // A fill earlier in this loop may have cancelled a later order (LINKED_TRADE_CLOSED).
    if (o.state !== "PENDING" || o.type === "MARKET" || !o.tradeID) continue;
    const t = ledger.trades.get(o.tradeID);
    if (!t || t.instrument !== p.instrument || t.currentUnits === 0) continue;
    const long = t.currentUnits > 0;
    const close = long ? p.bid : p.ask;
    const hit = o.type === "TAKE_PROFIT" ? (long ? close >= o.price! : close <= o.price!) : long ? close <= o.price! : close >= o.price!;
    if (!hit) continue;
    const batch = ledger.nextBatch();
    const plan: FillPlan = { closes: [{ trade: t, units: Math.abs(t.currentUnits) }], open: 0 };
    const fill = executeFill(ledger, { order: o, instrument: t.instrument, price: close, plan, reason: `${o.type}_ORDER`, batch });
    cancelLinked(ledger, fill, batch, undefined);
  }
}
