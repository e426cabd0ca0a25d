// How market orders execute in the simulator: slippage (seeded, always against the order,
// capped), submit latency, OANDA's STOP_LOSS_ON_FILL_LOSS / TAKE_PROFIT_ON_FILL_LOSS cancels,
// the pricing stream's snapshot=false, and both sides of a position closed in one request.
import { afterEach, describe, expect, it } from "vitest";
import { startSimulator, type ScenarioInput, type SimHandle } from "../../src/sim/index.ts";
import { api, lineReader } from "./http.ts";
import { body, engineWith, ManualClock, market } from "./helpers.ts";
import { delay } from "../helpers/wait.ts";

const started: SimHandle[] = [];
async function sim(s: ScenarioInput = {}): Promise<SimHandle> {
  const h = await startSimulator({ scenario: { ticks: { source: "fixed" }, heartbeatMs: 50, execution: { slippagePips: 0 }, ...s }, clock: new ManualClock(), throttleMs: 10 });
  started.push(h);
  return h;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((h) => h.close()));
});

describe("slippage", () => {
  const fills = (seed: number, n = 40) => {
    const e = engineWith({ execution: { slippagePips: 0.5, maxSlippagePips: 2, seed } });
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(Number(body(e.createOrder(market(i % 2 ? -1000 : 1000))).orderFillTransaction.price));
    return out;
  };

  it("is against the order, within the cap, on the price grid, and the same for the same seed", () => {
    const a = fills(11);
    expect(fills(11)).toEqual(a);
    expect(fills(12)).not.toEqual(a);
    a.forEach((p, i) => {
      const slip = i % 2 ? 155 - p : p - 155.008; // sells below the bid, buys above the ask
      expect(slip).toBeGreaterThanOrEqual(-1e-9);
      expect(slip).toBeLessThanOrEqual(0.02 + 1e-9);
      expect(Math.abs(p * 1000 - Math.round(p * 1000))).toBeLessThan(1e-6);
    });
    const mean = a.reduce((s, p, i) => s + (i % 2 ? 155 - p : p - 155.008), 0) / a.length;
    expect(mean).toBeGreaterThan(0.001); // some slip: mean 0.5 pip, not all rounded away
  });

  it("a slipped price beyond priceBound cancels with BOUNDS_VIOLATION; closes slip too", () => {
    const e = engineWith({ execution: { slippagePips: 5, maxSlippagePips: 5 } });
    expect(body(e.createOrder(market(1000, { priceBound: "155.008" }))).orderCancelTransaction.reason).toBe("BOUNDS_VIOLATION");
    const open = body(e.createOrder(market(1000))).orderFillTransaction;
    expect(Number(open.price)).toBeGreaterThan(155.008);
    const close = body(e.closePosition("USD_JPY", { longUnits: "ALL" })).longOrderFillTransaction;
    expect(Number(close.price)).toBeLessThan(155);
  });

  it("the scenario's starting positions open at their prices, unslipped", () => {
    const e = engineWith({ execution: { slippagePips: 5 }, positions: [{ instrument: "USD_JPY", long: 1000 }, { instrument: "USD_JPY", short: 1000, price: 155.5 }] });
    expect(e.openTrades().map((t) => t.price)).toEqual([155.008, 155.5]);
  });
});

describe("stop-loss and take-profit that would close the new trade at once, at a loss", () => {
  it("cancels the order (no trade) with STOP_LOSS_ON_FILL_LOSS or TAKE_PROFIT_ON_FILL_LOSS", () => {
    const e = engineWith(); // bid 155.000, ask 155.008
    const cases: [number, Record<string, unknown>, string][] = [
      [1000, { stopLossOnFill: { price: "155.002" } }, "STOP_LOSS_ON_FILL_LOSS"], // long: SL at or above the bid
      [1000, { stopLossOnFill: { distance: "0.005" } }, "STOP_LOSS_ON_FILL_LOSS"], // SL 155.003, inside the spread
      [-1000, { stopLossOnFill: { price: "155.007" } }, "STOP_LOSS_ON_FILL_LOSS"], // short: SL at or below the ask
      [1000, { takeProfitOnFill: { price: "154.990" } }, "TAKE_PROFIT_ON_FILL_LOSS"], // long: TP at or below the bid
      [-1000, { takeProfitOnFill: { price: "155.020" } }, "TAKE_PROFIT_ON_FILL_LOSS"], // short: TP at or above the ask
    ];
    for (const [units, extra, reason] of cases) {
      const r = body(e.createOrder(market(units, extra)));
      expect(r.orderCancelTransaction?.reason, JSON.stringify(extra)).toBe(reason);
      expect(r.orderFillTransaction).toBeUndefined();
    }
    expect(e.openTrades()).toHaveLength(0);
    expect(e.pendingOrders()).toHaveLength(0);
  });

  it("a stop or target that would not fill at once is accepted and attached", () => {
    const e = engineWith();
    const r = body(e.createOrder(market(1000, { stopLossOnFill: { price: "154.990" }, takeProfitOnFill: { price: "155.004" } })));
    expect(r.orderFillTransaction).toBeDefined();
    expect(e.pendingOrders().map((o) => o.type).sort()).toEqual(["STOP_LOSS", "TAKE_PROFIT"]);
    expect(body(e.createOrder(market(1000, { stopLossOnFill: { distance: "0.010" } }))).orderFillTransaction).toBeDefined();
  });
});

describe("over HTTP", () => {
  it("submit latency: the order executes at the price when it reaches the matching engine, not when it was sent", async () => {
    const s = await sim({ execution: { slippagePips: 0, submitLatencyMs: 400 } });
    const c = api(s);
    const pending = c.send("POST", "/orders", market(1000));
    await delay(100);
    s.engine.setPrice({ instrument: "USD_JPY", bid: 155.1, ask: 155.108 });
    expect((await pending).body.orderFillTransaction.price).toBe("155.108");
  });

  it("PUT /positions/{instrument}/close with longUnits and shortUnits together closes both in one request", async () => {
    const s = await sim({ positions: [{ instrument: "USD_JPY", long: 80_000, short: 70_000, price: 155 }] });
    const c = api(s);
    const r = await c.send("PUT", "/positions/USD_JPY/close", { longUnits: "30000", shortUnits: "30000" });
    expect(r.status).toBe(200);
    expect([r.body.longOrderFillTransaction.units, r.body.shortOrderFillTransaction.units]).toEqual(["-30000", "30000"]);
    expect(s.engine.exposure("USD_JPY")).toEqual({ long: 50_000, short: 40_000 });
    expect(r.body.relatedTransactionIDs).toHaveLength(4);
    // A bad side refuses the whole request: nothing is closed.
    const bad = await c.send("PUT", "/positions/USD_JPY/close", { longUnits: "10000", shortUnits: "90000" });
    expect([bad.status, bad.body.errorCode]).toEqual([400, "CLOSEOUT_POSITION_UNITS_EXCEED_POSITION_SIZE"]);
    expect(s.engine.exposure("USD_JPY")).toEqual({ long: 50_000, short: 40_000 });
  });

  it("pricing stream: snapshot=false sends no current price at connect, only later changes; a bad value is 400", async () => {
    const s = await sim();
    const c = api(s);
    const res = await fetch(`${c.A}/pricing/stream?instruments=USD_JPY&snapshot=false`, { headers: c.headers });
    const lines = lineReader(res);
    expect(JSON.parse((await lines.next())!).type).toBe("HEARTBEAT");
    s.engine.setPrice({ instrument: "USD_JPY", bid: 155.2, ask: 155.208 });
    let line = JSON.parse((await lines.next())!);
    while (line.type === "HEARTBEAT") line = JSON.parse((await lines.next())!);
    expect(line).toMatchObject({ type: "PRICE", bids: [{ price: "155.200" }] });
    await lines.cancel();
    const withSnapshot = lineReader(await fetch(`${c.A}/pricing/stream?instruments=USD_JPY&snapshot=true`, { headers: c.headers }));
    expect(JSON.parse((await withSnapshot.next())!)).toMatchObject({ type: "PRICE", bids: [{ price: "155.200" }] });
    await withSnapshot.cancel();
    expect((await c.get("/pricing/stream?instruments=USD_JPY&snapshot=maybe")).status).toBe(400);
  });
});
