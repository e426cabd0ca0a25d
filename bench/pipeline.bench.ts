// The hot path of a tick and of a signal, measured: stream bytes -> lines, a tick into market
// state, and a signal through the bus. `npm run bench` prints ops/s; compare the rows for ratios
// (e.g. how many pricing lines per second one core parses versus OANDA's 4 prices/s/instrument).
import { bench, describe } from "vitest";
import { NdjsonLineSplitter } from "../src/oanda/ndjson.ts";
import { MarketState } from "../src/state/market-state.ts";
import { InstrumentTable } from "../src/core/instruments.ts";
import { SignalBus } from "../src/bus/signal-bus.ts";
import type { Signal } from "../src/core/types.ts";

const line = JSON.stringify({
  type: "PRICE", time: "2026-11-23T21:00:00.123456789Z", instrument: "USD_JPY", tradeable: true, status: "tradeable",
  bids: [{ price: "155.002", liquidity: 1000000 }], asks: [{ price: "155.010", liquidity: 1000000 }], closeoutBid: "155.002", closeoutAsk: "155.010",
});
const chunk = new TextEncoder().encode(`${line}\n`.repeat(64));

describe("stream parsing", () => {
  bench("NDJSON: split a 64-line chunk into lines", () => {
    const s = new NdjsonLineSplitter();
    s.push(chunk);
  });
  bench("NDJSON + JSON.parse of 64 PRICE lines", () => {
    const s = new NdjsonLineSplitter();
    for (const l of s.push(chunk)) JSON.parse(l);
  });
});

describe("market state", () => {
  const clock = { t: 0, now: () => clock.t };
  const m = new MarketState({ instruments: new InstrumentTable(), clock });
  let i = 0;
  bench("one tick into market state (window + M1 candle)", () => {
    i++;
    clock.t = i * 250;
    const mid = 155 + Math.sin(i / 50) * 0.2;
    m.onTick({ instrument: "USD_JPY", bid: mid - 0.004, ask: mid + 0.004, time: clock.t, receivedAt: clock.t, tradeable: true });
  });
});

describe("signal bus", () => {
  const clock = { now: () => 0 };
  let n = 0;
  const sig = (): Signal => ({ id: `b${++n}`, worker: "fast_scalp", strategy: "t", pocket: "scalp_fast", instrument: "USD_JPY", side: "buy", confidence: n % 100, proposedUnits: 1000, reduceOnly: false, attachSlTp: true, createdAt: 0, ttlMs: 5000 });
  bench("publish + take one signal (validated, de-duplicated)", () => {
    const bus = new SignalBus({ capacity: 256, clock });
    bus.publish(sig());
    bus.tryNext();
  });
});
