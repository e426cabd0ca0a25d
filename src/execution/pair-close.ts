// A close of BOTH sides of one instrument carried out as the gate planned it
// (src/gate/pair-close.ts): one position request, or sekisho's own trades closed by id in legs
// that stop at the first not filled in full (each prefix of the plan is safe).
import type { MarketOrderRequest, TradeClose } from "../core/orders.ts";
import type { SettledOrder } from "../core/order-events.ts";
import type { Signal } from "../core/types.ts";
import type { ExecutionContext } from "./context.ts";
import { executePositionClose } from "./position-close.ts";
import { executeTradeCloses } from "./trade-close.ts";
import { sumLegs } from "./legs.ts";
import { pairLegClientId } from "../core/client-id.ts";

/** One leg: sekisho's own trades on one side closed by id (side = the order's side: sell closes longs). */
export interface PairLeg {
  side: "sell" | "buy";
  units: number;
  closes: TradeClose[];
}

export type PairCloseOrder =
  | { kind: "position"; long: number; short: number }
  | { kind: "legs"; long: number; short: number; legs: PairLeg[]; unreachable: { long: number; short: number } };

export async function executePairClose(cx: ExecutionContext, base: MarketOrderRequest, plan: PairCloseOrder, s: Signal, detail: Record<string, unknown>): Promise<SettledOrder> {
  if (plan.kind === "position") return executePositionClose(cx, base, { long: plan.long, short: plan.short }, s, detail);
  const results: SettledOrder[] = [];
  for (const [k, leg] of plan.legs.entries()) {
    const r = await executeTradeCloses(cx, { ...base, clientId: pairLegClientId(base.clientId, k), side: leg.side, units: leg.units }, leg.closes, s, detail);
    results.push(r);
    if (r.status !== "filled") break;
  }
  return sumLegs(results, { clientId: base.clientId, units: plan.long + plan.short });
}
