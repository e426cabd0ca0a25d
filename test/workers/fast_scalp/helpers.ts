// A fast_scalp harness: real MarketState, a hand-driven clock, captured logs, counted skips.
import { parseConfig } from "../../../src/config/load.ts";
import { defaultInstruments } from "../../../src/core/instruments.ts";
import { createLogger } from "../../../src/core/log.ts";
import type { Signal } from "../../../src/core/types.ts";
import { MarketState } from "../../../src/state/market-state.ts";
import { type FastScalpDecision, FastScalpWorker } from "../../../src/workers/fast_scalp/worker.ts";
import type { PlacedOrder } from "../../../src/workers/order-budget.ts";

export const T0 = Date.UTC(2024, 0, 8, 9, 0);
export const PIP = 0.01; // USD_JPY

export function harness(env: Record<string, string> = {}, opts: { pastOrders?: readonly PlacedOrder[] } = {}) {
  // The worker ships switched off; these tests are about what it does when switched on.
  const config = parseConfig({ FAST_SCALP_ENABLED: "1", ...env }).config;
  const clock = { t: T0, now() { return this.t; } };
  const instruments = defaultInstruments();
  const market = new MarketState({ instruments, clock });
  const published: Signal[] = [];
  const skips: string[] = [];
  const lines: Record<string, unknown>[] = [];
  const log = createLogger("debug", { write: (line: string) => void lines.push(JSON.parse(line)) });
  const worker = new FastScalpWorker({ config, market, clock, instruments, log, publish: (s) => published.push(s), metrics: { skip: (r) => skips.push(r) }, ...opts });
  /** One USD_JPY tick at T0 + ms with the given mid and spread, then an evaluation. */
  const tick = (ms: number, mid: number, spreadPips = 0.5, instrument = "USD_JPY"): FastScalpDecision => {
    clock.t = T0 + ms;
    const half = (spreadPips * PIP) / 2;
    market.onTick({ instrument, bid: mid - half, ask: mid + half, time: T0 + ms, receivedAt: T0 + ms, tradeable: true });
    return worker.onTick(instrument);
  };
  /** Ticks one second apart from `startMs`, mid rising `stepPips` each. Returns the decisions. */
  const run = (n: number, opts: { startMs?: number; from?: number; stepPips?: number; spreadPips?: number } = {}) => {
    const { startMs = 0, from = 150, stepPips = 0.3, spreadPips = 0.5 } = opts;
    return Array.from({ length: n }, (_, i) => tick(startMs + i * 1000, from + i * stepPips * PIP, spreadPips));
  };
  const skipLines = () => lines.filter((l) => l.event === "fast_scalp_skip");
  return { config, clock, market, worker, published, skips, lines, skipLines, tick, run };
}

export const reasons = (ds: FastScalpDecision[]) => ds.map((d) => (d.action === "skip" ? d.reason : d.action));
