// Turning a sized signal into the MARKET order design.md specifies.
import type { MarketOrderRequest } from "../core/orders.ts";
import { clientIdForSignal } from "../core/client-id.ts";
import type { InstrumentSpec, Signal, Tick } from "../core/types.ts";
import { pipSize } from "../core/instruments.ts";
import { makeTag } from "../core/tag.ts";

/** Round a price to the instrument's precision without crossing the intended side of it. */
function roundPrice(spec: InstrumentSpec, price: number, direction: "up" | "down" | "nearest"): number {
  const f = 10 ** spec.displayPrecision;
  const scaled = price * f;
  const r = direction === "up" ? Math.ceil(scaled - 1e-9) : direction === "down" ? Math.floor(scaled + 1e-9) : Math.round(scaled);
  return r / f;
}

/**
 * The closeout guard's reduction (the balancer's reduce-only signal while the loss-cut is near):
 * sent without a priceBound. The bound protects an entry from a bad fill; this order exists for
 * the fast market that would break it, and a FOK cancelled for BOUNDS_VIOLATION there leaves
 * the exposure on while the price runs at the loss-cut. Like the kill switch's flatten, it takes
 * the market's price. Every other order, reduce-only included, keeps its bound.
 */
export function isCloseoutGuardReduction(signal: Signal): boolean {
  return signal.reduceOnly && signal.worker === "hedge_balancer" && signal.meta?.["closeoutGuard"] === true;
}

export function buildOrderRequest(signal: Signal, units: number, tick: Tick, spec: InstrumentSpec, slippagePips: number): MarketOrderRequest {
  const pip = pipSize(spec);
  const buy = signal.side === "buy";
  const entry = buy ? tick.ask : tick.bid;
  // The bound is the worst price we accept: above the ask for a buy, below the bid for a sell.
  // Rounded away from the market so precision never tightens it past the slippage limit.
  const priceBound = isCloseoutGuardReduction(signal) ? undefined : buy ? roundPrice(spec, entry + slippagePips * pip, "down") : roundPrice(spec, entry - slippagePips * pip, "up");
  const req: MarketOrderRequest = {
    clientId: clientIdForSignal(signal.id),
    instrument: signal.instrument,
    side: signal.side,
    units,
    timeInForce: "FOK",
    priceBound,
    // On hedging accounts DEFAULT means OPEN_ONLY; say OPEN_ONLY so intent is explicit.
    positionFill: signal.reduceOnly ? "REDUCE_ONLY" : "OPEN_ONLY",
    tag: makeTag(signal.pocket === "manual" ? "macro" : signal.pocket, signal.strategy),
    comment: `${signal.worker} ${signal.id}`.slice(0, 128),
  };
  // Reduce-only orders never carry TP/SL: they close, they do not open.
  if (!signal.reduceOnly && signal.attachSlTp) {
    if (signal.tpPips) req.takeProfitPrice = roundPrice(spec, buy ? entry + signal.tpPips * pip : entry - signal.tpPips * pip, "nearest");
    if (signal.slPips) req.stopLossPrice = roundPrice(spec, buy ? entry - signal.slPips * pip : entry + signal.slPips * pip, "nearest");
  }
  return req;
}
