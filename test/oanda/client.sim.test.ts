// The client against the OANDA-compatible simulator (src/sim) on loopback: the same wire
// protocol paper mode uses. Requests are counted by wrapping fetch, so "sent exactly once" is
// observed on the wire, not assumed.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OandaClient } from "../../src/oanda/client.ts";
import { startSimulator, type SimHandle } from "../../src/sim/index.ts";
import type { MarketOrderRequest } from "../../src/core/orders.ts";
import type { Tick } from "../../src/core/types.ts";
import type { Transaction } from "../../src/oanda/schemas.ts";
import { until } from "./fake-oanda.ts";

let sim: SimHandle;
let sent: { method: string; path: string; status?: number }[];
const stops: (() => Promise<void>)[] = [];

beforeEach(async () => {
  sim = await startSimulator({ scenario: { ticks: { source: "fixed" }, heartbeatMs: 50, execution: { slippagePips: 0 }, maintenance: false }, throttleMs: 10 });
  sent = [];
});
afterEach(async () => {
  for (const s of stops.splice(0)) await s();
  await sim.close();
});

/** A fetch that records every request and can react to each answer. */
function countingFetch(onAnswer?: (status: number) => void): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const u = new URL(String(input));
    const rec: { method: string; path: string; status?: number } = { method: init?.method ?? "GET", path: u.pathname };
    sent.push(rec);
    const res = await fetch(input, init);
    rec.status = res.status;
    onAnswer?.(res.status);
    return res;
  }) as typeof fetch;
}

function client(o: { timeoutMs?: number; onAnswer?: (status: number) => void } = {}) {
  return new OandaClient({ restUrl: sim.restUrl, streamUrl: sim.streamUrl, token: sim.token, accountId: sim.accountId, timeoutMs: o.timeoutMs ?? 3_000, retry: { baseMs: 1, capMs: 20 }, fetch: countingFetch(o.onAnswer) });
}
const fast = { heartbeatTimeoutMs: 400, reconnect: { baseMs: 10, capMs: 100 } };
let seq = 0;
const order = (o: Partial<MarketOrderRequest> = {}): MarketOrderRequest => ({
  clientId: `sk-sim-${++seq}-${Date.now()}`, instrument: "USD_JPY", side: "buy", units: 1000, timeInForce: "FOK", positionFill: "OPEN_ONLY", tag: "sekisho:micro:t", comment: "", ...o,
});
const posts = () => sent.filter((r) => r.method === "POST" && r.path.endsWith("/orders")).length;

describe("OandaClient against the simulator", () => {
  it("reads the account, instruments, positions, prices and candles", async () => {
    const c = client();
    expect(await c.accountSummary()).toMatchObject({ id: sim.accountId, currency: "JPY", nav: 500000 });
    const specs = await c.instruments();
    expect(specs.find((s) => s.name === "USD_JPY")).toMatchObject({ pipLocation: -2, displayPrecision: 3, marginRate: 0.04 });
    expect(await c.openPositions()).toEqual([]);
    const [t] = await c.pricing(["USD_JPY"]);
    expect(t).toMatchObject({ instrument: "USD_JPY", bid: 155.0, ask: 155.008, tradeable: true });
    const candles = await c.candles("USD_JPY", { count: 5 });
    expect(Array.isArray(candles)).toBe(true);
  });

  it("fill, then the position shows the units; trades carry clientExtensions", async () => {
    const c = client();
    const req = order({ units: 2500 });
    expect(await c.createMarketOrder(req)).toMatchObject({ kind: "filled", units: 2500, price: 155.008 });
    expect((await c.openPositions())[0]).toMatchObject({ instrument: "USD_JPY", long: 2500, short: 0 });
    expect((await c.openTrades())[0]).toMatchObject({ side: "buy", units: 2500, clientExtensions: { id: req.clientId, tag: "sekisho:micro:t" } });
  });

  it("cancel reasons: MARKET_HALTED and BOUNDS_VIOLATION; duplicate client id is rejected", async () => {
    const c = client();
    expect(await c.createMarketOrder(order({ priceBound: 155.0 }))).toMatchObject({ kind: "cancelled", reason: "BOUNDS_VIOLATION" });
    const req = order();
    expect((await c.createMarketOrder(req)).kind).toBe("filled");
    expect(await c.createMarketOrder(req)).toMatchObject({ kind: "rejected", errorCode: "CLIENT_ORDER_ID_ALREADY_EXISTS" });
    sim.engine.setPrice({ instrument: "USD_JPY", bid: 155, ask: 155.008, tradeable: false });
    expect(await c.createMarketOrder(order())).toMatchObject({ kind: "cancelled", reason: "MARKET_HALTED" });
  });

  it("5xx on reads recover", async () => {
    const c = client({ onAnswer: (s) => s === 503 && sim.setFaults({ errorRate: 0 }) });
    sim.setFaults({ errorRate: 1, errorStatus: 503 });
    expect((await c.accountSummary()).nav).toBe(500000);
    expect(sent.map((r) => r.status)).toEqual([503, 200]);
  });

  it("429 on reads waits and recovers", async () => {
    const c = client({ onAnswer: (s) => s === 429 && sim.setFaults({ errorRate: 0 }) });
    sim.setFaults({ errorRate: 1, errorStatus: 429, retryAfterSec: 1 });
    expect(await c.openPositions()).toEqual([]);
    expect(sent.map((r) => r.status)).toEqual([429, 200]);
  });

  it("5xx and 429 on an order POST are never retried", async () => {
    const c = client();
    for (const status of [503, 429] as const) {
      sim.setFaults({ errorRate: 1, errorStatus: status });
      const before = posts();
      const o = await c.createMarketOrder(order());
      expect(o.kind).toBe(status === 503 ? "unknown" : "rejected");
      expect(posts() - before).toBe(1);
    }
    sim.setFaults({ errorRate: 0 });
    expect(sim.engine.orders()).toHaveLength(0);
  });

  it("the ghost fill: outcome unknown, one POST, and the lookup by client id finds it FILLED", async () => {
    const c = client({ timeoutMs: 500 });
    sim.setFaults({ ghostFill: 1 });
    const req = order({ units: 3000 });
    expect((await c.createMarketOrder(req)).kind).toBe("unknown");
    expect(posts()).toBe(1);
    expect(await c.getOrderByClientId(req.clientId)).toMatchObject({ found: true, state: "FILLED", fill: { kind: "filled", units: 3000, price: 155.008 } });
    expect(await c.getOrderByClientId("sk-never-sent")).toEqual({ found: false });
  });

  it("a silent stall of the pricing stream is detected and the stream reconnects", async () => {
    const c = client();
    const ticks: Tick[] = [];
    const s = c.pricingStream({ instruments: ["USD_JPY"], onTick: (t) => void ticks.push(t), ...fast });
    stops.push(() => s.stop());
    s.start();
    await until(() => s.state.lastHeartbeatAt !== undefined, "a heartbeat");
    sim.setFaults({ stallStream: true });
    await until(() => s.state.reconnects >= 1, "a reconnect after silence");
    expect(s.state.lastError).toMatch(/heartbeat timeout/);
    sim.setFaults({ stallStream: false });
    const n = ticks.length;
    sim.engine.setPrice({ instrument: "USD_JPY", bid: 155.1, ask: 155.108 });
    await until(() => ticks.length > n && s.state.connected, "a tick on the new connection");
    expect(ticks.at(-1)).toMatchObject({ bid: 155.1, ask: 155.108 });
  });

  it("after transaction-stream drops during fills, every fill is seen exactly once", async () => {
    const c = client();
    const start = (await c.accountSummary()).lastTransactionID;
    const seen: Transaction[] = [];
    const s = c.transactionStream({ onTransaction: (t) => void seen.push(t), lastTransactionID: start, ...fast });
    stops.push(() => s.stop());
    s.start();
    await until(() => s.state.connected, "connected");
    sim.setFaults({ dropStreamAfterLines: 3 });
    const N = 25;
    const ids: string[] = [];
    for (let i = 0; i < N; i++) {
      const o = await c.createMarketOrder(order({ side: i % 2 ? "sell" : "buy", clientId: `sk-drop-${i}` }));
      expect(o.kind).toBe("filled");
      if (o.kind === "filled") ids.push(o.transactionId);
      if (i % 5 === 0) await new Promise((r) => setTimeout(r, 20));
    }
    await until(() => s.state.lastTransactionID === sim.engine.lastTransactionID, "the last transaction");
    const fills = seen.filter((t) => t.type === "ORDER_FILL").map((t) => t.id);
    expect(fills).toEqual(ids);
    const all = seen.map((t) => t.id);
    expect(new Set(all).size).toBe(all.length);
    expect(s.state.reconnects).toBeGreaterThan(0);
  });
});
