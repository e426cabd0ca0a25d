// FastScalpWorker: the tick momentum scalper. The agent calls onTick(instrument) after each
// accepted tick (it may also call it on a timer: the stale gate then catches a silent feed) and
// notifyOrder(instrument) when the gate has placed one of its orders. It only publishes wishes;
// the gate sizes them with allowed_lot and decides.
import type { Config } from "../../config/schema.ts";
import { workerEnabled } from "../../config/worker-enabled.ts";
import type { Clock, Side, Signal } from "../../core/types.ts";
import { type InstrumentTable, pipSize } from "../../core/instruments.ts";
import type { Logger } from "../../core/log.ts";
import { logLater } from "../../core/log-later.ts";
import type { MarketState, TickPoint } from "../../state/market-state.ts";
import { OrderBudget, type OrderCounts, type PlacedOrder } from "../order-budget.ts";
import { evaluateFastScalp, type FastScalpSettings, fastScalpSettings, type FastScalpSkipReason } from "./rules.ts";

export interface SkipMetrics {
  skip(reason: string): void;
}

export type FastScalpDecision =
  | { action: "signal"; signal: Signal }
  | { action: "skip"; reason: FastScalpSkipReason }
  | { action: "disabled" };

/**
 * Skips are the normal state of a market without momentum (~67 lines a minute at info in paper
 * mode drowned everything else): each is logged at debug, and once a minute (worker clock) one
 * `fast_scalp_skip_summary` line at info counts them by reason.
 */
const SUMMARY_INTERVAL_MS = 60_000;

export class FastScalpWorker {
  readonly #s: FastScalpSettings;
  #seq = 0;
  readonly #lastOrderAt = new Map<string, number>();
  /** Orders placed, all instruments: the per-minute limit and the hour/day budget. */
  readonly #budget: OrderBudget;
  readonly #lastSignalAt = new Map<string, number>();
  /** Last skip reason logged per instrument: a skip is logged when the reason changes. */
  readonly #lastLogged = new Map<string, FastScalpSkipReason>();
  readonly #counts = new Map<string, number>();
  readonly #tickWindows = new Map<string, ReturnType<MarketState["slidingWindow"]>>();
  /** Skips since the last summary line, by reason, and when that window started. */
  #window = new Map<string, number>();
  #windowStart: number | undefined;

  constructor(
    private readonly d: {
      config: Config;
      market: Pick<MarketState, "latestPoint" | "previousPoint" | "slidingWindow">;
      clock: Clock;
      instruments: InstrumentTable;
      log?: Logger;
      publish: (s: Signal) => void;
      metrics?: SkipMetrics;
      /** Orders placed before a restart (the journal's, last day): the budget and cooldowns go on from them. */
      pastOrders?: readonly PlacedOrder[];
    },
  ) {
    this.#s = fastScalpSettings(d.config);
    this.#budget = new OrderBudget(d.pastOrders);
    for (const o of d.pastOrders ?? []) this.#lastOrderAt.set(o.instrument, Math.max(o.at, this.#lastOrderAt.get(o.instrument) ?? -Infinity));
  }

  /** Evaluate the instrument now. Publishes at most one signal. */
  onTick(instrument: string): FastScalpDecision {
    const { config, market, clock } = this.d;
    if (!workerEnabled(config, "fast_scalp")) return { action: "disabled" };
    const now = clock.now();
    this.#summarize(now);
    const orders = this.#budget.counts(now);
    const latest = market.latestPoint(instrument);
    const v = evaluateFastScalp(
      {
        now,
        latest,
        previous: market.previousPoint(instrument),
        // Summarised incrementally, and only read once the cheap gates (spread, staleness) pass.
        window: () => this.#tickWindow(instrument).summary(now - this.#s.windowMs),
        pip: pipSize(this.d.instruments.get(instrument)),
        lastOrderAt: this.#lastOrderAt.get(instrument),
        ordersLastMinute: orders.minute,
        ordersLastHour: orders.hour,
        ordersLastDay: orders.day,
        lastSignalAt: this.#lastSignalAt.get(instrument),
      },
      this.#s,
    );

    if (!v.ok) {
      this.#counts.set(v.reason, (this.#counts.get(v.reason) ?? 0) + 1);
      this.#window.set(v.reason, (this.#window.get(v.reason) ?? 0) + 1);
      this.d.metrics?.skip(v.reason);
      if (this.#lastLogged.get(instrument) !== v.reason) {
        this.#lastLogged.set(instrument, v.reason);
        const line = { event: "fast_scalp_skip", reason: v.reason, instrument, ...v.detail };
        const msg = `fast_scalp_skip reason=${v.reason} instrument=${instrument}`;
        this.d.log?.debug(line, msg);
      }
      return { action: "skip", reason: v.reason };
    }

    const signal = this.#signal(`fs-${instrument}-${now}-${++this.#seq}`, instrument, v.side, v.confidence, now, latest!, { ...v.detail });
    this.#lastSignalAt.set(instrument, now);
    // The next skip after a signal is a new occurrence and is logged again.
    this.#lastLogged.delete(instrument);
    // Held until the gate has decided on it (or the bus refused it): not on the way to the order
    // (src/core/log-later.ts).
    logLater(this.d.log, "info", { event: "fast_scalp_signal", instrument, side: v.side, confidence: v.confidence, signalId: signal.id, ...v.detail }, `fast_scalp_signal ${v.side} ${instrument}`);
    this.d.publish(signal);
    return { action: "signal", signal };
  }

  /**
   * The signal this worker would publish for `instrument` on `side` now, for the gate's rehearsal
   * (src/gate/rehearsal.ts): built as a real one is, and neither published nor counted. Undefined
   * without a price.
   */
  rehearsalSignal(instrument: string, side: Side): Signal | undefined {
    const latest = this.d.market.latestPoint(instrument);
    return latest && this.#signal(`rehearsal-fs-${instrument}`, instrument, side, 50, this.d.clock.now(), latest, {});
  }

  #signal(id: string, instrument: string, side: Side, confidence: number, now: number, latest: TickPoint, meta: Record<string, unknown>): Signal {
    const { config } = this.d;
    return {
      id,
      worker: "fast_scalp",
      strategy: "tick_momentum",
      pocket: config.FAST_SCALP_POCKET,
      instrument,
      side,
      confidence,
      proposedUnits: config.FAST_SCALP_UNITS,
      reduceOnly: false,
      attachSlTp: true,
      tpPips: config.FAST_SCALP_TP_PIPS,
      slPips: config.FAST_SCALP_SL_PIPS,
      createdAt: now,
      ttlMs: config.SIGNAL_TTL_MS,
      tickReceivedAt: latest.receivedAt,
      ...(latest.receivedMono !== undefined ? { tickReceivedMono: latest.receivedMono } : {}),
      meta,
    };
  }

  #tickWindow(instrument: string): ReturnType<MarketState["slidingWindow"]> {
    let w = this.#tickWindows.get(instrument);
    if (!w) this.#tickWindows.set(instrument, (w = this.d.market.slidingWindow(instrument)));
    return w;
  }

  /** Its orders in the last minute, hour and day, by its clock (the trade-frequency budget's count). */
  orderCounts(): OrderCounts {
    return this.#budget.counts(this.d.clock.now());
  }

  /** The gate placed an order for this worker: starts the cooldown and counts toward the rate limit. */
  notifyOrder(instrument: string): void {
    const now = this.d.clock.now();
    this.#lastOrderAt.set(instrument, now);
    this.#budget.record(now);
  }

  /** Once a minute: one info line with the skips of that minute by reason (none: no line). */
  #summarize(now: number): void {
    this.#windowStart ??= now;
    if (now - this.#windowStart < SUMMARY_INTERVAL_MS) return;
    // Built only for a logger that writes it (a replay's is silent: a line a data minute).
    if (this.#window.size > 0 && this.d.log?.isLevelEnabled("info")) {
      const skips = Object.fromEntries([...this.#window.entries()].sort(([, a], [, b]) => b - a));
      const total = [...this.#window.values()].reduce((a, b) => a + b, 0);
      const text = Object.entries(skips).map(([r, n]) => `${r}=${n}`).join(" ");
      this.d.log?.info({ event: "fast_scalp_skip_summary", windowSec: Math.round((now - this.#windowStart) / 1000), total, skips }, `fast_scalp skipped ${total} in the last minute: ${text}`);
    }
    this.#window = new Map();
    this.#windowStart = now;
  }

  /** Skips so far by reason (every evaluation counted, logged or not). */
  skipCounts(): Record<string, number> {
    return Object.fromEntries([...this.#counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
}
