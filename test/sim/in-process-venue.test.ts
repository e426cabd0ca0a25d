// The in-process venue answers as the OANDA client does over the simulator's HTTP. Two engines
// are built alike on two clocks that move together; one is read and traded through OandaClient
// (real requests, JSON and zod, through the simulator's Hono app), the other through
// InProcessVenue, and every answer must be deep-equal: account details after fills, hedged
// positions and closes, financing across a rollover, lookups of known and unknown ids, cancels,
// rejects and errors.
import { describe, expect, it } from "vitest";
import { InstrumentTable } from "../../src/core/instruments.ts";
import type { MarketOrderRequest } from "../../src/core/orders.ts";
import { OandaClient } from "../../src/oanda/index.ts";
import { OandaLimiter } from "../../src/oanda/http.ts";
import { createSimApp, FaultState, parseScenario, SimEngine } from "../../src/sim/index.ts";
import { InProcessVenue } from "../../src/sim/in-process-venue.ts";
import type { VenuePort } from "../../src/kernel/ports.ts";
import { IN_PROCESS_BASE_URL, inProcessFetch } from "../helpers/in-process-fetch.ts";
import { engineWith, ManualClock } from "./helpers.ts";

const SCENARIO = {
  instruments: { USD_JPY: { bid: 155.0, ask: 155.008 }, EUR_USD: { bid: 1.08, ask: 1.08008 } },
  positions: [{ instrument: "USD_JPY", long: 20_000, tag: "sekisho:macro:seed" }],
};

function twins() {
  const clocks = [new ManualClock(), new ManualClock()];
  const [eh, ev] = clocks.map((c) => engineWith(SCENARIO, c)) as [SimEngine, SimEngine];
  const { app } = createSimApp({ engine: eh, token: "t", faults: new FaultState(), heartbeatMs: 5_000 });
  const client = new OandaClient({
    restUrl: IN_PROCESS_BASE_URL, streamUrl: IN_PROCESS_BASE_URL, token: "t", accountId: eh.accountId, fetch: inProcessFetch(app),
    clock: clocks[0], instruments: new InstrumentTable(), limiter: OandaLimiter.unlimited(), retry: { maxRetries: 0 },
  });
  const venue = new InProcessVenue({ engine: ev, instruments: new InstrumentTable() });
  return {
    client, venue,
    advance(ms: number) {
      for (const c of clocks) c.advance(ms);
    },
    tick(bid: number, ask: number, instrument = "USD_JPY", tradeable = true) {
      for (const e of [eh, ev]) e.applyTick({ instrument, bid, ask, tradeable });
    },
    /** The same call on both sides; the answers (or the errors) must match. */
    async same<T>(f: (v: OandaClient | InProcessVenue) => Promise<T>): Promise<T> {
      const [a, b] = await Promise.allSettled([f(client), f(venue)]);
      if (a.status === "rejected" || b.status === "rejected") {
        expect(b.status, `venue: ${String((b as PromiseRejectedResult).reason)}`).toBe(a.status);
        const [ea, eb] = [(a as PromiseRejectedResult).reason, (b as PromiseRejectedResult).reason];
        expect(eb.constructor).toBe(ea.constructor);
        expect(eb.status).toBe(ea.status);
        throw ea;
      }
      // Strict: the same keys (an absent field and a field set to undefined differ), except in
      // `raw`, the broker's answer kept for the journal, which is compared as the journal writes it.
      expect(stripRaw(b.value)).toStrictEqual(stripRaw(a.value));
      expect(JSON.stringify(rawOf(b.value))).toBe(JSON.stringify(rawOf(a.value)));
      return a.value;
    },
  };
}

function stripRaw(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripRaw);
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, stripRaw(x)]));
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === "raw" ? "(raw)" : stripRaw(x)]));
  return v;
}

function rawOf(v: unknown): unknown[] {
  if (Array.isArray(v)) return v.flatMap(rawOf);
  if (v && typeof v === "object") return Object.entries(v).flatMap(([k, x]) => (k === "raw" ? [x] : rawOf(x)));
  return [];
}

const order = (clientId: string, side: "buy" | "sell", units: number, extra: Partial<MarketOrderRequest> = {}): MarketOrderRequest => ({
  clientId, instrument: "USD_JPY", side, units, timeInForce: "FOK", positionFill: "DEFAULT", tag: "sekisho:micro:test", comment: "t", ...extra,
});

describe("in-process venue = OandaClient over the simulator's HTTP", () => {
  it("satisfies the kernel's VenuePort (sim/ does not import kernel/, so the check lives here)", () => {
    // A type-level check first: this line does not compile if the venue drifts from the port.
    const venue: VenuePort = new InProcessVenue({ engine: engineWith(SCENARIO, new ManualClock()) });
    expect(typeof venue.submitMarketOrder).toBe("function");
  });

  it("reads: account, instruments, pricing, conversions, candles, transactions", async () => {
    const t = twins();
    await t.same((v) => v.instruments(["USD_JPY", "EUR_USD"]));
    await t.same((v) => v.instruments());
    await t.same((v) => v.instruments([]));
    await t.same((v) => v.accountDetails());
    t.advance(1_000);
    t.tick(155.123, 155.131);
    await t.same((v) => v.pricing(["USD_JPY", "EUR_USD"]));
    await t.same((v) => v.pricing([]));
    await t.same((v) => v.homeConversions(["USD_JPY"]));
    await t.same((v) => v.candles("USD_JPY", { count: 5 }));
    await t.same((v) => v.candles("USD_JPY", { granularity: "S5", count: 3, price: "M" }));
    const txs = await t.same((v) => v.transactionsSinceId("0"));
    expect(txs.transactions.length).toBeGreaterThan(2);
    await t.same((v) => v.transactionsSinceId(txs.lastTransactionID));
    const details = await t.same((v) => v.accountDetails());
    expect(details.positions).toEqual([expect.objectContaining({ instrument: "USD_JPY", long: 20_000, short: 0 })]);
    expect(details.trades).toEqual([expect.objectContaining({ side: "buy", units: 20_000, clientExtensions: { id: "seed-long-USD_JPY", tag: "sekisho:macro:seed" } })]);
  });

  it("orders: fills, a hedged book, partial and whole closes, financing over a rollover", async () => {
    const t = twins();
    await t.same((v) => v.instruments(["USD_JPY", "EUR_USD"]));
    const a = await t.same((v) => v.submitMarketOrder(order("sk-a", "buy", 10_000, { takeProfitPrice: 156, stopLossPrice: 154, priceBound: 155.1 })));
    expect(a.kind).toBe("filled");
    t.advance(15_000);
    t.tick(155.05, 155.058);
    const b = await t.same((v) => v.submitMarketOrder(order("sk-b", "sell", 7_000)));
    expect(b.kind).toBe("filled");
    await t.same((v) => v.submitMarketOrder(order("sk-eur", "sell", 3_000, { instrument: "EUR_USD" })));
    t.tick(1.0812, 1.08128, "EUR_USD");
    const hedged = await t.same((v) => v.accountDetails());
    expect(hedged.positions.find((p) => p.instrument === "USD_JPY")).toMatchObject({ long: 30_000, short: 7_000 });
    // A reduce-only order takes off the oldest long first.
    await t.same((v) => v.submitMarketOrder(order("sk-r", "sell", 25_000, { positionFill: "REDUCE_ONLY" })));
    await t.same((v) => v.accountDetails());
    const tradeA = a.kind === "filled" ? a.tradeIds[0]! : "";
    const since = hedged.lastTransactionID;
    await t.same((v) => v.closeTrade(tradeA, 1_000));
    await t.same((v) => v.closeTrade("@sk-b", "ALL"));
    await t.same((v) => v.tradeCloseFills(tradeA, since));
    await t.same((v) => v.closePosition("EUR_USD", { shortUnits: "ALL" as never, shortClientExtensions: { id: "sk-close-eur" } }));
    await t.same((v) => v.accountDetails());
    // Past 17:00 New York: a day's financing is booked on the next read, on both sides alike.
    t.advance(30 * 3_600_000);
    const after = await t.same((v) => v.accountDetails());
    expect(after.balance).not.toBe(hedged.balance);
    await t.same((v) => v.transactionsSinceId(since));
  });

  it("lookups, cancels, rejects and errors", async () => {
    const t = twins();
    await t.same((v) => v.instruments(["USD_JPY", "EUR_USD"]));
    expect(await t.same((v) => v.lookupOrderByClientId("sk-never-sent"))).toEqual({ found: false });
    await t.same((v) => v.submitMarketOrder(order("sk-f", "buy", 1_000)));
    const found = await t.same((v) => v.lookupOrderByClientId("sk-f"));
    expect(found).toMatchObject({ found: true, state: "FILLED", fill: { kind: "filled", units: 1_000 } });
    // The same client id again: a 400 reject.
    expect(await t.same((v) => v.submitMarketOrder(order("sk-f", "buy", 1_000)))).toMatchObject({ kind: "rejected", errorCode: "CLIENT_ORDER_ID_ALREADY_EXISTS" });
    // Outside the price bound, more than the margin allows, nothing to reduce: cancels.
    expect(await t.same((v) => v.submitMarketOrder(order("sk-bound", "buy", 1_000, { priceBound: 150 })))).toMatchObject({ kind: "cancelled", reason: "BOUNDS_VIOLATION" });
    expect(await t.same((v) => v.submitMarketOrder(order("sk-huge", "buy", 5_000_000)))).toMatchObject({ kind: "cancelled", reason: "INSUFFICIENT_MARGIN" });
    expect(await t.same((v) => v.submitMarketOrder(order("sk-none", "buy", 1_000, { positionFill: "REDUCE_ONLY", instrument: "EUR_USD" })))).toMatchObject({ kind: "cancelled" });
    expect(await t.same((v) => v.lookupOrderByClientId("sk-bound"))).toMatchObject({ found: true, state: "CANCELLED", cancelReason: "BOUNDS_VIOLATION" });
    // A halted market cancels; a bad request is refused before anything is sent.
    t.tick(155.0, 155.008, "USD_JPY", false);
    expect(await t.same((v) => v.submitMarketOrder(order("sk-halt", "buy", 1_000)))).toMatchObject({ kind: "cancelled", reason: "MARKET_HALTED" });
    expect(await t.same((v) => v.submitMarketOrder(order("sk-zero", "buy", 0)))).toMatchObject({ kind: "rejected", httpStatus: 0 });
    await t.same((v) => v.pricing(["USD_JPY"]));
    expect(await t.same((v) => v.closeTrade("999999", "ALL"))).toMatchObject({ kind: "rejected", httpStatus: 404 });
    expect(await t.same((v) => v.closeTrade("1", -5))).toMatchObject({ kind: "rejected", httpStatus: 0 });
    expect(await t.same((v) => v.closePosition("EUR_USD", { longUnits: "ALL" as never }))).toMatchObject({ long: { kind: "rejected" } });
    await expect(t.same((v) => v.pricing(["USD_XXX"]))).rejects.toThrow(/400/);
    await expect(t.same((v) => v.transactionsSinceId("99999"))).rejects.toThrow(/416/);
    await expect(t.same((v) => v.tradeCloseFills("@x", "1"))).rejects.toThrow(/numeric trade id/);
  });
});

describe("in-process venue over an engine that keeps no price history (replay's)", () => {
  it("refuses candles, saying why, and answers everything else as before", async () => {
    const clock = new ManualClock();
    const scenario = parseScenario({ ticks: { source: "fixed" }, execution: { slippagePips: 0 } });
    const lean = new SimEngine(scenario, clock, undefined, { priceHistory: false });
    expect(lean.history.ticks("USD_JPY").time).toHaveLength(0);
    const venue = new InProcessVenue({ engine: lean });
    await expect(venue.candles("USD_JPY")).rejects.toThrow(/keeps no price history/);
    lean.applyTick({ instrument: "USD_JPY", bid: 155.1, ask: 155.108, time: clock.now() });
    expect(lean.history.ticks("USD_JPY").time).toHaveLength(0);
    expect((await venue.accountDetails()).nav).toBe(lean.numbers().nav);
    // The same engine with its history answers candles.
    await expect(new InProcessVenue({ engine: new SimEngine(scenario, clock) }).candles("USD_JPY")).resolves.toBeInstanceOf(Array);
  });
});

describe("in-process venue: what it hands out is the caller's", () => {
  it("a fill's raw answer is a copy: writing into it leaves the engine's transactions as they were", async () => {
    const clock = new ManualClock();
    const engine = engineWith(SCENARIO, clock);
    const venue = new InProcessVenue({ engine, instruments: new InstrumentTable() });
    await venue.instruments();
    const out = await venue.submitMarketOrder(order("raw-copy", "buy", 1_000, { tag: "sekisho:micro:raw" }));
    expect(out.kind).toBe("filled");
    const before = JSON.stringify(engine.transactions());
    const raw = (out as { raw: { orderFillTransaction: Record<string, unknown>; orderCreateTransaction: { clientExtensions?: Record<string, unknown> } } }).raw;
    raw.orderFillTransaction.units = "999999";
    raw.orderCreateTransaction.clientExtensions!.tag = "rewritten";
    expect(JSON.stringify(engine.transactions())).toBe(before);
  });

  it("the open trades an account read lists are frozen: a write throws, and the next read lists them as they are", async () => {
    const clock = new ManualClock();
    const engine = engineWith(SCENARIO, clock);
    const venue = new InProcessVenue({ engine, instruments: new InstrumentTable() });
    const first = venue.accountDetailsNow();
    expect(first.trades).toHaveLength(1);
    expect(() => { (first.trades as unknown[]).push({}); }).toThrow(TypeError);
    expect(() => { (first.trades[0] as { units: number }).units = 1; }).toThrow(TypeError);
    expect(() => { first.trades[0]!.clientExtensions!.tag = "rewritten"; }).toThrow(TypeError);
    expect(venue.accountDetailsNow().trades).toEqual([expect.objectContaining({ units: 20_000, clientExtensions: expect.objectContaining({ tag: "sekisho:macro:seed" }) })]);
  });
});
