// Trades, derived from the broker's ledger. Pure: OANDA transactions in (any order, duplicates
// allowed), trades and money movements out. The broker's numbers are used as given: realized P/L
// per trade from tradesClosed/tradeReduced, financing from the close and from DAILY_FINANCING's
// per-trade figures. Amounts the broker did not attribute to a trade (account-level financing,
// commission, rounding between the fill total and its parts) become events without a trade, so
// realized + financing − fees of all events equals the balance change the broker reports.
import { readTag } from "../core/tag.ts";
import { closeReason } from "./close-reason.ts";
import { addMoney, num, sumMoney } from "./money.ts";
import { isoFromOandaTime } from "./time.ts";
import type { Ledger, OandaTransaction, OrderOrigin, PnlEvent, Trade } from "./types.ts";

/** Finds the journal row of an order: by client id, else by the broker's order id (trade closes carry no client id). */
export interface OriginLookup {
  byClientId(clientId: string): OrderOrigin | undefined;
  byOrderId(orderId: string): OrderOrigin | undefined;
}

export function originLookup(origins: Iterable<OrderOrigin>): OriginLookup {
  const byClient = new Map<string, OrderOrigin>();
  const byOrder = new Map<string, OrderOrigin>();
  for (const o of origins) {
    byClient.set(o.clientId, o);
    if (o.oandaOrderId) byOrder.set(String(o.oandaOrderId), o);
  }
  return { byClientId: (id) => byClient.get(id), byOrderId: (id) => byOrder.get(id) };
}

export const noOrigins: OriginLookup = { byClientId: () => undefined, byOrderId: () => undefined };

type Json = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : typeof v === "number" ? String(v) : undefined);
const arr = (v: unknown): Json[] => (Array.isArray(v) ? (v.filter((x) => x && typeof x === "object") as Json[]) : []);

interface Working extends Trade {
  closeValue: number;
}

function originOf(tx: Json, origins: OriginLookup): OrderOrigin | undefined {
  const client = str(tx.clientOrderID);
  const byClient = client ? origins.byClientId(client) : undefined;
  if (byClient) return byClient;
  const order = str(tx.orderID);
  return order ? origins.byOrderId(order) : undefined;
}

export function deriveLedger(transactions: Iterable<OandaTransaction>, origins: OriginLookup = noOrigins): Ledger {
  // Once each, in the broker's order.
  const unique = new Map<number, OandaTransaction>();
  for (const t of transactions) unique.set(Number(t.id), t);
  const txs = [...unique.entries()].sort((a, b) => a[0] - b[0]).map(([, t]) => t);

  const trades = new Map<string, Working>();
  const events: PnlEvent[] = [];
  let transfers = 0;
  let lastBalance: number | null = null;

  const tradeFor = (id: string, instrument: string, units: number): Working => {
    let t = trades.get(id);
    if (!t) {
      // Closed or financed before we saw it open (the ledger starts after it was opened).
      t = {
        id, instrument, side: units < 0 ? "buy" : "sell", units: null, openUnits: 0, openTime: null, openPrice: null, openTransactionId: null,
        openClientId: null, pocket: "unknown", strategy: "unknown", worker: null, state: "open", closeTime: null, closePrice: null,
        closedUnits: 0, closeReason: null, closedBy: [], closeTransactionId: null, closeClientId: null, realizedPL: 0, financing: 0, netPL: 0, closeValue: 0,
      };
      trades.set(id, t);
    }
    return t;
  };
  const event = (tx: OandaTransaction, time: string, t: Working | undefined, instrument: string | null, realized: number, financing: number, fees = 0) => {
    if (realized === 0 && financing === 0 && fees === 0) return;
    events.push({
      transactionId: String(tx.id), time, tradeId: t?.id ?? null, instrument: t?.instrument ?? instrument,
      pocket: t?.pocket ?? "account", strategy: t?.strategy ?? "account", realized, financing, fees,
    });
  };

  for (const tx of txs) {
    const raw = tx as Json;
    const time = isoFromOandaTime(String(tx.time));
    const balance = num(raw.accountBalance);
    if (balance !== undefined) lastBalance = balance;

    if (tx.type === "ORDER_FILL") {
      const instrument = str(raw.instrument) ?? "";
      const fillPrice = num(raw.price) ?? num(raw.fullVWAP) ?? null;
      const origin = originOf(raw, origins);
      let realizedParts = 0;
      let financingParts = 0;
      const closes = [...arr(raw.tradesClosed).map((c) => ({ c, full: true })), ...arr(raw.tradeReduced ? [raw.tradeReduced] : []).map((c) => ({ c, full: false }))];
      for (const { c, full } of closes) {
        const id = str(c.tradeID);
        if (!id) continue;
        const units = num(c.units) ?? 0;
        const t = tradeFor(id, instrument, units);
        const realized = num(c.realizedPL) ?? 0;
        const financing = num(c.financing) ?? 0;
        const price = num(c.price) ?? fillPrice ?? 0;
        t.realizedPL = addMoney(t.realizedPL, realized);
        t.financing = addMoney(t.financing, financing);
        t.closedUnits += Math.abs(units);
        t.closeValue += Math.abs(units) * price;
        t.openUnits = Math.max(0, t.openUnits - Math.abs(units));
        t.closePrice = t.closedUnits > 0 ? t.closeValue / t.closedUnits : null;
        const how = String(raw.reason ?? "");
        if (!t.closedBy.includes(how)) t.closedBy.push(how);
        realizedParts = addMoney(realizedParts, realized);
        financingParts = addMoney(financingParts, financing);
        if (full) {
          t.state = "closed";
          t.openUnits = 0;
          t.closeTime = time;
          t.closeTransactionId = String(tx.id);
          t.closeClientId = str(raw.clientOrderID) ?? origin?.clientId ?? null;
          t.closeReason = closeReason(str(raw.reason), origin);
        }
        event(tx, time, t, instrument, realized, financing);
      }
      const opened = raw.tradeOpened as Json | undefined;
      if (opened && str(opened.tradeID)) {
        const units = num(opened.units) ?? 0;
        const tag = readTag((opened.clientExtensions as Json | undefined)?.tag);
        const t = tradeFor(str(opened.tradeID)!, instrument, -units);
        t.side = units < 0 ? "sell" : "buy";
        t.units = Math.abs(units);
        t.openUnits = Math.abs(units);
        t.openTime = time;
        t.openPrice = num(opened.price) ?? fillPrice;
        t.openTransactionId = String(tx.id);
        t.openClientId = str(raw.clientOrderID) ?? origin?.clientId ?? null;
        t.pocket = origin?.pocket ?? tag?.pocket ?? "manual";
        t.strategy = origin?.strategy ?? (tag ? tag.strategy || "unknown" : "manual");
        t.worker = origin?.worker ?? null;
      }
      // Whatever the fill's totals hold beyond its trades' parts (and its fees) is account-level.
      const fees = sumMoney([num(raw.commission) ?? 0, num(raw.guaranteedExecutionFee) ?? 0]);
      const restRealized = addMoney(num(raw.pl) ?? realizedParts, -realizedParts);
      const restFinancing = addMoney(num(raw.financing) ?? financingParts, -financingParts);
      event(tx, time, undefined, instrument || null, restRealized, restFinancing, fees);
    } else if (tx.type === "DAILY_FINANCING") {
      let parts = 0;
      for (const p of arr(raw.positionFinancings)) {
        const instrument = str(p.instrument) ?? null;
        let tradeParts = 0;
        for (const o of arr(p.openTradeFinancings)) {
          const id = str(o.tradeID);
          const f = num(o.financing) ?? 0;
          if (!id) continue;
          const t = tradeFor(id, instrument ?? "", 0);
          t.financing = addMoney(t.financing, f);
          tradeParts = addMoney(tradeParts, f);
          event(tx, time, t, instrument, 0, f);
        }
        const positionTotal = num(p.financing) ?? tradeParts;
        event(tx, time, undefined, instrument, 0, addMoney(positionTotal, -tradeParts));
        parts = addMoney(parts, positionTotal);
      }
      event(tx, time, undefined, null, 0, addMoney(num(raw.financing) ?? parts, -parts));
    } else if (tx.type === "TRANSFER_FUNDS") {
      transfers = addMoney(transfers, num(raw.amount) ?? 0);
    }
  }

  const out: Trade[] = [];
  for (const t of trades.values()) {
    const { closeValue: _cv, ...trade } = t;
    trade.netPL = addMoney(trade.realizedPL, trade.financing);
    out.push(trade);
  }
  // Newest first: a trade's id is the id of the fill that opened it.
  out.sort((a, b) => Number(b.id) - Number(a.id));
  return { trades: out, events, transfers, lastBalance };
}
