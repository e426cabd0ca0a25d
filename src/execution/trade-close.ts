// A reduction done trade by trade (sekisho's own trades, when a position-level REDUCE_ONLY order
// would close a manual trade first). Each close is its own journal row with a client id derived
// from the signal's; a close whose answer is lost is settled from the fills in the transactions
// since the last ID seen before it was sent — never by sending it again.
import type { MarketOrderRequest, TradeClose } from "../core/orders.ts";
import { TRADE_CLOSE, tradeCloseRequestJson } from "../core/trade-close.ts";
import { tradeCloseClientId } from "../core/client-id.ts";
import type { SettledOrder } from "../core/order-events.ts";
import type { Signal } from "../core/types.ts";
import { type ExecutionContext, whileInFlight } from "./context.ts";
import { journalIntent } from "./intent.ts";
import { markUnknown, pollLostAnswer, send, tradeCloseFill } from "./lost-answer.ts";
import { settle, settledOrder } from "./settle.ts";
import { sumLegs } from "./legs.ts";

export async function executeTradeCloses(cx: ExecutionContext, base: MarketOrderRequest, legs: TradeClose[], s: Signal, detail: Record<string, unknown>): Promise<SettledOrder> {
  const results: SettledOrder[] = [];
  for (const leg of legs) {
    const req: MarketOrderRequest = { ...base, clientId: tradeCloseClientId(base.clientId, leg.tradeId), units: leg.units, positionFill: "REDUCE_ONLY", priceBound: undefined, takeProfitPrice: undefined, stopLossPrice: undefined };
    results.push(await whileInFlight(cx, [req.clientId], () => closeTrade(cx, req, leg, s, detail)));
    if (results.at(-1)!.status !== "filled") break; // do not press on after a refusal or an unknown
  }
  // Named by its first leg; an all-filled close speaks with its last leg's price.
  return sumLegs(results, { clientId: results[0]!.clientId, units: legs.reduce((n, l) => n + l.units, 0) }, results.at(-1));
}

async function closeTrade(cx: ExecutionContext, req: MarketOrderRequest, leg: TradeClose, s: Signal, detail: Record<string, unknown>): Promise<SettledOrder> {
  const sinceTransactionID = cx.d.lastTransactionId() ?? "0";
  await journalIntent(cx, req, s, TRADE_CLOSE, tradeCloseRequestJson(leg.tradeId, leg.units, sinceTransactionID), leg.tradeId);
  cx.d.log.info({ event: "trade_close_submit", clientId: req.clientId, tradeId: leg.tradeId, units: leg.units, detail });
  const outcome = await send(cx, (signal) => cx.d.broker.closeTrade!(leg.tradeId, leg.units, signal));
  if (outcome.kind !== "unknown") return settle(cx, req, outcome);
  await markUnknown(cx, req.clientId, outcome.error);
  const resolved = await pollLostAnswer(cx, async () => {
    const fill = await tradeCloseFill(cx, req.clientId, leg.tradeId, sinceTransactionID);
    return fill ? settle(cx, req, fill, "lookup") : undefined;
  });
  return resolved ?? settledOrder(req, "unknown", "unknown", { reason: outcome.error });
}
