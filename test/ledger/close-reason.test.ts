// How a trade ended, from the fill's reason and the journal row of the order that closed it.
import { describe, expect, it } from "vitest";
import { closeReason, type OrderOrigin } from "../../src/ledger/index.ts";

const row = (o: Partial<OrderOrigin>): OrderOrigin => ({
  clientId: "sk-x", signalId: "x", worker: "micro_multistrat", strategy: "range_break", pocket: "micro", reduceOnly: false, positionFill: "OPEN_ONLY", ...o,
});

describe("closeReason", () => {
  it.each([
    ["TAKE_PROFIT_ORDER", undefined, "take_profit"],
    ["STOP_LOSS_ORDER", undefined, "stop_loss"],
    ["TRAILING_STOP_LOSS_ORDER", undefined, "stop_loss"],
    ["GUARANTEED_STOP_LOSS_ORDER", undefined, "stop_loss"],
    ["MARKET_ORDER_MARGIN_CLOSEOUT", undefined, "margin_closeout"],
    // the broker's reason wins over any journal row
    ["MARKET_ORDER_MARGIN_CLOSEOUT", row({ worker: "hedge_balancer" }), "margin_closeout"],
    ["MARKET_ORDER", row({ worker: "operator", strategy: "flatten", signalId: "flatten-USD_JPY-sell-1", reduceOnly: true }), "flatten"],
    ["MARKET_ORDER", row({ worker: "hedge_balancer", strategy: "hedge_balancer", reduceOnly: true, positionFill: "REDUCE_ONLY" }), "balancer"],
    ["MARKET_ORDER_TRADE_CLOSE", row({ worker: "hedge_balancer", positionFill: "TRADE_CLOSE", reduceOnly: true }), "balancer"],
    ["MARKET_ORDER", row({ worker: "operator", strategy: "operator", reduceOnly: true, positionFill: "REDUCE_ONLY" }), "reduce_only"],
    ["MARKET_ORDER_TRADE_CLOSE", row({ worker: "operator", strategy: "operator", reduceOnly: true, positionFill: "TRADE_CLOSE" }), "reduce_only"],
    ["MARKET_ORDER", row({}), "other"],
    ["MARKET_ORDER", undefined, "manual"],
    ["MARKET_ORDER_TRADE_CLOSE", undefined, "manual"],
    ["MARKET_ORDER_POSITION_CLOSEOUT", undefined, "manual"],
    ["MARKET_ORDER_DELAYED_TRADE_CLOSE", undefined, "other"],
  ] as const)("%s with %j -> %s", (reason, origin, expected) => {
    expect(closeReason(reason, origin)).toBe(expected);
  });
});
