// The execution role's answers: order create, order lookup, position and trade closes, errors.
import { z } from "zod";
import { decimal, id, timeString, clientExtensions } from "./scalars.ts";
import { orderCancelTransaction, orderFillTransaction, orderRejectTransaction, transaction } from "./transactions.ts";

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
