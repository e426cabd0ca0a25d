// The MARKET order the gate sends: every order carries a priceBound GATE_SLIPPAGE_PIPS from the
// price the gate saw, reduce-only ones included, except the closeout guard's reduction, which
// must not be cancelled by a fast market at the loss-cut.
import { describe, expect, it } from "vitest";
import { buildOrderRequest } from "../../src/gate/order-request.ts";
import { defaultInstruments } from "../../src/core/instruments.ts";
import type { Signal, Tick } from "../../src/core/types.ts";

const spec = defaultInstruments().get("USD_JPY");
const tick: Tick = { instrument: "USD_JPY", bid: 155.0, ask: 155.008, time: 0, receivedAt: 0, tradeable: true };
const signal = (p: Partial<Signal>): Signal => ({
  id: "s-1", worker: "hedge_balancer", strategy: "hedge_balancer", pocket: "macro", instrument: "USD_JPY", side: "sell", confidence: 50,
  proposedUnits: 10_000, reduceOnly: true, attachSlTp: false, createdAt: 0, ttlMs: 60_000, ...p,
});

describe("the order's priceBound", () => {
  it("is GATE_SLIPPAGE_PIPS beyond the price seen, for entries and for the balancer's ordinary reductions", () => {
    expect(buildOrderRequest(signal({ worker: "fast_scalp", reduceOnly: false, side: "buy" }), 1_000, tick, spec, 1.5).priceBound).toBe(155.023);
    expect(buildOrderRequest(signal({ meta: { usage: 0.9 } }), 10_000, tick, spec, 1.5)).toMatchObject({ priceBound: 154.985, positionFill: "REDUCE_ONLY" });
  });

  it("is left off the closeout guard's reduction, and only that one", () => {
    const guard = buildOrderRequest(signal({ meta: { closeoutGuard: true, distancePips: 12 } }), 10_000, tick, spec, 1.5);
    expect(guard).toMatchObject({ positionFill: "REDUCE_ONLY", units: 10_000 });
    expect(guard.priceBound).toBeUndefined();
    // The same mark on anything else changes nothing: an entry, or another worker's signal.
    expect(buildOrderRequest(signal({ reduceOnly: false, meta: { closeoutGuard: true } }), 10_000, tick, spec, 1.5).priceBound).toBe(154.985);
    expect(buildOrderRequest(signal({ worker: "operator", meta: { closeoutGuard: true } }), 10_000, tick, spec, 1.5).priceBound).toBe(154.985);
  });
});
