// The REST client against a real HTTP server on loopback: request shapes, outcome mapping,
// read retries, and the rule that an order POST is never sent twice.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Writable } from "node:stream";
import pino from "pino";
import { OandaClient, oandaUrls } from "../../src/oanda/client.ts";
import { OandaHttpError } from "../../src/oanda/errors.ts";
import type { MarketOrderRequest } from "../../src/core/orders.ts";
import { ACCOUNT, TOKEN, startFakeOanda, type FakeOanda } from "./fake-oanda.ts";

let fake: FakeOanda;
let logLines: string[];

function client(extra: Partial<ConstructorParameters<typeof OandaClient>[0]> = {}) {
  logLines = [];
  const sink = new Writable({ write(chunk, _e, cb) { logLines.push(String(chunk)); cb(); } });
  return new OandaClient({
    restUrl: fake.restUrl, streamUrl: fake.streamUrl, token: TOKEN, accountId: ACCOUNT, timeoutMs: 2_000,
    retry: { baseMs: 1, capMs: 20 }, log: pino({ level: "debug" }, sink), clock: { now: () => 1_700_000_000_000 }, ...extra,
  });
}

const order = (o: Partial<MarketOrderRequest> = {}): MarketOrderRequest => ({
  clientId: `sk-test-${Math.random().toString(36).slice(2)}`, instrument: "USD_JPY", side: "buy", units: 10000, timeInForce: "FOK",
  positionFill: "OPEN_ONLY", tag: "sekisho:micro:range_break", comment: "signal s1", ...o,
});

beforeEach(async () => {
  fake = await startFakeOanda();
});
afterEach(async () => {
  await fake.close();
});

describe("oandaUrls", () => {
  it("gives OANDA's real hosts and honours overrides", () => {
    expect(oandaUrls("practice")).toEqual({ restUrl: "https://api-fxpractice.oanda.com", streamUrl: "https://stream-fxpractice.oanda.com" });
    expect(oandaUrls("live")).toEqual({ restUrl: "https://api-fxtrade.oanda.com", streamUrl: "https://stream-fxtrade.oanda.com" });
    expect(oandaUrls("live", { restUrl: "http://127.0.0.1:9000/" }).restUrl).toBe("http://127.0.0.1:9000");
  });
});

describe("reads", () => {
  it("account summary, open positions as long/short magnitudes, instruments, pricing with receivedAt", async () => {
    const c = client();
    expect(await c.accountSummary()).toMatchObject({ id: ACCOUNT, currency: "JPY", nav: 500000, marginAvailable: 500000, hedgingEnabled: true });
    expect(await c.openPositions()).toEqual([{ instrument: "USD_JPY", long: 50000, short: 45000, avgLongPrice: 157.1, avgShortPrice: 157.2, unrealizedPL: -120.5, marginUsed: 31420 }]);
    expect(await c.instruments()).toEqual([{ name: "USD_JPY", base: "USD", quote: "JPY", pipLocation: -2, displayPrecision: 3, tradeUnitsPrecision: 0, minimumTradeSize: 1, marginRate: 0.04 }]);
    const [t] = await c.pricing(["USD_JPY"]);
    expect(t).toMatchObject({ instrument: "USD_JPY", bid: 157.12, ask: 157.135, tradeable: true, receivedAt: 1_700_000_000_000 });
  });

  it("503s on a read are retried until it succeeds", async () => {
    fake.faults.readFailures = { status: 503, count: 2 };
    const c = client();
    expect((await c.accountSummary()).nav).toBe(500000);
    expect(fake.counts.get("fail GET")).toBe(2);
    expect(fake.counts.get("GET summary")).toBe(1);
  });

  it("a 429 on a read waits for Retry-After and recovers", async () => {
    fake.faults.readFailures = { status: 429, count: 1, retryAfter: "1" };
    const c = client();
    expect((await c.openPositions())[0]!.long).toBe(50000);
    expect(fake.counts.get("fail GET")).toBe(1);
    expect(logLines.some((l) => l.includes('"event":"oanda_retry"') && l.includes('"delayMs":1000'))).toBe(true);
  });

  it("gives up after the retry budget with the broker's status", async () => {
    fake.faults.readFailures = { status: 500, count: 10 };
    const c = client({ retry: { maxRetries: 2, baseMs: 1, capMs: 5 } });
    await expect(c.accountSummary()).rejects.toMatchObject({ status: 500 });
    expect(fake.counts.get("fail GET")).toBe(3);
  });

  it("a bad token is a 401, not retried", async () => {
    const c = client({ token: "wrong" });
    const e = await c.accountSummary().catch((x) => x);
    expect(e).toBeInstanceOf(OandaHttpError);
    expect(e.status).toBe(401);
  });
});

describe("market orders", () => {
  it("sends OANDA's MarketOrderRequest exactly: signed units, bound, fill policy, client extensions, TP/SL at display precision", async () => {
    const c = client();
    const req = order({ side: "sell", units: 12000, priceBound: 157.1004, takeProfitPrice: 156.81234, stopLossPrice: 157.4, positionFill: "DEFAULT", timeInForce: "IOC" });
    await c.createMarketOrder(req);
    expect(fake.orderBodies[0]).toEqual({
      order: {
        type: "MARKET", instrument: "USD_JPY", units: "-12000", timeInForce: "IOC", priceBound: "157.101", positionFill: "DEFAULT",
        clientExtensions: { id: req.clientId, tag: "sekisho:micro:range_break", comment: "signal s1" },
        tradeClientExtensions: { id: req.clientId, tag: "sekisho:micro:range_break", comment: "signal s1" },
        takeProfitOnFill: { price: "156.812" }, stopLossOnFill: { price: "157.400" },
      },
    });
  });

  it("a fill: price, units, order, transaction and trade ids", async () => {
    const c = client();
    const o = await c.createMarketOrder(order({ units: 5000 }));
    expect(o).toMatchObject({ kind: "filled", price: 157.135, units: 5000 });
    if (o.kind !== "filled") return;
    const fill = fake.transactions.find((t) => t.type === "ORDER_FILL")!;
    expect(o.transactionId).toBe(fill.id);
    expect(o.orderId).toBe(fill.orderID);
    expect(o.tradeIds).toHaveLength(1);
  });

  it("a 201 with ORDER_CANCEL is a cancel (BOUNDS_VIOLATION, MARKET_HALTED), not a fill", async () => {
    const c = client();
    expect(await c.createMarketOrder(order({ priceBound: 157.13 }))).toMatchObject({ kind: "cancelled", reason: "BOUNDS_VIOLATION" });
    fake.faults.notTradeable = true;
    expect(await c.createMarketOrder(order())).toMatchObject({ kind: "cancelled", reason: "MARKET_HALTED" });
  });

  it("a duplicate client id is rejected with CLIENT_ORDER_ID_ALREADY_EXISTS", async () => {
    const c = client();
    const req = order();
    expect((await c.createMarketOrder(req)).kind).toBe("filled");
    expect(await c.createMarketOrder(req)).toMatchObject({ kind: "rejected", errorCode: "CLIENT_ORDER_ID_ALREADY_EXISTS", httpStatus: 400 });
  });

  it("bad input is rejected before anything is sent", async () => {
    const c = client();
    expect(await c.createMarketOrder(order({ units: 0 }))).toMatchObject({ kind: "rejected", errorCode: "INVALID_REQUEST" });
    expect(await c.createMarketOrder(order({ units: 0.4 }))).toMatchObject({ kind: "rejected" });
    expect(fake.counts.get("POST orders")).toBeUndefined();
  });

  it("a 503 on an order POST is unknown and never retried; the lookup says the broker never saw it", async () => {
    fake.faults.orderFailure = { status: 503 };
    const c = client();
    const req = order();
    expect(await c.createMarketOrder(req)).toMatchObject({ kind: "unknown" });
    expect(fake.counts.get("POST orders")).toBe(1);
    expect(await c.getOrderByClientId(req.clientId)).toEqual({ found: false });
  });

  it("a 429 on an order POST is not retried", async () => {
    fake.faults.orderFailure = { status: 429, retryAfter: "1" };
    const c = client();
    expect(await c.createMarketOrder(order())).toMatchObject({ kind: "rejected", httpStatus: 429 });
    expect(fake.counts.get("POST orders")).toBe(1);
  });

  it("the ghost fill: no answer => unknown, sent once, and the lookup by client id finds it FILLED with its fill", async () => {
    fake.faults.ghostNextOrder = true;
    const c = client({ timeoutMs: 300 });
    const req = order({ units: 7000 });
    const o = await c.createMarketOrder(req);
    expect(o.kind).toBe("unknown");
    expect(fake.counts.get("POST orders")).toBe(1);
    const found = await c.getOrderByClientId(req.clientId);
    expect(found).toMatchObject({ found: true, state: "FILLED", fill: { kind: "filled", units: 7000, price: 157.135 } });
  });

  it("implements BrokerPort: lookup of a cancelled order carries the cancel reason", async () => {
    const c = client();
    const req = order({ priceBound: 157.0 });
    await c.submitMarketOrder(req);
    expect(await c.lookupOrderByClientId(req.clientId)).toMatchObject({ found: true, state: "CANCELLED", cancelReason: "BOUNDS_VIOLATION" });
  });

  it("the token never reaches a log line, even on failures", async () => {
    fake.faults.readFailures = { status: 503, count: 1 };
    fake.faults.ghostNextOrder = true;
    const c = client({ timeoutMs: 300 });
    await c.accountSummary();
    await c.createMarketOrder(order());
    expect(logLines.length).toBeGreaterThan(2);
    expect(logLines.join("\n")).not.toContain(TOKEN);
  });
});

describe("transactions", () => {
  it("sinceid returns exactly the transactions after the id", async () => {
    const c = client();
    await c.createMarketOrder(order());
    await c.createMarketOrder(order());
    const first = fake.transactions[0]!.id;
    const r = await c.transactionsSinceId(first);
    expect(r.transactions.map((t) => t.id)).toEqual(fake.transactions.slice(1).map((t) => t.id));
  });
});
