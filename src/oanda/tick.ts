// OANDA ClientPrice -> our Tick. Shared by the pricing snapshot and the pricing stream.
import type { Tick } from "../core/types.ts";
import type { ClientPrice } from "./schemas.ts";

/**
 * Best bid/ask, the broker's time, our receive time. `tradeable` comes from the field (or the
 * deprecated `status` when absent, as in older payloads); an empty book side is not tradeable.
 * Undefined when there is no price at all.
 */
export function tickFromPrice(p: ClientPrice, receivedAt: number): Tick | undefined {
  // OANDA lists the best level first; max/min guards against any other order.
  const bid = p.bids.length ? Math.max(...p.bids.map((b) => b.price)) : p.closeoutBid;
  const ask = p.asks.length ? Math.min(...p.asks.map((a) => a.price)) : p.closeoutAsk;
  if (bid === undefined || ask === undefined) return undefined;
  const tradeable = (p.tradeable ?? p.status === "tradeable") && p.bids.length > 0 && p.asks.length > 0;
  return { instrument: p.instrument, bid, ask, time: p.time, receivedAt, tradeable };
}
