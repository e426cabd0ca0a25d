// MicroMultistratWorker: runs the allow-listed strategies on each closed M1 candle. The agent
// wires market.onCandleClosed((i) => worker.onCandleClosed(i)). Each strategy is isolated: one
// that throws is caught, counted and logged, and the others still run.
import type { Config } from "../../config/schema.ts";
import { workerEnabled } from "../../config/worker-enabled.ts";
import type { Clock, Side, Signal } from "../../core/types.ts";
import type { InstrumentTable } from "../../core/instruments.ts";
import type { Logger } from "../../core/log.ts";
import { M1_MS } from "../../state/candles.ts";
import type { MarketState } from "../../state/market-state.ts";
import { IndicatorSet } from "../indicators.ts";
import { budgetBreach, OrderBudget, type OrderCounts, type PlacedOrder } from "../order-budget.ts";
import { defaultStrategies } from "./strategies/index.ts";
import { parseMicroStrategyParams } from "../../config/schema.ts";
import type { MicroStrategyName, Strategy, StrategySignal } from "./strategy.ts";

export interface SkipMetrics {
  skip(reason: string): void;
}

/** Skip reasons the worker counts (per candle, or per strategy for strategy_error). */
const MICRO_SKIP_REASONS = ["warming_up", "stale_candle", "rate_limit", "strategy_error", "conflict"] as const;
export type MicroSkipReason = (typeof MICRO_SKIP_REASONS)[number];

/** A candle that closed longer ago than this (clock time) is history, not a trading signal. */
const MAX_CANDLE_LAG_MS = M1_MS;

export interface MicroResult {
  /** Candle the strategies looked at (undefined when there was none). */
  candleTime?: number;
  signals: Signal[];
  /** Per strategy: what it said (undefined = nothing), or the error it threw. */
  results: Partial<Record<MicroStrategyName, StrategySignal | { error: string } | undefined>>;
  skipped?: MicroSkipReason;
}

export class MicroMultistratWorker {
  readonly #strategies: Strategy<object>[];
  readonly #indicators = new Map<string, IndicatorSet>();
  readonly #evaluated = new Map<string, number>();
  readonly #counts = new Map<string, number>();
  /** Orders the gate placed for this worker, all instruments: the trade-frequency budget. */
  readonly #budget: OrderBudget;

  constructor(
    private readonly d: {
      config: Config;
      market: Pick<MarketState, "closedCandlesView" | "latestPoint">;
      clock: Clock;
      instruments: InstrumentTable;
      log?: Logger;
      publish: (s: Signal) => void;
      metrics?: SkipMetrics;
      /** Replaces the built-in strategies (tests, experiments); still filtered by the allow-list. */
      strategies?: Strategy<object>[];
      /** Orders placed before a restart (the journal's, last day): the budget goes on from them. */
      pastOrders?: readonly PlacedOrder[];
    },
  ) {
    this.#budget = new OrderBudget(d.pastOrders);
    const parsed = parseMicroStrategyParams(d.config.MICRO_STRATEGY_PARAMS);
    const all = d.strategies ?? Object.values(defaultStrategies("params" in parsed ? parsed.params : {}));
    const allow = new Set<string>(d.config.MICRO_STRATEGY_ALLOWLIST);
    this.#strategies = all.filter((s) => allow.has(s.name));
  }

  /** Names of the strategies that run, in order. */
  get strategyNames(): MicroStrategyName[] {
    return this.#strategies.map((s) => s.name);
  }

  #count(reason: MicroSkipReason): void {
    this.#counts.set(reason, (this.#counts.get(reason) ?? 0) + 1);
    this.d.metrics?.skip(reason);
  }

  onCandleClosed(instrument: string): MicroResult {
    const { config, market, clock, log } = this.d;
    const out: MicroResult = { signals: [], results: {} };
    if (!workerEnabled(config, "micro_multistrat")) return out;
    // The market state's own array (no copy): read within this call only.
    const candles = market.closedCandlesView(instrument);
    const last = candles.at(-1);
    if (!last) return out;
    out.candleTime = last.time;
    // Each candle is evaluated once, even if the caller repeats itself.
    if ((this.#evaluated.get(instrument) ?? Number.NEGATIVE_INFINITY) >= last.time) return out;
    this.#evaluated.set(instrument, last.time);

    let ind = this.#indicators.get(instrument);
    if (!ind) this.#indicators.set(instrument, (ind = new IndicatorSet()));
    ind.catchUp(candles);
    const snap = ind.snapshot();

    const now = clock.now();
    if (now - (last.time + M1_MS) > MAX_CANDLE_LAG_MS) {
      this.#count("stale_candle");
      log?.info({ event: "micro_skip", reason: "stale_candle", instrument, candleTime: last.time, lagMs: now - (last.time + M1_MS) });
      return { ...out, skipped: "stale_candle" };
    }
    if (!snap || snap.atr === undefined) {
      this.#count("warming_up");
      return { ...out, skipped: "warming_up" };
    }

    // The trade-frequency budget (MICRO_MAX_ORDERS_PER_HOUR / _PER_DAY): none left, no signal.
    const orders = this.#budget.counts(now);
    const limits = { perHour: config.MICRO_MAX_ORDERS_PER_HOUR, perDay: config.MICRO_MAX_ORDERS_PER_DAY };
    const breach = budgetBreach(orders, limits);
    if (breach) {
      this.#count("rate_limit");
      log?.info({ event: "micro_skip", reason: "rate_limit", instrument, candleTime: last.time, ...breach });
      return { ...out, skipped: "rate_limit" };
    }
    const room = Math.min(limits.perHour - orders.hour, limits.perDay - orders.day);

    const fired: { strategy: MicroStrategyName; sig: StrategySignal }[] = [];
    for (const s of this.#strategies) {
      try {
        const sig = s.evaluate(candles, snap);
        out.results[s.name] = sig;
        if (!sig) continue;
        if ((sig.side !== "buy" && sig.side !== "sell") || !Number.isFinite(sig.confidence)) {
          throw new Error(`returned a malformed signal ${JSON.stringify(sig)}`);
        }
        fired.push({ strategy: s.name, sig });
      } catch (e) {
        out.results[s.name] = { error: String(e) };
        this.#count("strategy_error");
        log?.error({ event: "micro_strategy_error", strategy: s.name, instrument, candleTime: last.time, err: String(e) }, `micro strategy ${s.name} failed`);
      }
    }
    if (fired.length === 0) return out;

    // Strategies that disagree cancel out: on a hedging account a buy and a sell together would
    // open both sides and pay the spread twice for no exposure.
    const sides = new Set<Side>(fired.map((f) => f.sig.side));
    if (sides.size > 1) {
      this.#count("conflict");
      log?.info({ event: "micro_skip", reason: "conflict", instrument, candleTime: last.time, strategies: fired.map((f) => `${f.strategy}:${f.sig.side}`) });
      return { ...out, skipped: "conflict" };
    }

    const tickReceivedAt = market.latestPoint(instrument)?.receivedAt;
    // Never more signals than the budget has room for (several strategies may fire on one candle).
    for (const { strategy, sig } of fired.slice(0, room)) {
      const signal: Signal = {
        // Deterministic and unique per instrument, strategy and candle: a repeat is a duplicate
        // the bus drops.
        id: `mm-${instrument}-${strategy}-${last.time}`,
        worker: "micro_multistrat",
        strategy,
        pocket: config.MICRO_POCKET,
        instrument,
        side: sig.side,
        confidence: Math.min(100, Math.max(0, sig.confidence)),
        proposedUnits: config.MICRO_UNITS,
        reduceOnly: false,
        attachSlTp: true,
        tpPips: config.MICRO_TP_PIPS,
        slPips: config.MICRO_SL_PIPS,
        createdAt: now,
        ttlMs: config.SIGNAL_TTL_MS,
        ...(tickReceivedAt !== undefined ? { tickReceivedAt } : {}),
        meta: { reason: sig.reason, candleTime: last.time },
      };
      log?.info({ event: "micro_signal", instrument, strategy, side: sig.side, confidence: signal.confidence, reason: sig.reason, signalId: signal.id }, `micro_signal ${strategy} ${sig.side} ${instrument}`);
      out.signals.push(signal);
      this.d.publish(signal);
    }
    return out;
  }

  /** Its orders in the last minute, hour and day, by its clock (the trade-frequency budget's count). */
  orderCounts(): OrderCounts {
    return this.#budget.counts(this.d.clock.now());
  }

  /** The gate placed one of this worker's orders: it counts toward the hour/day budget. */
  notifyOrder(_instrument: string): void {
    this.#budget.record(this.d.clock.now());
  }

  /** Skips so far by reason. */
  skipCounts(): Record<string, number> {
    return Object.fromEntries([...this.#counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
}
