// Both streams against a real server on loopback: silence is detected and the stream
// reconnects; drops during fills lose nothing and duplicate nothing; bad lines are skipped.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OandaClient } from "../../src/oanda/client.ts";
import type { Tick } from "../../src/core/types.ts";
import type { Transaction } from "../../src/oanda/schemas.ts";
import type { MarketOrderRequest } from "../../src/core/orders.ts";
import { ACCOUNT, TOKEN, startFakeOanda, until, type FakeOanda } from "./fake-oanda.ts";

let fake: FakeOanda;
const stops: (() => Promise<void>)[] = [];

beforeEach(async () => {
  fake = await startFakeOanda({ heartbeatMs: 50, priceMs: 40 });
});
afterEach(async () => {
  for (const s of stops.splice(0)) await s();
  await fake.close();
});

const client = () => new OandaClient({ restUrl: fake.restUrl, streamUrl: fake.streamUrl, token: TOKEN, accountId: ACCOUNT, timeoutMs: 2_000, retry: { baseMs: 1, capMs: 20 } });
const fast = { heartbeatTimeoutMs: 400, reconnect: { baseMs: 10, capMs: 100 } };

const order = (i: number): MarketOrderRequest => ({
  clientId: `sk-fill-${i}`, instrument: "USD_JPY", side: i % 2 ? "sell" : "buy", units: 1000 + i, timeInForce: "FOK", positionFill: "DEFAULT", tag: "sekisho:scalp:t", comment: "",
});

describe("pricing stream", () => {
  it("delivers ticks with receivedAt and records heartbeats and last price per instrument", async () => {
    const ticks: Tick[] = [];
    let now = 1_000;
    const s = client().pricingStream({ instruments: ["USD_JPY"], onTick: (t) => void ticks.push(t), clock: { now: () => ++now }, ...fast });
    stops.push(() => s.stop());
    s.start();
    await until(() => ticks.length >= 3 && s.state.lastHeartbeatAt !== undefined, "ticks and a heartbeat");
    expect(ticks[0]).toMatchObject({ instrument: "USD_JPY", bid: 157.12, ask: 157.135, tradeable: true });
    expect(ticks.every((t) => t.receivedAt > 1_000)).toBe(true);
    expect(s.state.connected).toBe(true);
    expect(s.state.lastPriceAt.USD_JPY).toBe(ticks.at(-1)!.receivedAt);
    expect(s.state.tradeable.USD_JPY).toBe(true);
  });

  it("a silent stall (no heartbeats, connection open) is detected and the stream reconnects", async () => {
    fake.faults.stallPricingAfterLines = 2;
    const ticks: Tick[] = [];
    const s = client().pricingStream({ instruments: ["USD_JPY"], onTick: (t) => void ticks.push(t), ...fast });
    stops.push(() => s.stop());
    s.start();
    await until(() => s.state.reconnects >= 1, "a reconnect after the stall");
    expect(s.state.lastError).toMatch(/heartbeat timeout/);
    const before = ticks.length;
    await until(() => ticks.length > before + 2 && s.state.connected, "ticks on the new connection");
    expect(fake.counts.get("GET pricing/stream")).toBeGreaterThanOrEqual(2);
  });

  it("malformed lines are counted and skipped; the stream keeps going", async () => {
    fake.faults.rawPricingLines = ["{not json\n", '{"type":"PRICE","instrument":"USD_JPY","time":"soon","bids":[],"asks":[]}\n', '{"type":"PRICE","instrument":"USD_JPY","time":"2024-01-01T00:00:00Z","bids":[{"price":"abc"}],"asks":[{"price":"1"}]}\n', '{"type":"WHAT"}\n'];
    const ticks: Tick[] = [];
    const s = client().pricingStream({ instruments: ["USD_JPY"], onTick: (t) => void ticks.push(t), ...fast });
    stops.push(() => s.stop());
    s.start();
    await until(() => ticks.length >= 2, "good ticks after the bad lines");
    expect(s.state.malformedLines).toBe(4);
    expect(s.state.reconnects).toBe(0);
    expect(ticks.every((t) => Number.isFinite(t.bid) && Number.isFinite(t.ask))).toBe(true);
  });

  it("tradeable:false marks the instrument not tradeable", async () => {
    fake.faults.notTradeable = true;
    const ticks: Tick[] = [];
    const s = client().pricingStream({ instruments: ["USD_JPY"], onTick: (t) => void ticks.push(t), ...fast });
    stops.push(() => s.stop());
    s.start();
    await until(() => ticks.length >= 1, "a tick");
    expect(ticks[0]!.tradeable).toBe(false);
    expect(s.state.tradeable.USD_JPY).toBe(false);
  });

  it("stop() closes the connection and leaves nothing running", async () => {
    const s = client().pricingStream({ instruments: ["USD_JPY"], onTick: () => {}, ...fast });
    s.start();
    await until(() => s.state.connected, "connected");
    await s.stop();
    expect(s.state.connected).toBe(false);
    await until(() => fake.activeStreams() === 0, "the server to see the stream closed");
    const reconnects = s.state.reconnects;
    const connects = fake.counts.get("GET pricing/stream");
    await new Promise((r) => setTimeout(r, 150));
    expect(s.state.reconnects).toBe(reconnects);
    expect(fake.counts.get("GET pricing/stream")).toBe(connects);
  });
});

describe("transaction stream", () => {
  it("after drops during fills, every fill is seen exactly once", async () => {
    const c = client();
    const start = (await c.accountSummary()).lastTransactionID;
    fake.faults.dropStreamAfterLines = 3; // heartbeats and transactions both count
    const seen: Transaction[] = [];
    const s = c.transactionStream({ onTransaction: (t) => void seen.push(t), lastTransactionID: start, ...fast });
    stops.push(() => s.stop());
    s.start();
    await until(() => s.state.connected, "connected");
    const N = 30;
    for (let i = 0; i < N; i++) {
      expect((await c.createMarketOrder(order(i))).kind).toBe("filled");
      if (i % 7 === 0) await new Promise((r) => setTimeout(r, 15)); // let drops land between fills
    }
    const last = fake.transactions.at(-1)!.id;
    await until(() => s.state.lastTransactionID === last, "the last transaction");
    const fills = seen.filter((t) => t.type === "ORDER_FILL");
    expect(fills.map((f) => f.clientOrderID).sort()).toEqual(Array.from({ length: N }, (_, i) => `sk-fill-${i}`).sort());
    const ids = seen.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(fake.transactions.map((t) => t.id)); // in order, none missing
    expect(s.state.reconnects).toBeGreaterThan(0);
    expect(s.state.gapFilled).toBeGreaterThan(0);
  });

  it("transactions the stream never carried are recovered: by a heartbeat's lastTransactionID, and by an ID jump", async () => {
    const c = client();
    const start = (await c.accountSummary()).lastTransactionID;
    const seen: Transaction[] = [];
    const s = c.transactionStream({ onTransaction: (t) => void seen.push(t), lastTransactionID: start, ...fast });
    stops.push(() => s.stop());
    s.start();
    await until(() => s.state.connected, "connected");
    fake.faults.hideNextTransactions = 2; // create + fill never reach the stream; only heartbeats reveal them
    await c.createMarketOrder(order(1));
    await until(() => seen.some((t) => t.clientOrderID === "sk-fill-1" && t.type === "ORDER_FILL"), "the hidden fill via the heartbeat");
    fake.faults.hideNextTransactions = 1; // the create is lost, the fill arrives: an ID jump
    await c.createMarketOrder(order(2));
    await until(() => s.state.lastTransactionID === fake.transactions.at(-1)!.id, "the last transaction");
    expect(seen.map((t) => t.id)).toEqual(fake.transactions.map((t) => t.id));
    expect(s.state.reconnects).toBe(0);
  });

  it("a stalled transaction stream reconnects and fills the gap from the last seen id", async () => {
    const c = client();
    const start = (await c.accountSummary()).lastTransactionID;
    fake.faults.stallTransactionsAfterLines = 1;
    const seen: Transaction[] = [];
    const s = c.transactionStream({ onTransaction: (t) => void seen.push(t), lastTransactionID: start, ...fast });
    stops.push(() => s.stop());
    s.start();
    await until(() => s.state.connected, "connected");
    await c.createMarketOrder(order(1)); // happens while the stream is silent
    await until(() => s.state.reconnects >= 1, "reconnect after the stall");
    await until(() => seen.some((t) => t.type === "ORDER_FILL"), "the fill");
    expect(seen.filter((t) => t.type === "ORDER_FILL")).toHaveLength(1);
    expect(s.state.lastError).toMatch(/heartbeat timeout/);
  });
});
