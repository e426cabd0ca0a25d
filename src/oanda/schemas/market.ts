// The data role's market payloads: prices (snapshot and stream lines), home conversions, candles.
import { z } from "zod";
import { decimal, timeMs, timeString } from "./scalars.ts";

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
