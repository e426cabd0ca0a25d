// The engine's state in OANDA v20's wire shapes (Account, AccountSummary, Position, Trade,
// TradeSummary, Order, Instrument, AccountChanges). Field names and decimal-string formats follow
// the spec (../shared/data/oanda/v20-openapi/v20.json) and the recorded payloads.
import type { InstrumentSpec } from "../core/types.ts";
import type { SimEngine } from "./engine.ts";
import { fmtAmount, fmtPercent, fmtPrice, fmtRate, fmtTime, fmtUnits } from "./format.ts";
import type { Json, PriceState, SimOrder, SimTrade, Transaction } from "./types.ts";

const LIQUIDITY = 10_000_000;

/** What a price view needs to know (the ledger and the engine both have it). */
export interface PriceBook {
  prices: ReadonlyMap<string, PriceState>;
  /** Whether an order can fill now (the price's flag, and no daily maintenance). */
  tradeable(instrument: string): boolean;
  spec(instrument: string): InstrumentSpec;
  quoteToHome(instrument: string): number;
}

/** A ClientPrice as the pricing endpoints and stream send it; `forFill` is the fill's fullPrice. */
export function clientPrice(book: PriceBook, instrument: string, forFill = false): Json {
  const p = book.prices.get(instrument)!;
  const spec = book.spec(instrument);
  const q = book.quoteToHome(instrument);
  const out: Json = {
    type: "PRICE", instrument, time: fmtTime(p.time),
    bids: [{ price: fmtPrice(spec, p.bid), liquidity: LIQUIDITY }], asks: [{ price: fmtPrice(spec, p.ask), liquidity: LIQUIDITY }],
    closeoutBid: fmtPrice(spec, p.bid), closeoutAsk: fmtPrice(spec, p.ask),
  };
  if (forFill) return out;
  const tradeable = book.tradeable(instrument);
  out.status = tradeable ? "tradeable" : "non-tradeable";
  out.tradeable = tradeable;
  out.quoteHomeConversionFactors = { positiveUnits: fmtRate(q), negativeUnits: fmtRate(q) };
  return out;
}

export function accountSummary(e: SimEngine): Json {
  const n = e.numbers();
  const open = e.openTrades();
  const fillTime = e.lastOrderFillTime;
  return {
    id: e.accountId, alias: "sekisho simulator", currency: e.currency, balance: fmtAmount(n.balance),
    createdByUserID: e.userID, createdTime: fmtTime(e.createdTime), guaranteedStopLossOrderMode: "DISABLED",
    pl: fmtAmount(e.pl), resettablePL: fmtAmount(e.pl), financing: fmtAmount(e.financing), commission: fmtAmount(0), guaranteedExecutionFees: fmtAmount(0),
    marginRate: fmtRate(e.marginRate),
    openTradeCount: open.length,
    openPositionCount: e.instrumentNames().filter((i) => { const x = e.exposure(i); return x.long > 0 || x.short > 0; }).length,
    pendingOrderCount: e.pendingOrders().length,
    hedgingEnabled: e.hedgingEnabled,
    ...(fillTime !== undefined ? { lastOrderFillTimestamp: fmtTime(fillTime) } : {}),
    unrealizedPL: fmtAmount(n.unrealizedPL), NAV: fmtAmount(n.nav), marginUsed: fmtAmount(n.marginUsed), marginAvailable: fmtAmount(n.marginAvailable),
    positionValue: fmtAmount(n.positionValue), marginCloseoutUnrealizedPL: fmtAmount(n.unrealizedPL), marginCloseoutNAV: fmtAmount(n.nav),
    marginCloseoutMarginUsed: fmtAmount(n.marginUsed), marginCloseoutPercent: fmtPercent(n.marginCloseoutPercent),
    marginCloseoutPositionValue: fmtAmount(n.positionValue), withdrawalLimit: fmtAmount(n.marginAvailable),
    marginCallMarginUsed: fmtAmount(n.marginUsed), marginCallPercent: fmtPercent(n.marginCallPercent),
    lastTransactionID: e.lastTransactionID,
  };
}

export function accountFull(e: SimEngine): Json {
  return {
    ...accountSummary(e),
    trades: e.openTrades().map((t) => tradeSummary(e, t)),
    positions: positionInstruments(e).map((i) => position(e, i)),
    orders: e.pendingOrders().map((o) => order(e, o)),
  };
}

/** Instruments that have ever had a trade (OANDA lists positions with history). */
export function positionInstruments(e: SimEngine): string[] {
  const seen = e.tradedInstruments();
  return e.instrumentNames().filter((i) => seen.has(i));
}

export function openPositionInstruments(e: SimEngine): string[] {
  return e.instrumentNames().filter((i) => {
    const x = e.exposure(i);
    return x.long > 0 || x.short > 0;
  });
}

export function position(e: SimEngine, instrument: string): Json {
  const spec = e.spec(instrument);
  const side = (long: boolean): Json => {
    // Open trades only: realized P/L of closed ones is kept as a running total by the engine.
    const open = e.openTradesOf(instrument).filter((t) => (long ? t.initialUnits > 0 : t.initialUnits < 0));
    const units = open.reduce((s, t) => s + t.currentUnits, 0);
    const pl = e.realizedPL(instrument, long ? "long" : "short");
    const upl = open.reduce((s, t) => s + e.tradeUnrealizedPL(t), 0);
    const financing = e.financingOf(instrument, long ? "long" : "short");
    const out: Json = { units: fmtUnits(spec, units), pl: fmtAmount(pl), resettablePL: fmtAmount(pl), financing: fmtAmount(financing), guaranteedExecutionFees: fmtAmount(0), unrealizedPL: fmtAmount(upl) };
    if (open.length) {
      out.averagePrice = fmtPrice(spec, open.reduce((s, t) => s + t.price * t.currentUnits, 0) / units);
      out.tradeIDs = open.map((t) => t.id);
    }
    return out;
  };
  const long = side(true);
  const short = side(false);
  return {
    instrument, pl: fmtAmount(Number(long.pl) + Number(short.pl)), unrealizedPL: fmtAmount(Number(long.unrealizedPL) + Number(short.unrealizedPL)),
    marginUsed: fmtAmount(e.instrumentMarginUsed(instrument)), resettablePL: fmtAmount(Number(long.pl) + Number(short.pl)),
    financing: fmtAmount(Number(long.financing) + Number(short.financing)),
    commission: fmtAmount(0), guaranteedExecutionFees: fmtAmount(0), long, short,
  };
}

function tradeCommon(e: SimEngine, t: SimTrade): Json {
  const spec = e.spec(t.instrument);
  const out: Json = {
    id: t.id, instrument: t.instrument, price: fmtPrice(spec, t.price), openTime: fmtTime(t.openTime), state: t.currentUnits !== 0 ? "OPEN" : "CLOSED",
    initialUnits: fmtUnits(spec, t.initialUnits), initialMarginRequired: fmtAmount(t.initialMarginRequired), currentUnits: fmtUnits(spec, t.currentUnits),
    realizedPL: fmtAmount(t.realizedPL), financing: fmtAmount(t.financing),
  };
  if (t.currentUnits !== 0) {
    out.unrealizedPL = fmtAmount(e.tradeUnrealizedPL(t));
    out.marginUsed = fmtAmount(e.tradeMarginUsed(t));
  }
  if (t.closedUnits > 0) {
    out.averageClosePrice = fmtPrice(spec, t.closeValue / t.closedUnits);
    out.closingTransactionIDs = [...t.closingTransactionIDs];
  }
  if (t.closeTime !== undefined) out.closeTime = fmtTime(t.closeTime);
  if (t.clientExtensions) out.clientExtensions = { ...t.clientExtensions };
  return out;
}

function tradeSummary(e: SimEngine, t: SimTrade): Json {
  const out = tradeCommon(e, t);
  const tp = t.takeProfitOrderID ? e.order(t.takeProfitOrderID) : undefined;
  const sl = t.stopLossOrderID ? e.order(t.stopLossOrderID) : undefined;
  if (tp?.state === "PENDING") out.takeProfitOrderID = tp.id;
  if (sl?.state === "PENDING") out.stopLossOrderID = sl.id;
  return out;
}

export function trade(e: SimEngine, t: SimTrade): Json {
  const out = tradeCommon(e, t);
  const tp = t.takeProfitOrderID ? e.order(t.takeProfitOrderID) : undefined;
  const sl = t.stopLossOrderID ? e.order(t.stopLossOrderID) : undefined;
  if (tp?.state === "PENDING") out.takeProfitOrder = order(e, tp);
  if (sl?.state === "PENDING") out.stopLossOrder = order(e, sl);
  return out;
}

export function order(_e: SimEngine, o: SimOrder): Json {
  const out: Json = { id: o.id, createTime: fmtTime(o.createTime), state: o.state, type: o.type, ...o.fields };
  if (o.clientExtensions) out.clientExtensions = { ...o.clientExtensions };
  if (o.fillingTransactionID) out.fillingTransactionID = o.fillingTransactionID;
  if (o.filledTime !== undefined) out.filledTime = fmtTime(o.filledTime);
  if (o.tradeOpenedID) out.tradeOpenedID = o.tradeOpenedID;
  if (o.tradeReducedID) out.tradeReducedID = o.tradeReducedID;
  if (o.tradeClosedIDs) out.tradeClosedIDs = [...o.tradeClosedIDs];
  if (o.cancellingTransactionID) out.cancellingTransactionID = o.cancellingTransactionID;
  if (o.cancelledTime !== undefined) out.cancelledTime = fmtTime(o.cancelledTime);
  return out;
}

export function instrument(e: SimEngine, name: string): Json {
  const s = e.spec(name);
  return {
    name, type: "CURRENCY", displayName: `${s.base}/${s.quote}`, pipLocation: s.pipLocation, displayPrecision: s.displayPrecision,
    tradeUnitsPrecision: s.tradeUnitsPrecision, minimumTradeSize: String(s.minimumTradeSize), maximumTrailingStopDistance: "100.000",
    minimumTrailingStopDistance: "0.050", maximumPositionSize: "0", maximumOrderUnits: "100000000", marginRate: fmtRate(e.marginRate),
  };
}

/** GET /changes: what happened after `since`, and the account's current calculated state. */
export function changes(e: SimEngine, since: number): Json {
  const txs: Transaction[] = e.transactionsSince(since);
  const ids = new Set(txs.map((t) => t.id));
  const orders = e.orders();
  const trades = e.allTrades();
  const touched = new Set(txs.map((t) => t.instrument).filter((i): i is string => typeof i === "string"));
  for (const t of txs) {
    const tr = typeof t.tradeID === "string" ? e.trade(t.tradeID) : undefined;
    if (tr) touched.add(tr.instrument);
  }
  const n = e.numbers();
  return {
    changes: {
      ordersCreated: orders.filter((o) => ids.has(o.id)).map((o) => order(e, o)),
      ordersCancelled: orders.filter((o) => o.cancellingTransactionID && ids.has(o.cancellingTransactionID)).map((o) => order(e, o)),
      ordersFilled: orders.filter((o) => o.fillingTransactionID && ids.has(o.fillingTransactionID)).map((o) => order(e, o)),
      ordersTriggered: [],
      tradesOpened: trades.filter((t) => ids.has(t.id)).map((t) => tradeSummary(e, t)),
      tradesReduced: trades.filter((t) => t.currentUnits !== 0 && t.closingTransactionIDs.some((c) => ids.has(c))).map((t) => tradeSummary(e, t)),
      tradesClosed: trades.filter((t) => t.currentUnits === 0 && t.closingTransactionIDs.some((c) => ids.has(c))).map((t) => tradeSummary(e, t)),
      positions: e.instrumentNames().filter((i) => touched.has(i)).map((i) => position(e, i)),
      transactions: txs,
    },
    state: {
      unrealizedPL: fmtAmount(n.unrealizedPL), NAV: fmtAmount(n.nav), marginUsed: fmtAmount(n.marginUsed), marginAvailable: fmtAmount(n.marginAvailable),
      positionValue: fmtAmount(n.positionValue), marginCloseoutUnrealizedPL: fmtAmount(n.unrealizedPL), marginCloseoutNAV: fmtAmount(n.nav),
      marginCloseoutMarginUsed: fmtAmount(n.marginUsed), marginCloseoutPercent: fmtPercent(n.marginCloseoutPercent),
      marginCloseoutPositionValue: fmtAmount(n.positionValue), withdrawalLimit: fmtAmount(n.marginAvailable),
      marginCallMarginUsed: fmtAmount(n.marginUsed), marginCallPercent: fmtPercent(n.marginCallPercent),
      orders: [],
      trades: e.openTrades().map((t) => ({ id: t.id, unrealizedPL: fmtAmount(e.tradeUnrealizedPL(t)), marginUsed: fmtAmount(e.tradeMarginUsed(t)) })),
      positions: openPositionInstruments(e).map((i) => {
        const open = e.openTradesOf(i);
        const lu = open.filter((t) => t.currentUnits > 0).reduce((s, t) => s + e.tradeUnrealizedPL(t), 0);
        const su = open.filter((t) => t.currentUnits < 0).reduce((s, t) => s + e.tradeUnrealizedPL(t), 0);
        return { instrument: i, netUnrealizedPL: fmtAmount(lu + su), longUnrealizedPL: fmtAmount(lu), shortUnrealizedPL: fmtAmount(su), marginUsed: fmtAmount(e.instrumentMarginUsed(i)) };
      }),
    },
    lastTransactionID: e.lastTransactionID,
  };
}

/**
 * GET /pricing?includeHomeConversions=true: one entry per currency of the instruments traded
 * (and the home currency), each `currency` -> home at mid. A currency without a route is left out.
 */
export function homeConversions(e: SimEngine): Json[] {
  const currencies = new Set<string>([e.currency]);
  for (const name of e.instrumentNames()) {
    const s = e.spec(name);
    currencies.add(s.base);
    currencies.add(s.quote);
  }
  return [...currencies].sort().flatMap((currency) => {
    const f = e.toHome(currency);
    if (f === undefined || !Number.isFinite(f)) return [];
    const v = fmtRate(f);
    return [{ currency, accountGain: v, accountLoss: v, positionValue: v }];
  });
}
