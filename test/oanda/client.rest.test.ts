// The REST client against the simulator on loopback: request shapes, outcome mapping, read
// retries, and the rule that an order POST is never sent twice.
import { describe, expect, it } from "vitest";
import { Writable } from "node:stream";
import pino from "pino";
import { oandaUrls } from "../../src/oanda/client.ts";
import { candlesFromClient } from "../../src/oanda/data.ts";
import { OandaHttpError, OandaResponseError } from "../../src/oanda/errors.ts";
import { marketOrder as order, simRig } from "./sim-rig.ts";

const rig = simRig();
const posts = () => rig.count("POST", "/orders");

/** A client whose log lines are kept, to look for events and for the token. */
function loggingClient(o: Parameters<typeof rig.client>[0] = {}) {
  const lines: string[] = [];
  const sink = new Writable({ write(chunk, _e, cb) { lines.push(String(chunk)); cb(); } });
  return { c: rig.client({ log: pino({ level: "debug" }, sink), ...o }), lines };
}

describe("oandaUrls", () => {
  it("gives OANDA's real hosts and honours overrides", () => {
    expect(oandaUrls("practice")).toEqual({ restUrl: "https://api-fxpractice.oanda.com", streamUrl: "https://stream-fxpractice.oanda.com" });
    expect(oandaUrls("live")).toEqual({ restUrl: "https://api-fxtrade.oanda.com", streamUrl: "https://stream-fxtrade.oanda.com" });
    expect(oandaUrls("live", { restUrl: "http://127.0.0.1:9000/" }).restUrl).toBe("http://127.0.0.1:9000");
  });
});

describe("reads", () => {
  it("account details with positions as long/short magnitudes, instruments, pricing with receivedAt", async () => {
    const c = rig.client({ clock: { now: () => 1_700_000_000_000 } });
    expect(await c.accountDetails()).toMatchObject({ id: rig.sim.accountId, currency: "JPY", nav: 500000, marginAvailable: 500000, hedgingEnabled: true, positions: [], trades: [] });
    const specs = await c.instruments();
    expect(specs.find((s) => s.name === "USD_JPY")).toEqual({ name: "USD_JPY", base: "USD", quote: "JPY", pipLocation: -2, displayPrecision: 3, tradeUnitsPrecision: 0, minimumTradeSize: 1, marginRate: 0.04 });
    expect(c.instrumentTable.get("USD_JPY").marginRate).toBe(0.04);
    await c.submitMarketOrder(order({ units: 50_000 }));
    await c.submitMarketOrder(order({ side: "sell", units: 45_000 }));
    const d = await c.accountDetails();
    expect(d.positions).toMatchObject([{ instrument: "USD_JPY", long: 50_000, short: 45_000, avgLongPrice: 155.008, avgShortPrice: 155 }]);
    expect(d.trades.map((t) => [t.side, t.units])).toEqual(expect.arrayContaining([["buy", 50_000], ["sell", 45_000]]));
    expect(await c.pricing(["USD_JPY"])).toMatchObject([{ instrument: "USD_JPY", bid: 155, ask: 155.008, tradeable: true, receivedAt: 1_700_000_000_000 }]);
  });

  it("candles in epoch ms become the pipeline's candles with a mid; another granularity than asked is refused", async () => {
    const c = rig.client();
    const raw = await c.candles("USD_JPY", { count: 5 });
    expect(rig.sent.at(-1)?.path).toBe("/v3/instruments/USD_JPY/candles");
    expect(raw.length).toBeGreaterThan(0);
    for (const k of raw) expect(k.time % 60_000).toBe(0);
    const seeds = candlesFromClient(raw);
    expect(seeds.length).toBeGreaterThan(0);
    for (const k of seeds) expect(k.mid.close).toBeCloseTo((k.bid!.close + k.ask!.close) / 2, 9);
    // A server answering H1 to an M1 request: seeding M1 state with it would corrupt every indicator.
    const h1 = rig.client({
      fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
        const res = await fetch(input, init);
        const body = (await res.json()) as Record<string, unknown>;
        return new Response(JSON.stringify({ ...body, granularity: "H1" }), { status: res.status, headers: res.headers });
      }) as typeof fetch,
    });
    await expect(h1.candles("USD_JPY", { count: 5 })).rejects.toThrow(OandaResponseError);
    await expect(h1.candles("USD_JPY", { count: 5 })).rejects.toThrow(/granularity H1, expected M1/);
  });

  it("503s on a read are retried until it succeeds", async () => {
    let failures = 0;
    const c = rig.client({ onAnswer: (s) => s === 503 && ++failures === 2 && rig.sim.setFaults({ errorRate: 0 }) });
    rig.sim.setFaults({ errorRate: 1, errorStatus: 503 });
    expect((await c.accountDetails()).nav).toBe(500000);
    expect(rig.sent.map((r) => r.status)).toEqual([503, 503, 200]);
  });

  it("a 429 on a read waits for Retry-After and recovers", async () => {
    const { c, lines } = loggingClient({ onAnswer: (s) => s === 429 && rig.sim.setFaults({ errorRate: 0 }) });
    rig.sim.setFaults({ errorRate: 1, errorStatus: 429, retryAfterSec: 1 });
    expect((await c.accountDetails()).positions).toEqual([]);
    expect(rig.sent.map((r) => r.status)).toEqual([429, 200]);
    expect(lines.some((l) => l.includes('"event":"oanda_retry"') && l.includes('"delayMs":1000'))).toBe(true);
  });

  it("gives up after the retry budget with the broker's status", async () => {
    const c = rig.client({ retry: { maxRetries: 2, baseMs: 1, capMs: 5 } });
    rig.sim.setFaults({ errorRate: 1, errorStatus: 500 });
    await expect(c.accountDetails()).rejects.toMatchObject({ status: 500 });
    expect(rig.sent).toHaveLength(3);
  });

  it("a bad token is a 401, not retried", async () => {
    const e = await rig.client({ token: "wrong" }).accountDetails().catch((x) => x);
    expect(e).toBeInstanceOf(OandaHttpError);
    expect(e.status).toBe(401);
    expect(rig.sent).toHaveLength(1);
  });
});

describe("market orders", () => {
  it("sends OANDA's MarketOrderRequest exactly: signed units, bound, fill policy, client extensions, TP/SL at display precision", async () => {
    const c = rig.client();
    await c.instruments();
    const req = order({ side: "sell", units: 12000, priceBound: 157.1004, takeProfitPrice: 156.81234, stopLossPrice: 157.4, positionFill: "DEFAULT", timeInForce: "IOC", tag: "sekisho:micro:range_break", comment: "signal s1" });
    await c.submitMarketOrder(req);
    expect(rig.sent.find((r) => r.method === "POST")?.body).toEqual({
      order: {
        type: "MARKET", instrument: "USD_JPY", units: "-12000", timeInForce: "IOC", priceBound: "157.101", positionFill: "DEFAULT",
        clientExtensions: { id: req.clientId, tag: "sekisho:micro:range_break", comment: "signal s1" },
        tradeClientExtensions: { id: req.clientId, tag: "sekisho:micro:range_break", comment: "signal s1" },
        takeProfitOnFill: { price: "156.812" }, stopLossOnFill: { price: "157.400" },
      },
    });
  });

  it("a fill: price, units, order, transaction and trade ids, as the broker's fill says", async () => {
    const c = rig.client();
    const req = order({ units: 2500 });
    const o = await c.submitMarketOrder(req);
    expect(o).toMatchObject({ kind: "filled", price: 155.008, units: 2500 });
    if (o.kind !== "filled") return;
    const fill = rig.sim.engine.transactions().find((t) => t.type === "ORDER_FILL")!;
    expect(o.transactionId).toBe(fill.id);
    expect(o.orderId).toBe(fill.orderID);
    expect(o.tradeIds).toHaveLength(1);
    expect((await c.openTrades())[0]).toMatchObject({ id: o.tradeIds[0], side: "buy", units: 2500, clientExtensions: { id: req.clientId, tag: "sekisho:micro:t" } });
  });

  it("a 201 with ORDER_CANCEL is a cancel (BOUNDS_VIOLATION, MARKET_HALTED), not a fill; a duplicate client id is rejected", async () => {
    const c = rig.client();
    expect(await c.submitMarketOrder(order({ priceBound: 155.0 }))).toMatchObject({ kind: "cancelled", reason: "BOUNDS_VIOLATION" });
    const req = order();
    expect((await c.submitMarketOrder(req)).kind).toBe("filled");
    expect(await c.submitMarketOrder(req)).toMatchObject({ kind: "rejected", errorCode: "CLIENT_ORDER_ID_ALREADY_EXISTS", httpStatus: 400 });
    rig.sim.engine.setPrice({ instrument: "USD_JPY", bid: 155, ask: 155.008, tradeable: false });
    expect(await c.submitMarketOrder(order())).toMatchObject({ kind: "cancelled", reason: "MARKET_HALTED" });
  });

  it("bad input is rejected before anything is sent", async () => {
    const c = rig.client();
    expect(await c.submitMarketOrder(order({ units: 0 }))).toMatchObject({ kind: "rejected", errorCode: "INVALID_REQUEST" });
    expect(await c.submitMarketOrder(order({ units: 0.4 }))).toMatchObject({ kind: "rejected" });
    expect(posts()).toBe(0);
  });

  it("a 503 on an order POST is unknown and never retried; the lookup says the broker never saw it; a 429 is a rejection, not retried", async () => {
    const c = rig.client();
    rig.sim.setFaults({ errorRate: 1, errorStatus: 503 });
    const req = order();
    expect(await c.submitMarketOrder(req)).toMatchObject({ kind: "unknown" });
    expect(posts()).toBe(1);
    rig.sim.setFaults({ errorRate: 1, errorStatus: 429 });
    expect(await c.submitMarketOrder(order())).toMatchObject({ kind: "rejected", httpStatus: 429 });
    expect(posts()).toBe(2);
    rig.sim.setFaults({ errorRate: 0 });
    expect(rig.sim.engine.orders()).toHaveLength(0);
    expect(await c.lookupOrderByClientId(req.clientId)).toEqual({ found: false });
  });

  it("the ghost fill: no answer => unknown, sent once, and the lookup by client id finds it FILLED with its fill", async () => {
    const c = rig.client({ timeoutMs: 500 });
    rig.sim.setFaults({ ghostFill: 1 });
    const req = order({ units: 3000 });
    expect((await c.submitMarketOrder(req)).kind).toBe("unknown");
    expect(posts()).toBe(1);
    expect(await c.lookupOrderByClientId(req.clientId)).toMatchObject({ found: true, state: "FILLED", fill: { kind: "filled", units: 3000, price: 155.008 } });
    expect(await c.lookupOrderByClientId("sk-never-sent")).toEqual({ found: false });
  });

  it("the lookup of a cancelled order carries the cancel reason", async () => {
    const c = rig.client();
    const req = order({ priceBound: 155.0 });
    await c.submitMarketOrder(req);
    expect(await c.lookupOrderByClientId(req.clientId)).toMatchObject({ found: true, state: "CANCELLED", cancelReason: "BOUNDS_VIOLATION" });
  });

  it("the token never reaches a log line, even on failures", async () => {
    const { c, lines } = loggingClient({ timeoutMs: 300, onAnswer: (s) => s === 503 && rig.sim.setFaults({ errorRate: 0 }) });
    rig.sim.setFaults({ errorRate: 1, errorStatus: 503 });
    await c.accountDetails();
    rig.sim.setFaults({ ghostFill: 1 });
    await c.submitMarketOrder(order());
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.join("\n")).not.toContain(rig.sim.token);
  });
});

describe("transactions", () => {
  it("sinceid returns exactly the transactions after the id", async () => {
    const c = rig.client();
    await c.submitMarketOrder(order());
    await c.submitMarketOrder(order());
    const all = rig.sim.engine.transactions();
    const r = await c.transactionsSinceId(all[0]!.id);
    expect(r.transactions.map((t) => t.id)).toEqual(all.slice(1).map((t) => t.id));
    expect(r.lastTransactionID).toBe(rig.sim.engine.lastTransactionID);
  });
});
