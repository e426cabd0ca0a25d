// zod schemas for the OANDA v20 responses sekisho reads (definitions in OANDA's v20 spec,
// ../shared/data/oanda/v20-openapi/v20.json). Objects are loose: OANDA adds fields over time
// and an unknown field must never break trading. Decimal strings become numbers here, through
// src/oanda/decimal.ts only; a garbage decimal is a validation error, not NaN.
import { z } from "zod";
import { parseDecimal, parseOandaTime } from "./decimal.ts";

// ---------- scalars ----------

/** OANDA decimal string ("157.123") -> number. Also finite JSON numbers (see decimal.ts). */
export const decimal = z.union([z.string(), z.number()]).transform((v, ctx) => {
  try {
    return parseDecimal(v);
  } catch (e) {
    ctx.addIssue({ code: "custom", message: (e as Error).message });
    return z.NEVER;
  }
});

/** OANDA IDs are strings of digits; some recorded payloads carry them as integers. */
export const id = z.union([z.string().min(1), z.number().int()]).transform(String);

/** An RFC 3339 (or UNIX "seconds.nanos") time string, kept as the broker sent it. */
export const timeString = z.string().refine((s) => {
  try {
    parseOandaTime(s);
    return true;
  } catch {
    return false;
  }
}, "expected an RFC 3339 time");

/** A time converted to epoch milliseconds. */
export const timeMs = z.string().transform((s, ctx) => {
  try {
    return parseOandaTime(s);
  } catch (e) {
    ctx.addIssue({ code: "custom", message: (e as Error).message });
    return z.NEVER;
  }
});

export const clientExtensions = z.looseObject({
  id: z.string().optional(),
  tag: z.string().optional(),
  comment: z.string().optional(),
});
export type ClientExtensions = z.infer<typeof clientExtensions>;

// ---------- account ----------

export const accountSummary = z.looseObject({
  id: z.string(),
  currency: z.string(),
  balance: decimal,
  NAV: decimal,
  unrealizedPL: decimal,
  marginUsed: decimal,
  marginAvailable: decimal,
  /** Absent in some older recorded payloads; treated as 0 (nothing at risk reported). */
  marginCloseoutPercent: decimal.optional(),
  marginRate: decimal.optional(),
  hedgingEnabled: z.boolean().optional(),
  openTradeCount: z.number().int().optional(),
  openPositionCount: z.number().int().optional(),
  pendingOrderCount: z.number().int().optional(),
  lastTransactionID: id.optional(),
});
export type AccountSummary = z.infer<typeof accountSummary>;

export const accountSummaryResponse = z.looseObject({ account: accountSummary, lastTransactionID: id });

export const positionSide = z.looseObject({
  units: decimal,
  averagePrice: decimal.optional(),
  tradeIDs: z.array(id).optional(),
  unrealizedPL: decimal.optional(),
  pl: decimal.optional(),
});

export const position = z.looseObject({
  instrument: z.string(),
  long: positionSide,
  short: positionSide,
  unrealizedPL: decimal.optional(),
  marginUsed: decimal.optional(),
  pl: decimal.optional(),
});
export type Position = z.infer<typeof position>;

const dependentOrderRef = z.looseObject({ id: id.optional(), price: decimal.optional() });

export const trade = z.looseObject({
  id,
  instrument: z.string(),
  price: decimal,
  openTime: timeString,
  state: z.string().optional(),
  initialUnits: decimal,
  currentUnits: decimal,
  unrealizedPL: decimal.optional(),
  realizedPL: decimal.optional(),
  marginUsed: decimal.optional(),
  clientExtensions: clientExtensions.optional(),
  takeProfitOrder: dependentOrderRef.optional(),
  stopLossOrder: dependentOrderRef.optional(),
});
export type Trade = z.infer<typeof trade>;

/** Account details: the summary plus positions, trades and orders. */
export const accountDetails = accountSummary.extend({
  positions: z.array(position).default([]),
  trades: z.array(z.looseObject({ id, instrument: z.string(), price: decimal.optional(), currentUnits: decimal, clientExtensions: clientExtensions.optional() })).default([]),
  orders: z.array(z.looseObject({ id, type: z.string() })).default([]),
});
export const accountDetailsResponse = z.looseObject({ account: accountDetails, lastTransactionID: id });

// ---------- instruments ----------

export const instrument = z.looseObject({
  name: z.string(),
  type: z.string().optional(),
  displayName: z.string().optional(),
  pipLocation: z.number().int(),
  displayPrecision: z.number().int().min(0),
  tradeUnitsPrecision: z.number().int().min(0),
  minimumTradeSize: decimal,
  marginRate: decimal,
  maximumOrderUnits: decimal.optional(),
});
export const instrumentsResponse = z.looseObject({ instruments: z.array(instrument), lastTransactionID: id.optional() });

export const openPositionsResponse = z.looseObject({ positions: z.array(position), lastTransactionID: id });
export const openTradesResponse = z.looseObject({ trades: z.array(trade), lastTransactionID: id });

// ---------- prices ----------

export const priceBucket = z.looseObject({ price: decimal, liquidity: decimal.optional() });

export const clientPrice = z.looseObject({
  type: z.literal("PRICE").optional(),
  instrument: z.string(),
  time: timeMs,
  /** Deprecated by OANDA in favour of `tradeable`; the only signal in older payloads. */
  status: z.string().optional(),
  tradeable: z.boolean().optional(),
  bids: z.array(priceBucket),
  asks: z.array(priceBucket),
  closeoutBid: decimal.optional(),
  closeoutAsk: decimal.optional(),
});
export type ClientPrice = z.infer<typeof clientPrice>;

/** includeHomeConversions=true: factors converting a currency into the account's (HomeConversions). */
export const homeConversion = z.looseObject({ currency: z.string(), accountGain: decimal.optional(), accountLoss: decimal.optional(), positionValue: decimal.optional() });
export const pricingResponse = z.looseObject({ prices: z.array(clientPrice), homeConversions: z.array(homeConversion).optional(), time: timeString.optional() });

export const pricingHeartbeat = z.looseObject({ type: z.literal("HEARTBEAT"), time: timeMs });

/** One line of the pricing stream. */
export const pricingStreamLine = z.union([pricingHeartbeat, clientPrice.extend({ type: z.literal("PRICE") })]);

const ohlc = z.looseObject({ o: decimal, h: decimal, l: decimal, c: decimal });
export const candle = z.looseObject({
  time: timeMs,
  bid: ohlc.optional(),
  ask: ohlc.optional(),
  mid: ohlc.optional(),
  volume: z.number().int(),
  complete: z.boolean(),
});
export type Candle = z.infer<typeof candle>;
export const candlesResponse = z.looseObject({ instrument: z.string().optional(), granularity: z.string().optional(), candles: z.array(candle) });

// ---------- transactions ----------

/** Any transaction: id, type and time are certain; everything else depends on the type. */
export const transaction = z.looseObject({
  id,
  type: z.string(),
  time: timeString,
  batchID: id.optional(),
  clientOrderID: z.string().optional(),
  orderID: id.optional(),
  instrument: z.string().optional(),
  units: z.union([decimal, z.literal("ALL")]).optional(),
  reason: z.string().optional(),
  rejectReason: z.string().optional(),
  clientExtensions: clientExtensions.optional(),
});
export type Transaction = z.infer<typeof transaction>;

const tradeRef = z.looseObject({ tradeID: id, units: decimal, price: decimal.optional(), realizedPL: decimal.optional() });

export const orderFillTransaction = transaction.extend({
  type: z.literal("ORDER_FILL"),
  orderID: id,
  instrument: z.string(),
  units: decimal,
  /** Deprecated by OANDA in later versions in favour of fullVWAP; either may be present. */
  price: decimal.optional(),
  fullVWAP: decimal.optional(),
  tradeOpened: tradeRef.optional(),
  tradeReduced: tradeRef.optional(),
  tradesClosed: z.array(tradeRef).optional(),
  pl: decimal.optional(),
  accountBalance: decimal.optional(),
});
export type OrderFillTransaction = z.infer<typeof orderFillTransaction>;

export const orderCancelTransaction = transaction.extend({
  type: z.literal("ORDER_CANCEL"),
  orderID: id,
  reason: z.string(),
});
export type OrderCancelTransaction = z.infer<typeof orderCancelTransaction>;

/** *_ORDER_REJECT transactions (MARKET_ORDER_REJECT, LIMIT_ORDER_REJECT, ...). id may be absent on 4xx. */
export const orderRejectTransaction = z.looseObject({
  id: id.optional(),
  type: z.string().regex(/_REJECT$/),
  rejectReason: z.string().optional(),
  time: timeString.optional(),
});

/** The body of POST /orders, 201 or error alike. */
export const orderCreateResponse = z.looseObject({
  orderCreateTransaction: transaction.optional(),
  orderFillTransaction: orderFillTransaction.optional(),
  orderCancelTransaction: orderCancelTransaction.optional(),
  orderReissueTransaction: transaction.optional(),
  orderRejectTransaction: orderRejectTransaction.optional(),
  relatedTransactionIDs: z.array(id).optional(),
  lastTransactionID: id.optional(),
  errorCode: z.string().optional(),
  errorMessage: z.string().optional(),
});
export type OrderCreateResponse = z.infer<typeof orderCreateResponse>;

/** OANDA's error envelope for 4xx/5xx. */
export const errorBody = z.looseObject({ errorCode: z.string().optional(), errorMessage: z.string().optional(), lastTransactionID: id.optional() });

export const order = z.looseObject({
  id,
  type: z.string(),
  state: z.enum(["PENDING", "FILLED", "TRIGGERED", "CANCELLED"]),
  createTime: timeString.optional(),
  instrument: z.string().optional(),
  units: decimal.optional(),
  clientExtensions: clientExtensions.optional(),
  fillingTransactionID: id.optional(),
  cancellingTransactionID: id.optional(),
  tradeOpenedID: id.optional(),
  tradeReducedID: id.optional(),
  tradeClosedIDs: z.array(id).optional(),
});
export type Order = z.infer<typeof order>;
export const orderResponse = z.looseObject({ order, lastTransactionID: id.optional() });

export const transactionResponse = z.looseObject({ transaction, lastTransactionID: id.optional() });
export const transactionsResponse = z.looseObject({ transactions: z.array(transaction), lastTransactionID: id });

/** PUT /positions/{instrument}/close: one create/fill/cancel triple per side. */
export const positionCloseResponse = z.looseObject({
  longOrderCreateTransaction: transaction.optional(),
  longOrderFillTransaction: orderFillTransaction.optional(),
  longOrderCancelTransaction: orderCancelTransaction.optional(),
  shortOrderCreateTransaction: transaction.optional(),
  shortOrderFillTransaction: orderFillTransaction.optional(),
  shortOrderCancelTransaction: orderCancelTransaction.optional(),
  relatedTransactionIDs: z.array(id).optional(),
  lastTransactionID: id.optional(),
});
export type PositionCloseResponse = z.infer<typeof positionCloseResponse>;

/** MarketOrderTradeClose: on the MARKET_ORDER (and its reject) a trade close creates. */
export const marketOrderTradeClose = z.looseObject({
  tradeID: id,
  clientTradeID: z.string().optional(),
  /** "ALL" or a positive decimal, as requested. */
  units: z.union([z.literal("ALL"), decimal]),
});

/**
 * PUT /trades/{tradeSpecifier}/close, any status: the order-create shape (200: create + fill or
 * cancel; 400: orderRejectTransaction + errorCode; 404: errorCode NO_SUCH_TRADE), with the
 * create's tradeClose typed.
 */
export const tradeCloseResponse = orderCreateResponse.extend({
  orderCreateTransaction: transaction.extend({ type: z.literal("MARKET_ORDER"), tradeClose: marketOrderTradeClose.optional() }).optional(),
  orderRejectTransaction: orderRejectTransaction.extend({ tradeClose: marketOrderTradeClose.optional() }).optional(),
});
export type TradeCloseResponse = z.infer<typeof tradeCloseResponse>;

/** GET /changes: what changed since a transaction, plus the account's price-dependent state. */
export const changesResponse = z.looseObject({
  changes: z.looseObject({
    ordersCreated: z.array(z.looseObject({ id })).default([]),
    ordersCancelled: z.array(z.looseObject({ id })).default([]),
    ordersFilled: z.array(z.looseObject({ id })).default([]),
    ordersTriggered: z.array(z.looseObject({ id })).default([]),
    tradesOpened: z.array(z.looseObject({ id, instrument: z.string() })).default([]),
    tradesReduced: z.array(z.looseObject({ id, instrument: z.string() })).default([]),
    tradesClosed: z.array(z.looseObject({ id, instrument: z.string() })).default([]),
    positions: z.array(position).default([]),
    transactions: z.array(transaction).default([]),
  }),
  state: z.looseObject({
    NAV: decimal.optional(),
    unrealizedPL: decimal.optional(),
    marginUsed: decimal.optional(),
    marginAvailable: decimal.optional(),
    marginCloseoutPercent: decimal.optional(),
  }).optional(),
  lastTransactionID: id,
});
export type ChangesResponse = z.infer<typeof changesResponse>;

export const transactionHeartbeat = z.looseObject({ type: z.literal("HEARTBEAT"), lastTransactionID: id.optional(), time: timeString });

/** One line of the transaction stream. */
export const transactionStreamLine = z.union([transactionHeartbeat, transaction]);
