// The live node: one process, one direction of flow (design.md "The pipeline"). The trading
// node itself is the kernel's (src/kernel: state, bus, workers, gate, dispatcher), as replay's
// is; this file adds what only a live node has: the broker endpoint, the journal on disk and its
// replica, the broker's ledger, metrics and alerts, the streams and the timers that drive the
// kernel in real time. Paper mode is the same code against the simulator.
import type { Config } from "../config/schema.ts";
import { workerEnabled } from "../config/worker-enabled.ts";
import type { Logger } from "../core/log.ts";
import { InstrumentTable } from "../core/instruments.ts";
import { type Clock, type RunMode, TRADING_WORKERS, wallClock } from "../core/types.ts";
import { VERSION } from "../core/version.ts";
import { ACCOUNT_CHANGING, candlesFromClient, OandaClient, type PricingStream, type TransactionStream } from "../oanda/index.ts";
import { openJournal, type Journal } from "../store/index.ts";
import { pastOrdersReader } from "../store/worker-orders.ts";
import { pastDayOrders } from "../workers/order-budget.ts";
import { Replicator } from "../replica/replicator.ts";
import { replicaPathFor } from "../replica/paths.ts";
import { MetricsRegistry } from "../metrics/registry.ts";
import { marginUsageRatio } from "../margin/model.ts";
import type { SignalBus } from "../bus/signal-bus.ts";
import type { Gate, GateDecision } from "../gate/gate.ts";
import type { AccountState } from "../state/account-state.ts";
import type { MarketState } from "../state/market-state.ts";
import type { FastScalpWorker } from "../workers/fast_scalp/worker.ts";
import type { MicroWorker } from "../workers/micro_multistrat/disabled.ts";
import type { HedgeBalancerWorker } from "../workers/hedge_balancer/worker.ts";
import type { Scenario, SimHandle } from "../sim/index.ts";
import { runtimeName } from "../runtime/runtime.ts";
import type { AccountSync } from "../kernel/account-sync.ts";
import { createKernel, type Kernel } from "../kernel/kernel.ts";
import type { WorkerDispatcher } from "../kernel/dispatcher.ts";
import { Attributor } from "../reconcile/attribution.ts";
import { LedgerAlerts } from "../reconcile/alerts.ts";
import { LedgerIngest } from "../reconcile/ingest.ts";
import { missingConversionMessage, refreshHomeConversions } from "./home-conversions.ts";
import { LossLimitGuard, lossLimitSettings } from "../gate/guards/loss-limit-guard.ts";
import { type AlertSink, alertsFromConfig, createAlertWatch } from "../alerts/index.ts";
import { brokerEndpoint } from "./endpoint.ts";
import { DecisionMemory } from "./decisions.ts";
import { HISTORY_INTERVAL_MS, HistoryWriter } from "./history.ts";
import { waitFor } from "../core/async/wait-for.ts";
import { every, type Stoppers, trackStreamMetrics } from "./timers.ts";
import { startupMark } from "../runtime/startup-trace.ts";

export { HISTORY_INTERVAL_MS } from "./history.ts";

export interface AgentOptions {
  config: Config;
  mode: RunMode;
  log: Logger;
  clock?: Clock;
  /** Paper mode: the in-process simulator's scenario (default: 500,000 JPY, synthetic USD_JPY at SIM_SPEED). */
  simScenario?: Scenario;
}

export interface Agent {
  config: Config;
  mode: RunMode;
  log: Logger;
  clock: Clock;
  startedAt: number;
  sim?: SimHandle;
  client: OandaClient;
  journal: Journal;
  replicator: Replicator;
  metrics: MetricsRegistry;
  bus: SignalBus;
  gate: Gate;
  account: AccountState;
  accountSync: AccountSync;
  market: MarketState;
  instruments: InstrumentTable;
  pricing: PricingStream;
  transactions: TransactionStream;
  /** The broker's ledger mirrored into the journal, and what it alerted on. */
  ledger: LedgerIngest;
  ledgerAlerts: LedgerAlerts;
  workers: { fastScalp: FastScalpWorker; micro: MicroWorker; hedge: HedgeBalancerWorker };
  /** Which workers run, and when (enabled, paused, cadence). */
  dispatcher: WorkerDispatcher;
  /** Raise an operator alert (webhook, Telegram): returns at once, never throws, never blocks. */
  alerts: AlertSink;
  /** Daily loss limit and drawdown guard (src/gate/guards). */
  lossLimit: LossLimitGuard;
  /** Resolves when the gate decides a signal (operator signals wait on this). */
  waitForDecision(signalId: string, timeoutMs: number): Promise<GateDecision | undefined>;
  /** Decisions taken recently, by signal id. */
  decided(signalId: string): GateDecision | undefined;
  /** Mark a signal id as handed to the bus (false: a copy is already there or at the gate; wait for it). */
  claimSignal(signalId: string): boolean;
  /** The bus refused the copy claimed: the id is free again. */
  releaseSignal(signalId: string): void;
  stop(): Promise<void>;
}

export async function startAgent(o: AgentOptions): Promise<Agent> {
  const { config, mode, log } = o;
  const clock = o.clock ?? wallClock;
  const startedAt = clock.now();
  const stoppers: Stoppers = [];
  // First in, so last out: the stop alert is queued after everything else has stopped.
  const alerts = alertsFromConfig(config, clock, log);
  stoppers.push(async () => {
    await alerts.flush(Math.min(config.ALERT_TIMEOUT_MS, 3_000));
    alerts.close();
  });
  const stopAll = async () => {
    for (const s of stoppers.reverse()) {
      try {
        await s();
      } catch (e) {
        log.warn({ event: "stop_error", err: String(e) });
      }
    }
  };

  try {
    const { sim, restUrl, streamUrl, token, accountId } = await brokerEndpoint(config, mode, log, o.simScenario);
    startupMark("broker_endpoint");
    if (sim) stoppers.push(() => sim.close());
    const instruments = new InstrumentTable();
    const client = new OandaClient({ restUrl, streamUrl, token, accountId, timeoutMs: config.OANDA_REQUEST_TIMEOUT_MS, log: log.child({ part: "oanda" }), clock, instruments });

    // --- journal, metrics, replica -------------------------------------------------------------
    // The owner's open refuses a corrupt or read-only journal (one line, exit 1) and stamps every
    // row with this account and mode, so paper never mixes with real money.
    const journal = await openJournal({ path: config.DB_PATH, log, clock, scope: { accountId, mode }, owner: true, synchronous: config.JOURNAL_SYNCHRONOUS, intentLog: config.JOURNAL_INTENT_LOG });
    startupMark("journal_open");
    stoppers.push(() => journal.close());
    const metrics = new MetricsRegistry({ version: VERSION, runtime: runtimeName(), mode, startedAt });
    const replicator = new Replicator({
      journal, url: config.TURSO_DATABASE_URL, authToken: config.TURSO_AUTH_TOKEN,
      path: replicaPathFor(config.DB_PATH, config.REPLICA_PATH), intervalSec: config.REPLICA_PUSH_INTERVAL_SEC, log, clock,
    });
    replicator.start();
    stoppers.push(() => replicator.stop());
    // Loss limits: state from the journal (a restart keeps the high-water mark and a tripped
    // drawdown guard); each trip is an error log line, a metric and an alert.
    let k: Kernel | undefined;
    const lossLimit = new LossLimitGuard({
      settings: lossLimitSettings(config), clock, store: journal.guardState, log: log.child({ part: "loss_limit" }),
      onEvent: (e) => {
        metrics.setLossLimit(lossLimit.status().scope);
        if (e.kind === "daily_lifted") return;
        alerts.notify({ kind: "loss_limit", scope: e.kind === "daily_tripped" ? "daily" : "drawdown", loss: e.loss, limit: e.limit, currency: k?.account.snapshot()?.currency });
      },
    });
    await lossLimit.load();
    stoppers.push(() => lossLimit.flush());

    // --- the trading node ---------------------------------------------------------------------------
    const decisions = new DecisionMemory();
    // The trade-frequency budget goes on from the journal's orders of the last day (a restart does
    // not reset it); a worker switched off never trades, so its orders are not read.
    const pastOrders = async (w: "fast_scalp" | "micro_multistrat") => (workerEnabled(config, w) ? await pastDayOrders(pastOrdersReader(journal.db, journal.scope), w, clock.now()) : []);
    k = await createKernel({
      config, clock, venue: client, journal, log, instruments, instrumentNames: config.INSTRUMENTS, venueName: mode === "paper" ? "the simulator" : "OANDA",
      enforceMarketHours: config.GATE_ENFORCE_MARKET_HOURS ?? mode !== "paper",
      // The next signal waits for this read, so it is sized on the account after this order.
      refreshAfterSettle: "await",
      hooks: { metrics, alerts, lossLimit, onDecision: (d) => decisions.record(d) },
      pastOrders: { fastScalp: await pastOrders("fast_scalp"), micro: await pastOrders("micro_multistrat") },
    });
    const { market, account, accountSync, bus, gate, dispatcher, rehearsal } = k;
    // Every traded (and held) instrument must convert to the home currency: from subscribed mids,
    // else from OANDA's own factors; otherwise start-up stops naming what is missing.
    const convertible = () => [...config.INSTRUMENTS, ...account.instrumentsWithPositions()];
    const missing = await refreshHomeConversions(client, account, convertible());
    if (missing.length) throw new Error(missingConversionMessage(missing, account.snapshot()!.currency, instruments));
    startupMark("account_read");
    for (const name of config.INSTRUMENTS) {
      try {
        const candles = await client.candles(name, { granularity: "M1", count: 120, price: "BA" });
        market.seedCandles(name, candlesFromClient(candles));
      } catch (e) {
        log.warn({ event: "candles_bootstrap_failed", instrument: name, err: String(e) }, "starting without candle history");
      }
    }

    startupMark("candles_seeded");

    // The broker's ledger first: fills and cancels since the last run settle their rows (late
    // fills included) before reconciliation looks at what is still unsettled.
    const ledgerAlerts = new LedgerAlerts();
    const attributor = new Attributor({
      journal, account, log: log.child({ part: "ledger" }),
      onFill: (kind) => metrics.ledgerFill(kind),
      onAlert: (a) => {
        metrics.ledgerAlert(a.kind);
        ledgerAlerts.record(a, clock.now());
        const at = { transactionId: String(a.transactionId), instrument: a.instrument, units: a.units };
        if (a.kind === "late_fill") alerts.notify({ kind: "late_fill", ...at, clientId: a.clientId ?? null });
        else if (a.kind === "unattributed") alerts.notify({ kind: "unattributed_fill", ...at });
        else if (a.kind === "margin_closeout") alerts.notify({ kind: "margin_closeout", ...at });
      },
    });
    const ledger = new LedgerIngest({
      accountId, journal, attributor, log: log.child({ part: "ledger" }), clock,
      fetchSince: (id, signal) => client.transactionsSinceId(id, signal),
    });
    stoppers.push(() => ledger.idle()); // runs after the streams stop, before the journal closes
    const ledgerFrom = await ledger.start(account.snapshot()!.lastTransactionID);
    // Restart reconciliation comes before any signal is accepted.
    await gate.start();
    startupMark("ledger_reconciled");
    const gateLoop = gate.run(bus);
    stoppers.push(async () => {
      bus.close();
      await gateLoop;
    });

    // --- streams: prices drive market state and, through the dispatcher, the workers -----------
    const pricing = client.pricingStream({
      instruments: config.INSTRUMENTS, clock, heartbeatTimeoutMs: config.STREAM_HEARTBEAT_TIMEOUT_MS, log,
      onTick: (tick) => {
        if (market.onTick(tick) === undefined) {
          dispatcher.onTick(tick.instrument);
          rehearsal?.afterTick(tick.instrument);
        }
      },
    });
    const transactions = client.transactionStream({
      clock, heartbeatTimeoutMs: config.STREAM_HEARTBEAT_TIMEOUT_MS, log, lastTransactionID: ledgerFrom,
      onTransaction: async (tx) => {
        await ledger.onStreamTransaction(tx);
        // Only transactions that change positions, balance or margin state call for a refresh
        // (order creations and cancels do not); the broker's view then wins.
        if (ACCOUNT_CHANGING.has((tx as { type?: string }).type ?? "")) void accountSync.refresh();
      },
    });
    pricing.start();
    transactions.start();
    stoppers.push(() => pricing.stop(), () => transactions.stop());
    // Give the streams a moment so /health is ok from the first request; never fatal (a stream
    // that cannot connect keeps retrying and /health says so).
    await waitFor(() => pricing.state.connected && transactions.state.connected, { timeoutMs: 5_000, intervalMs: 25 });
    startupMark("streams_connected");
    trackStreamMetrics(pricing, "pricing", metrics, stoppers);
    trackStreamMetrics(transactions, "transactions", metrics, stoppers);

    // --- timers ---------------------------------------------------------------------------------------
    const rehearseEvery = config.GATE_REHEARSAL_EVERY_MS;
    if (rehearsal && rehearseEvery > 0) every(rehearseEvery, () => rehearsal.onTimer(rehearseEvery), stoppers);
    every(1000, () => market.closeDueCandles(), stoppers);
    every(config.ACCOUNT_REFRESH_SEC * 1000, () => void accountSync.refresh(), stoppers);
    every(config.ACCOUNT_REFRESH_SEC * 1000, () => {
      void refreshHomeConversions(client, account, convertible()).then((left) => {
        if (left.length) log.error({ event: "no_conversion", instruments: left }, missingConversionMessage(left, account.snapshot()?.currency ?? "?", instruments));
      }, (e) => log.warn({ event: "home_conversions_failed", err: String(e) }, "could not refresh OANDA's home conversions; keeping the last"));
    }, stoppers);
    // The ledger's gap fill first (a stalled stream loses nothing), then the unsettled orders.
    every(config.RECONCILE_INTERVAL_SEC * 1000, () => void ledger.catchUp().then(() => gate.reconcile()).catch((e) => log.warn({ event: "reconcile_failed", err: String(e) })), stoppers);
    const balancerMs = dispatcher.balancerIntervalMs;
    if (balancerMs !== undefined) every(balancerMs, () => dispatcher.balancerDue(clock.now()), stoppers);
    const history = new HistoryWriter({ journal, account, config, log });
    stoppers.push(() => history.idle());
    every(HISTORY_INTERVAL_MS, () => history.write(), stoppers);
    metrics.beforeScrape(async () => {
      metrics.orderStatus(await journal.orders.countByStatus());
      metrics.replicaLag(replicator.state().rowsBehind);
      for (const name of config.INSTRUMENTS) {
        const age = market.priceAgeMs(name);
        if (age !== undefined) metrics.priceAge(name, age / 1000);
      }
      const c = gate.controls.state();
      metrics.setControl({ killSwitch: c.killSwitch.active, pausedWorkers: Object.fromEntries(TRADING_WORKERS.map((w) => [w, c.pausedAll || c.pausedWorkers.includes(w)])) });
    });
    history.write();
    every(1000, createAlertWatch({
      now: () => clock.now(),
      marginUsage: () => {
        const s = account.snapshot();
        return s ? marginUsageRatio(s.marginUsed, s.nav) : undefined;
      },
      streams: () => [{ name: "pricing", connected: pricing.state.connected }, { name: "transactions", connected: transactions.state.connected }],
      replica: () => replicator.state(),
    }, alerts, { marginLevels: config.ALERT_MARGIN_LEVELS, streamDownSec: config.ALERT_STREAM_DOWN_SEC, replicaLagRows: config.ALERT_REPLICA_LAG_ROWS }), stoppers);
    if (Boolean(config.ALERT_TELEGRAM_TOKEN) !== Boolean(config.ALERT_TELEGRAM_CHAT_ID)) {
      log.warn({ event: "alerts_incomplete" }, "Telegram alerts need both ALERT_TELEGRAM_TOKEN and ALERT_TELEGRAM_CHAT_ID; not sending to Telegram");
    }

    const agent: Agent = {
      config, mode, log, clock, startedAt, sim, client, journal, replicator, metrics, bus, gate, account, accountSync, market, instruments,
      pricing, transactions, ledger, ledgerAlerts, workers: k.workers, dispatcher, alerts, lossLimit,
      decided: (id) => decisions.get(id),
      claimSignal: (id) => decisions.claim(id),
      releaseSignal: (id) => decisions.release(id),
      waitForDecision: (id, timeoutMs) => decisions.wait(id, timeoutMs),
      stop: async () => {
        alerts.notify({ kind: "stop", mode, reason: "shutdown requested" });
        await stopAll();
      },
    };
    log.info({ event: "agent_started", mode, accountId, instruments: config.INSTRUMENTS, marginModel: account.marginModel() }, "agent started");
    alerts.notify({ kind: "start", mode, version: VERSION, accountId });
    return agent;
  } catch (e) {
    await stopAll();
    throw e;
  }
}
