// Why a trade ended: the broker's fill reason says whether a take-profit, a stop-loss or a margin
// closeout closed it; a market order's close is told apart by the journal row of the order that
// closed it (flatten, the hedge balancer, another reduce-only signal); a close with no journal row
// was not sekisho's (a person, or another program on the account).
import type { CloseReason, OrderOrigin } from "./types.ts";
import { TRADE_CLOSE } from "../core/trade-close.ts";

export function closeReason(fillReason: string | undefined, origin: OrderOrigin | undefined): CloseReason {
  switch (fillReason) {
    case "TAKE_PROFIT_ORDER":
      return "take_profit";
    case "STOP_LOSS_ORDER":
    case "TRAILING_STOP_LOSS_ORDER":
    case "GUARANTEED_STOP_LOSS_ORDER":
      return "stop_loss";
    case "MARKET_ORDER_MARGIN_CLOSEOUT":
      return "margin_closeout";
  }
  if (origin) {
    if (origin.strategy === "flatten" || origin.signalId.startsWith("flatten-")) return "flatten";
    if (origin.worker === "hedge_balancer") return "balancer";
    if (origin.reduceOnly || origin.positionFill === "REDUCE_ONLY" || origin.positionFill === TRADE_CLOSE) return "reduce_only";
    return "other";
  }
  // The broker's own closes that are neither TP/SL nor closeout (e.g. a delayed close) are "other";
  // a client or position close no journal row knows is someone else's: manual.
  if (fillReason === "MARKET_ORDER_DELAYED_TRADE_CLOSE" || fillReason === undefined) return "other";
  return "manual";
}
