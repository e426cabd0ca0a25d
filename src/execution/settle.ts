// The broker's answer made final: the journal row advanced, the fill and the release published
// (the account state follows them), the metric counted. A 201 is not a fill: the outcome says.
import type { MarketOrderRequest, OrderOutcome, OrderStatus } from "../core/orders.ts";
import type { SettledOrder } from "../core/order-events.ts";
import type { ExecutionContext } from "./context.ts";

export async function settle(cx: ExecutionContext, req: MarketOrderRequest, o: OrderOutcome, via: "submit" | "lookup" = "submit"): Promise<SettledOrder> {
  const { orders, metrics, log } = cx.d;
  const reduce = req.positionFill === "REDUCE_ONLY";
  const responseJson = safeJson(o.kind === "unknown" ? { error: o.error } : o.raw);
  const note = via === "lookup" ? "settled by lookup after a lost response" : undefined;
  let result: SettledOrder;
  switch (o.kind) {
    case "filled":
      cx.events.publish({ type: "filled", clientId: req.clientId, instrument: req.instrument, side: req.side, units: o.units, transactionId: o.transactionId, reduceOnly: reduce });
      await orders.advance(req.clientId, "filled", {
        responseJson, filledUnits: o.units, fillPrice: o.price, oandaOrderId: o.orderId, oandaTradeId: o.tradeIds[0],
        oandaTransactionId: o.transactionId, note,
      });
      result = settledOrder(req, "filled", via === "lookup" ? "lookup" : "filled", { filledUnits: o.units, fillPrice: o.price });
      break;
    case "cancelled":
      await orders.advance(req.clientId, "cancelled", { responseJson, cancelReason: o.reason, oandaOrderId: o.orderId, oandaTransactionId: o.transactionId, note });
      result = settledOrder(req, "cancelled", via === "lookup" ? "lookup" : "cancelled", { reason: o.reason });
      break;
    case "rejected":
      await orders.advance(req.clientId, "rejected", { responseJson, rejectReason: o.reason, errorCode: o.errorCode, note });
      result = settledOrder(req, "rejected", "rejected", { reason: o.errorCode ?? o.reason });
      break;
    default:
      return settledOrder(req, "unknown", "unknown", { reason: o.error });
  }
  cx.events.publish({ type: "released", clientId: req.clientId, status: result.status });
  metrics?.orderSettled?.(result.status);
  log.info({ event: "order_settled", clientId: req.clientId, status: result.status, filledUnits: result.filledUnits, fillPrice: result.fillPrice, reason: result.reason });
  return result;
}

export function settledOrder(req: MarketOrderRequest, status: OrderStatus, kind: SettledOrder["outcomeKind"], extra: Partial<SettledOrder>): SettledOrder {
  return { clientId: req.clientId, instrument: req.instrument, side: req.side, status, outcomeKind: kind, units: req.units, reduceOnly: req.positionFill === "REDUCE_ONLY", ...extra };
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? "null";
  } catch {
    return "\"[unserialisable]\"";
  }
}
