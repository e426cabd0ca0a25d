// The agent's Prometheus metrics, on a registry of its own (never prom-client's global one, so
// two agents in one process — tests — never share counters). Callers use the typed methods;
// metric names and labels live here only.
//
// prom-client's collectDefaultMetrics runs under Deno and Bun, but there its event-loop-lag
// gauges report nonsense (NaN, a minimum of 9.2e9 s), so it is not enabled; the few process
// figures worth having are exported here instead.
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { ORDER_STATUSES, type OrderStatus } from "../core/orders.ts";

/** From 0.5 ms to 5 s: a loopback simulator answers in about a millisecond, OANDA in tens. */
/** From 50 µs: the goal for tick to submit is 250 µs, and a bucket must be able to show it. */
export const TICK_TO_SUBMIT_BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export type StreamName = "pricing" | "transactions";

export interface AccountFigures {
  /** marginUsed / NAV */
  marginUsageRatio: number;
  /** marginAvailable / NAV */
  freeMarginRatio: number;
  nav: number;
  marginUsed?: number;
  marginAvailable?: number;
  /** Epoch ms of the broker snapshot; exported so a stale (or never set, 0) account shows. */
  asOf?: number;
}

export interface MetricsInfo {
  version: string;
  runtime: string;
  mode: string;
  /** Epoch ms the agent started. */
  startedAt: number;
}

export class MetricsRegistry {
  readonly registry = new Registry();
  readonly contentType: string = this.registry.contentType;
  readonly #beforeScrape: Array<() => void | Promise<void>> = [];

  readonly #marginUsage = this.#gauge("sekisho_margin_usage_ratio", "Account margin used / NAV (account.margin_usage_ratio).");
  readonly #freeMargin = this.#gauge("sekisho_free_margin_ratio", "Account margin available / NAV (free_margin_ratio).");
  readonly #nav = this.#gauge("sekisho_nav", "Account net asset value in the home currency.");
  readonly #marginUsed = this.#gauge("sekisho_margin_used", "Margin used as the broker reports it, home currency.");
  readonly #marginAvailable = this.#gauge("sekisho_margin_available", "Margin available as the broker reports it, home currency.");
  readonly #accountTime = this.#gauge("sekisho_account_updated_time_seconds", "When the account figures were last refreshed (0: never; the margin gauges read 0 until then).");
  readonly #decisions = this.#counter("sekisho_decisions_total", "Gate decisions by outcome (accepted, skipped, error) and reason.", ["outcome", "reason"]);
  readonly #orders = this.#gauge("sekisho_orders", "Orders in the journal by status.", ["status"]);
  readonly #reconnects = this.#counter("sekisho_stream_reconnects_total", "Reconnections of a broker stream.", ["stream"]);
  readonly #malformed = this.#counter("sekisho_stream_malformed_lines_total", "Stream lines that could not be parsed (skipped, stream kept).", ["stream"]);
  readonly #fastScalpSkips = this.#counter("sekisho_fast_scalp_skips_total", "fast_scalp gate skips by reason (fast_scalp_skip log lines).", ["reason"]);
  readonly #microSkips = this.#counter("sekisho_micro_multistrat_skips_total", "micro_multistrat evaluations that published nothing, by reason.", ["reason"]);
  readonly #signals = this.#counter("sekisho_signals_total", "Signals published on the bus, by worker.", ["worker"]);
  readonly #busDropped = this.#counter("sekisho_signal_bus_dropped_total", "Signals the bus refused (signal_stale, overflow, closed).", ["reason"]);
  readonly #ledgerFills = this.#counter("sekisho_ledger_fills_total", "Fills in the broker's ledger by attribution (settled, late_fill, unattributed, manual, broker_exit).", ["attribution"]);
  readonly #ledgerAlerts = this.#counter("sekisho_ledger_alerts_total", "Ledger alerts by kind (late_fill, unattributed, manual, margin_closeout).", ["kind"]);
  readonly #rehearsals = this.#counter("sekisho_gate_rehearsals_total", "Entries the gate rehearsed while idle (GATE_REHEARSAL), by how far the decision got (request, skip, planned, error).", ["reached"]);
  readonly #tickToSubmit = new Histogram({
    name: "sekisho_tick_to_submit_seconds",
    help: "From the arrival of the tick that caused a signal to the order request being written.",
    buckets: TICK_TO_SUBMIT_BUCKETS,
    registers: [this.registry],
  });
  readonly #replicaLag = this.#gauge("sekisho_replica_lag_rows", "Journal rows not yet pushed to the Turso replica.");
  readonly #priceAge = this.#gauge("sekisho_price_age_seconds", "Age of the latest price per instrument.", ["instrument"]);
  readonly #closeoutGuard = this.#gauge("sekisho_closeout_guard_engaged", "1 while the closeout guard is engaged (entries stopped, exposure being reduced).");
  readonly #closeoutGuardEngagements = this.#counter("sekisho_closeout_guard_engagements_total", "Times the closeout guard engaged, by reason (distance, usage).", ["reason"]);
  readonly #closeoutDistance = this.#gauge("sekisho_closeout_distance_pips", "Adverse move in pips to the broker's loss-cut (nearest instrument); -1 when no move reaches it.");
  readonly #closeoutUsage = this.#gauge("sekisho_closeout_usage_ratio", "Usage under the loss-cut rule in force (marginCloseoutPercent); the loss-cut is at 1.");
  readonly #killSwitch = this.#gauge("sekisho_kill_switch_engaged", "1 while the kill switch is engaged.");
  readonly #lossLimit = this.#gauge("sekisho_loss_limit_engaged", "1 while a loss limit stops entries, by scope (daily, drawdown).", ["scope"]);
  readonly #paused = this.#gauge("sekisho_worker_paused", "1 while a worker is paused.", ["worker"]);
  readonly #info = this.#gauge("sekisho_build_info", "Always 1; labels say what runs.", ["version", "runtime", "mode"]);
  readonly #startTime = this.#gauge("sekisho_start_time_seconds", "When the agent started, seconds since the Unix epoch.");

  constructor(info?: MetricsInfo) {
    if (info) {
      this.#info.set({ version: info.version, runtime: info.runtime, mode: info.mode }, 1);
      this.#startTime.set(info.startedAt / 1000);
    }
    // Statuses appear from the start at 0, so dashboards and alerts see them before the first order.
    this.orderStatus({});
    this.#killSwitch.set(0);
    this.#closeoutGuard.set(0);
  }

  setAccount(a: AccountFigures): void {
    this.#marginUsage.set(a.marginUsageRatio);
    this.#freeMargin.set(a.freeMarginRatio);
    this.#nav.set(a.nav);
    if (a.marginUsed !== undefined) this.#marginUsed.set(a.marginUsed);
    if (a.marginAvailable !== undefined) this.#marginAvailable.set(a.marginAvailable);
    if (a.asOf !== undefined) this.#accountTime.set(a.asOf / 1000);
  }

  decision(outcome: string, reason: string): void {
    this.#decisions.inc({ outcome, reason });
  }

  rehearsal(reached: string): void {
    this.#rehearsals.inc({ reached });
  }

  /** Current number of journal orders per status; statuses not given are 0. */
  orderStatus(counts: Partial<Record<OrderStatus, number>>): void {
    for (const s of ORDER_STATUSES) this.#orders.set({ status: s }, counts[s] ?? 0);
  }

  streamReconnect(stream: StreamName): void {
    this.#reconnects.inc({ stream });
  }

  malformedLine(stream: StreamName): void {
    this.#malformed.inc({ stream });
  }

  microSkip(reason: string): void {
    this.#microSkips.inc({ reason });
  }

  fastScalpSkip(reason: string): void {
    this.#fastScalpSkips.inc({ reason });
  }

  signalPublished(worker: string): void {
    this.#signals.inc({ worker });
  }

  signalDropped(reason: string): void {
    this.#busDropped.inc({ reason });
  }

  /** Seconds from tick arrival to the order request being written; negative values are clock noise and are dropped. */
  tickToSubmit(seconds: number): void {
    if (Number.isFinite(seconds) && seconds >= 0) this.#tickToSubmit.observe(seconds);
  }

  ledgerFill(attribution: string): void {
    this.#ledgerFills.inc({ attribution });
  }

  ledgerAlert(kind: string): void {
    this.#ledgerAlerts.inc({ kind });
  }

  replicaLag(rows: number): void {
    this.#replicaLag.set(rows);
  }

  priceAge(instrument: string, seconds: number): void {
    this.#priceAge.set({ instrument }, seconds);
  }

  setControl(s: { killSwitch: boolean; pausedWorkers: Record<string, boolean> }): void {
    this.#killSwitch.set(s.killSwitch ? 1 : 0);
    for (const [worker, paused] of Object.entries(s.pausedWorkers)) this.#paused.set({ worker }, paused ? 1 : 0);
  }

  /** Loss-limit guard: which limit stops entries now (none: both 0). */
  setLossLimit(scope: "daily" | "drawdown" | null): void {
    this.#lossLimit.set({ scope: "daily" }, scope === "daily" ? 1 : 0);
    this.#lossLimit.set({ scope: "drawdown" }, scope === "drawdown" ? 1 : 0);
  }

  /** The closeout guard's figures; `engagedNow` counts an engagement (once per change). */
  closeout(c: { engaged: boolean; distancePips: number | null; usage: number; engagedNow?: string }): void {
    this.#closeoutGuard.set(c.engaged ? 1 : 0);
    this.#closeoutDistance.set(c.distancePips ?? -1);
    if (Number.isFinite(c.usage)) this.#closeoutUsage.set(c.usage);
    if (c.engagedNow) this.#closeoutGuardEngagements.inc({ reason: c.engagedNow });
  }

  /** Run `fn` before every scrape, e.g. to set price ages from the market state at that moment. */
  beforeScrape(fn: () => void | Promise<void>): void {
    this.#beforeScrape.push(fn);
  }

  /** Prometheus text exposition format 0.0.4. */
  async text(): Promise<string> {
    for (const fn of this.#beforeScrape) await fn();
    return this.registry.metrics();
  }

  #gauge<L extends string = never>(name: string, help: string, labelNames: L[] = []): Gauge<L> {
    return new Gauge<L>({ name, help, labelNames, registers: [this.registry] });
  }

  #counter<L extends string>(name: string, help: string, labelNames: L[]): Counter<L> {
    return new Counter<L>({ name, help, labelNames, registers: [this.registry] });
  }
}
