// Both streams against the simulator on loopback: silence is detected and the stream
// reconnects; drops during fills lose nothing and duplicate nothing; bad lines are skipped.
import { describe, expect, it } from "vitest";
import type { OandaClient } from "../../src/oanda/client.ts";
import type { Tick } from "../../src/core/types.ts";
import type { Transaction } from "../../src/oanda/schemas.ts";
import { fastStream as fast, marketOrder, type Rig, simRig, until } from "./sim-rig.ts";
import { delay } from "../helpers/wait.ts";

/** A started pricing stream of USD_JPY and the ticks it delivered. */
function pricing(rig: Rig, extra: { clock?: { now(): number } } = {}) {
  const ticks: Tick[] = [];
  const s = rig.client().pricingStream({ instruments: ["USD_JPY"], onTick: (t) => void ticks.push(t), ...fast, ...extra });
  rig.stops.push(() => s.stop());
  s.start();
  return { s, ticks };
}

/** A transaction stream from the account's current last transaction, connected, and what it delivered. */
async function transactions(rig: Rig, c: OandaClient, o: Partial<typeof fast> = {}) {
  const start = (await c.accountDetails()).lastTransactionID;
  const seen: Transaction[] = [];
  const s = c.transactionStream({ onTransaction: (t) => void seen.push(t), lastTransactionID: start, ...fast, ...o });
  rig.stops.push(() => s.stop());
  s.start();
  await until(() => s.state.connected, "connected");
  /** The broker's transactions since the stream started, in order. */
  const broker = () => rig.sim.engine.transactionsSince(Number(start)).map((t) => t.id);
  return { s, seen, broker };
}

const setPrice = (rig: Rig, bid: number, tradeable = true) => rig.sim.engine.setPrice({ instrument: "USD_JPY", bid, ask: bid + 0.008, tradeable });

describe("pricing stream", () => {
  const rig = simRig();

  it("delivers ticks with receivedAt and records heartbeats and last price per instrument", async () => {
    let now = 1_000;
    const { s, ticks } = pricing(rig, { clock: { now: () => ++now } });
    await until(() => ticks.length >= 1 && s.state.lastHeartbeatAt !== undefined, "the snapshot and a heartbeat");
    for (const bid of [155.01, 155.02]) {
      setPrice(rig, bid);
      await until(() => ticks.at(-1)?.bid === bid, `the price ${bid}`);
    }
    expect(ticks[0]).toMatchObject({ instrument: "USD_JPY", bid: 155, ask: 155.008, tradeable: true });
    expect(ticks.every((t) => t.receivedAt > 1_000)).toBe(true);
    expect(s.state.connected).toBe(true);
    expect(s.state.lastPriceAt.USD_JPY).toBe(ticks.at(-1)!.receivedAt);
    expect(s.state.tradeable.USD_JPY).toBe(true);
  });

  it("a silent stall (no heartbeats, connection open) is detected and the stream reconnects", async () => {
    const { s, ticks } = pricing(rig);
    await until(() => s.state.lastHeartbeatAt !== undefined, "a heartbeat");
    rig.sim.setFaults({ stallStream: true });
    await until(() => s.state.reconnects >= 1, "a reconnect after the stall");
    expect(s.state.lastError).toMatch(/heartbeat timeout/);
    rig.sim.setFaults({ stallStream: false });
    const n = ticks.length;
    setPrice(rig, 155.1);
    await until(() => ticks.length > n && s.state.connected, "a tick on the new connection");
    expect(ticks.at(-1)).toMatchObject({ bid: 155.1, ask: 155.108 });
    expect(rig.count("GET", "/pricing/stream")).toBeGreaterThanOrEqual(2);
  });

  it("malformed lines (in the same chunk as good ones) are counted and skipped; the stream keeps going", async () => {
    rig.sim.setFaults({ malformedLineRate: 1 }); // a garbage line before every line
    const { s, ticks } = pricing(rig);
    await until(() => ticks.length >= 1, "the snapshot");
    setPrice(rig, 155.05);
    await until(() => ticks.length >= 2 && s.state.lastHeartbeatAt !== undefined, "ticks and a heartbeat after bad lines");
    expect(s.state.malformedLines).toBeGreaterThanOrEqual(3);
    expect(s.state.reconnects).toBe(0);
    expect(ticks.map((t) => t.bid)).toEqual([155, 155.05]);
  });

  it("a callback that returns a promise holds the next tick until it settles; one that throws is counted (handler_error) and the stream goes on", async () => {
    const got: number[] = [];
    let release!: () => void;
    let calls = 0;
    const s = rig.client().pricingStream({
      instruments: ["USD_JPY"], ...fast,
      onTick: (t) => {
        calls++;
        if (calls === 1) return new Promise<void>((r) => (release = () => (got.push(t.bid), r())));
        if (calls === 2) throw new Error("a bug in the consumer");
        got.push(t.bid);
      },
    });
    rig.stops.push(() => s.stop());
    s.start();
    await until(() => calls === 1, "the snapshot");
    // The rig's simulator sends a price at most every 10 ms (throttleMs), latest price wins: set
    // apart by more than that, 155.02 and 155.03 each go out as their own line.
    await delay(30);
    setPrice(rig, 155.02);
    await delay(30);
    setPrice(rig, 155.03);
    await delay(100);
    expect(calls).toBe(1); // the later ticks wait behind the pending promise
    release();
    await until(() => got.includes(155.03), "the ticks after it");
    expect(got).toEqual([155, 155.03]); // 155.02 went to the throwing call
    expect(s.state.malformedLines).toBe(1);
    expect(s.state.reconnects).toBe(0);
  });

  it("tradeable:false marks the instrument not tradeable", async () => {
    setPrice(rig, 155, false);
    const { s, ticks } = pricing(rig);
    await until(() => ticks.length >= 1, "a tick");
    expect(ticks[0]!.tradeable).toBe(false);
    expect(s.state.tradeable.USD_JPY).toBe(false);
  });

  it("stop() closes the connection and nothing reconnects afterwards", async () => {
    const { s } = pricing(rig);
    await until(() => s.state.connected, "connected");
    await s.stop();
    expect(s.state.connected).toBe(false);
    const reconnects = s.state.reconnects;
    const connects = rig.count("GET", "/pricing/stream");
    await delay(150);
    expect(s.state.reconnects).toBe(reconnects);
    expect(rig.count("GET", "/pricing/stream")).toBe(connects);
  });
});

describe("transaction stream", () => {
  const rig = simRig();

  it("after drops during fills, every fill is seen exactly once, in the broker's order", async () => {
    const c = rig.client();
    const { s, seen, broker } = await transactions(rig, c);
    rig.sim.setFaults({ dropStreamAfterLines: 3 }); // heartbeats and transactions both count
    const fills: string[] = [];
    for (let i = 0; i < 25; i++) {
      const o = await c.submitMarketOrder(marketOrder({ side: i % 2 ? "sell" : "buy", clientId: `sk-drop-${i}` }));
      expect(o.kind).toBe("filled");
      if (o.kind === "filled") fills.push(o.transactionId);
      if (i % 5 === 0) await delay(20); // let drops land between fills
    }
    await until(() => s.state.lastTransactionID === rig.sim.engine.lastTransactionID, "the last transaction");
    expect(seen.filter((t) => t.type === "ORDER_FILL").map((t) => t.id)).toEqual(fills);
    expect(seen.map((t) => t.id)).toEqual(broker()); // in order, none missing, none twice
    expect(s.state.reconnects).toBeGreaterThan(0);
    expect(s.state.gapFilled).toBeGreaterThan(0);
  });

  it("transactions the stream never carried are recovered by a heartbeat's lastTransactionID, without a reconnect", async () => {
    const c = rig.client();
    const { s, seen, broker } = await transactions(rig, c);
    rig.sim.setFaults({ stallStream: true }); // the create and the fill never reach the stream
    await c.submitMarketOrder(marketOrder({ clientId: "sk-hidden-1" }));
    rig.sim.setFaults({ stallStream: false }); // well before the heartbeat timeout: only a heartbeat reveals them
    await until(() => seen.some((t) => t.clientOrderID === "sk-hidden-1" && t.type === "ORDER_FILL"), "the hidden fill via the heartbeat");
    expect(seen.map((t) => t.id)).toEqual(broker());
    expect(s.state.gapFilled).toBeGreaterThanOrEqual(2);
    expect(s.state.reconnects).toBe(0);
  });

  it("a stalled transaction stream reconnects and fills the gap from the last seen id", async () => {
    const c = rig.client();
    const { s, seen } = await transactions(rig, c);
    rig.sim.setFaults({ stallStream: true });
    await c.submitMarketOrder(marketOrder()); // happens while the stream is silent
    await until(() => s.state.reconnects >= 1, "reconnect after the stall");
    rig.sim.setFaults({ stallStream: false });
    await until(() => seen.some((t) => t.type === "ORDER_FILL"), "the fill");
    expect(seen.filter((t) => t.type === "ORDER_FILL")).toHaveLength(1);
    expect(s.state.lastError).toMatch(/heartbeat timeout/);
  });
});

describe("transaction stream, heartbeats seconds apart", () => {
  const rig = simRig({ heartbeatMs: 5_000 });

  it("a jump in transaction ids fills the gap before the newer transaction is delivered", async () => {
    const c = rig.client();
    const { s, seen, broker } = await transactions(rig, c, { heartbeatTimeoutMs: 20_000 });
    rig.sim.setFaults({ stallStream: true });
    await c.submitMarketOrder(marketOrder({ clientId: "sk-lost" })); // create + fill never carried
    rig.sim.setFaults({ stallStream: false });
    await c.submitMarketOrder(marketOrder({ clientId: "sk-next" })); // carried: its id jumps past the lost two
    await until(() => s.state.lastTransactionID === rig.sim.engine.lastTransactionID, "the last transaction");
    expect(seen.map((t) => t.id)).toEqual(broker());
    expect(seen.findIndex((t) => t.clientOrderID === "sk-lost")).toBeLessThan(seen.findIndex((t) => t.clientOrderID === "sk-next"));
    expect(s.state.gapFilled).toBeGreaterThanOrEqual(2);
    expect(s.state.reconnects).toBe(0);
  });
});
