// The rehearsal of a market order (the gate's, src/gate/rehearsal.ts): the steps
// executeMarketOrder takes before its request leaves (the intent, its line in the intent log, the
// request's bytes), run on a decision that is never carried out. Nothing is written, sent,
// reserved or published: the code and data those steps touch are simply warm when a real order
// takes them.
import type { MarketOrderRequest } from "../core/orders.ts";
import type { Signal } from "../core/types.ts";
import type { ExecutionContext } from "./context.ts";
import { intentOf } from "./intent.ts";

/** What a rehearsed order would have written: its intent line and its request, in bytes (0: that step is not rehearsed here). */
export interface RehearsedOrder {
  intentBytes: number;
  requestBytes: number;
}

export function rehearseMarketOrder(cx: ExecutionContext, req: MarketOrderRequest, s: Signal): RehearsedOrder {
  const intent = intentOf(req, s, req.positionFill, req);
  return { intentBytes: cx.d.orders.rehearseIntent?.(intent) ?? 0, requestBytes: cx.d.broker.rehearseMarketOrder?.(req) ?? 0 };
}
