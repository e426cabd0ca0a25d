// The providers role's payloads: account summary and details, positions, trades, instruments.
import { z } from "zod";
import { clientExtensions, decimal, id, timeString } from "./scalars.ts";

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

export const openTradesResponse = z.looseObject({ trades: z.array(trade), lastTransactionID: id });
