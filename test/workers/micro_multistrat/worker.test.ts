import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/load.ts";
import { defaultInstruments } from "../../../src/core/instruments.ts";
import { createLogger } from "../../../src/core/log.ts";
import type { Signal } from "../../../src/core/types.ts";
import { parseSignal } from "../../../src/bus/signal-schema.ts";
import { MarketState } from "../../../src/state/market-state.ts";
import type { Candle } from "../../../src/state/candles.ts";
import { MicroMultistratWorker } from "../../../src/workers/micro_multistrat/worker.ts";
import type { Strategy } from "../../../src/workers/micro_multistrat/strategy.ts";
import * as F from "./fixtures.ts";

function setup(env: Record<string, string> = {}, strategies?: Strategy<object>[]) {
  // The worker ships switched off; these tests are about what it does when switched on.
  const config = parseConfig({ MICRO_MULTISTRAT_ENABLED: "1", ...env }).config;
  const clock = { t: 0, now() { return this.t; } };
  const instruments = defaultInstruments();
  const market = new MarketState({ instruments, clock });
  const published: Signal[] = [];
  const skips: string[] = [];
  const lines: Record<string, unknown>[] = [];
  const log = createLogger("debug", { write: (line: string) => void lines.push(JSON.parse(line)) });
  const worker = new MicroMultistratWorker({ config, market, clock, instruments, log, publish: (s) => published.push(s), metrics: { skip: (r) => skips.push(r) }, ...(strategies ? { strategies } : {}) });
  /** Seed candles and put the clock just after the last one closed, as live. */
  const load = (cs: Candle[]) => {
    market.seedCandles("USD_JPY", cs);
    clock.t = cs.at(-1)!.time + 60_000 + 500;
  };
  return { config, clock, market, worker, published, skips, lines, load };
}

const fake = (name: Strategy["name"], out: () => ReturnType<Strategy["evaluate"]>): Strategy<object> => ({ name, params: {}, evaluate: out });

describe("MicroMultistratWorker", () => {
  it("publishes a well-formed signal named for its strategy, with TP/SL, pocket and units from config", () => {
    const { worker, published, load } = setup({ MICRO_STRATEGY_ALLOWLIST: "momentum_burst", MICRO_TP_PIPS: "9", MICRO_SL_PIPS: "7", MICRO_UNITS: "3000" });
    const cs = F.burst(1);
    load(cs);
    const r = worker.onCandleClosed("USD_JPY");
    expect(r.signals).toHaveLength(1);
    expect(published).toEqual(r.signals);
    const s = published[0]!;
    expect(parseSignal(s).ok).toBe(true);
    expect(s).toMatchObject({
      worker: "micro_multistrat", strategy: "momentum_burst", pocket: "micro", instrument: "USD_JPY", side: "buy",
      proposedUnits: 3000, tpPips: 9, slPips: 7, attachSlTp: true, reduceOnly: false, ttlMs: 5000,
    });
    expect(s.id).toBe(`mm-USD_JPY-momentum_burst-${cs.at(-1)!.time}`);
  });

  it("runs only the allow-listed strategies", () => {
    const { worker, load } = setup({ MICRO_STRATEGY_ALLOWLIST: "range_break,vwap_band" });
    expect(worker.strategyNames).toEqual(["range_break", "vwap_band"]);
    load(F.burst(1));
    const r = worker.onCandleClosed("USD_JPY");
    // The burst candle also breaks the range: range_break fires, momentum_burst never ran.
    expect(Object.keys(r.results).sort()).toEqual(["range_break", "vwap_band"]);
    expect(r.signals.map((s) => s.strategy)).toEqual(["range_break"]);
  });

  it("one strategy's exception never stops the others: it is caught, counted and logged", () => {
    const boom = fake("momentum_burst", () => { throw new Error("division by zero somewhere"); });
    const ok = fake("range_break", () => ({ side: "sell", confidence: 70, reason: "test" }));
    const { worker, published, skips, lines, load } = setup({}, [boom, ok]);
    load(F.wobble(40));
    const r = worker.onCandleClosed("USD_JPY");
    expect(published.map((s) => s.strategy)).toEqual(["range_break"]);
    expect(r.results.momentum_burst).toEqual({ error: "Error: division by zero somewhere" });
    expect(skips).toEqual(["strategy_error"]);
    expect(worker.skipCounts()).toEqual({ strategy_error: 1 });
    expect(lines.some((l) => l.event === "micro_strategy_error" && l.strategy === "momentum_burst")).toBe(true);
  });

  it("a malformed strategy answer is treated as an error, not published", () => {
    const bad = fake("pullback_ema", () => ({ side: "long" as never, confidence: 50, reason: "x" }));
    const { worker, published, skips, load } = setup({}, [bad]);
    load(F.wobble(40));
    worker.onCandleClosed("USD_JPY");
    expect(published).toEqual([]);
    expect(skips).toEqual(["strategy_error"]);
  });

  it("strategies that disagree on the side cancel out: nothing is published", () => {
    const up = fake("momentum_burst", () => ({ side: "buy", confidence: 80, reason: "up" }));
    const down = fake("vwap_band", () => ({ side: "sell", confidence: 80, reason: "down" }));
    const { worker, published, skips, load } = setup({}, [up, down]);
    load(F.wobble(40));
    expect(worker.onCandleClosed("USD_JPY").skipped).toBe("conflict");
    expect(published).toEqual([]);
    expect(skips).toEqual(["conflict"]);
  });

  it("evaluates each candle once: a repeated call publishes nothing more", () => {
    const { worker, published, load } = setup({ MICRO_STRATEGY_ALLOWLIST: "momentum_burst" });
    load(F.burst(-1));
    worker.onCandleClosed("USD_JPY");
    worker.onCandleClosed("USD_JPY");
    expect(published).toHaveLength(1);
    expect(published[0]!.side).toBe("sell");
  });

  it("does not trade on a candle that closed long ago (e.g. history after a weekend gap)", () => {
    const { worker, published, clock, load } = setup({ MICRO_STRATEGY_ALLOWLIST: "momentum_burst" });
    load(F.burst(1));
    clock.t += 5 * 60_000;
    expect(worker.onCandleClosed("USD_JPY").skipped).toBe("stale_candle");
    expect(published).toEqual([]);
  });

  it("waits for its indicators: too little history publishes nothing", () => {
    const always = fake("range_break", () => ({ side: "buy", confidence: 80, reason: "x" }));
    const { worker, published, load } = setup({}, [always]);
    load(F.wobble(5));
    expect(worker.onCandleClosed("USD_JPY").skipped).toBe("warming_up");
    expect(published).toEqual([]);
  });

  it("MICRO_MULTISTRAT_ENABLED=0 publishes nothing", () => {
    const { worker, published, load } = setup({ MICRO_MULTISTRAT_ENABLED: "0" });
    load(F.burst(1));
    worker.onCandleClosed("USD_JPY");
    expect(published).toEqual([]);
  });

  it("end to end: ticks build candles, the candle-closed listener drives the worker, a burst in ticks gives a signal", () => {
    const { worker, market, clock, published } = setup({ MICRO_STRATEGY_ALLOWLIST: "momentum_burst" });
    market.onCandleClosed((i) => worker.onCandleClosed(i));
    // 40 quiet minutes of 20 ticks each wobbling by a pip, then a minute of 60 ticks rising 8 pips.
    const tick = (t: number, mid: number) => {
      clock.t = t;
      market.onTick({ instrument: "USD_JPY", bid: mid - 0.002, ask: mid + 0.002, time: t, receivedAt: t, tradeable: true });
    };
    for (let m = 0; m < 40; m++) for (let k = 0; k < 20; k++) tick(F.T0 + m * 60_000 + k * 3000, 150 + 0.01 * Math.sin(k + m));
    for (let k = 0; k < 60; k++) tick(F.T0 + 40 * 60_000 + k * 1000, 150 + 0.08 * (k / 59));
    expect(published).toEqual([]);
    tick(F.T0 + 41 * 60_000, 150.08); // first tick of the next minute closes the burst candle
    expect(published.map((s) => [s.strategy, s.side])).toEqual([["momentum_burst", "buy"]]);
    expect(published[0]!.tickReceivedAt).toBe(F.T0 + 41 * 60_000);
  });
});

describe("micro_multistrat's trade-frequency budget", () => {
  it("MICRO_MAX_ORDERS_PER_HOUR: at the limit a candle publishes nothing (rate_limit); an hour later it trades again", () => {
    const always = fake("range_break", () => ({ side: "buy", confidence: 80, reason: "x" }));
    const config = parseConfig({ MICRO_MULTISTRAT_ENABLED: "1", MICRO_MAX_ORDERS_PER_HOUR: "2" }).config;
    const candles = F.wobble(200);
    let n = 60;
    const clock = { t: 0, now() { return this.t; } };
    const market = { closedCandlesView: () => candles.slice(0, n), latestPoint: () => undefined };
    const published: Signal[] = [];
    const worker = new MicroMultistratWorker({ config, market, clock, instruments: defaultInstruments(), publish: (s) => published.push(s), strategies: [always] });
    const next = (candleIndex: number) => {
      n = candleIndex + 1;
      clock.t = candles[candleIndex]!.time + 60_000 + 500;
      return worker.onCandleClosed("USD_JPY");
    };
    next(59);
    expect(published).toHaveLength(1);
    worker.notifyOrder("USD_JPY");
    worker.notifyOrder("USD_JPY");
    expect(next(60).skipped).toBe("rate_limit");
    expect(published).toHaveLength(1);
    expect(worker.skipCounts().rate_limit).toBe(1);
    expect(next(121).skipped).toBeUndefined(); // an hour after the orders
    expect(published).toHaveLength(2);
  });
});
