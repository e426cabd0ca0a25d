// Transactions as the data role reads them (since an id, streamed) and as the execution role's
// answers embed them (fills, cancels, rejects).
import { z } from "zod";
import { clientExtensions, decimal, id, timeString } from "./scalars.ts";

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

export const transactionResponse = z.looseObject({ transaction, lastTransactionID: id.optional() });
export const transactionsResponse = z.looseObject({ transactions: z.array(transaction), lastTransactionID: id });

export const transactionHeartbeat = z.looseObject({ type: z.literal("HEARTBEAT"), lastTransactionID: id.optional(), time: timeString });

/** One line of the transaction stream. */
export const transactionStreamLine = z.union([transactionHeartbeat, transaction]);
