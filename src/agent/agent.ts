// The composition root: one process, one direction of flow (design.md "The pipeline").
// streams -> market/account state -> workers -> bus -> gate -> broker -> journal -> replica,
// with the HTTP API reading all of it. Paper mode is the same code against the simulator.
import type { Config } from "../config/schema.ts";
import type { Logger } from "../core/log.ts";
import { InstrumentTable } from "../core/instruments.ts";
import { type Clock, type RunMode, TRADING_WORKERS, wallClock } from "../core/types.ts";
import { VERSION } from "../core/version.ts";
import { ACCOUNT_CHANGING, candlesFromClient, OandaClient, oandaUrls, type PricingStream, type TransactionStream } from "../oanda/index.ts";
import { openJournal, type Journal } from "../store/index.ts";
import { pastOrdersReader } from "../store/worker-orders.ts";
import { pastDayOrders } from "../workers/order-budget.ts";
import { Replicator } from "../replica/replicator.ts";
import { replicaPathFor } from "../replica/paths.ts";
import { MetricsRegistry } from "../metrics/registry.ts";
import { freeMarginRatio, marginUsageRatio } from "../margin/model.ts";
import { SignalBus } from "../bus/signal-bus.ts";
import { Gate, type GateDecision } from "../gate/gate.ts";
import { AccountState } from "../state/account-state.ts";
import { MarketState, marketWindowMs } from "../state/market-state.ts";
import { FastScalpWorker } from "../workers/fast_scalp/worker.ts";
import { MicroMultistratWorker } from "../workers/micro_multistrat/worker.ts";
import { HedgeBalancerWorker } from "../workers/hedge_balancer/worker.ts";
import { parseScenario, type Scenario, startSimulator, type SimHandle } from "../sim/index.ts";
import { runtimeName } from "../runtime/runtime.ts";
import { AccountSync } from "../kernel/account-sync.ts";
import { Attributor } from "../reconcile/attribution.ts";
import { LedgerAlerts } from "../reconcile/alerts.ts";
import { LedgerIngest } from "../reconcile/ingest.ts";
import { CloseoutGuard, closeoutGuardSettings } from "../gate/guards/closeout-guard.ts";
import { missingConversionMessage, refreshHomeConversions } from "./home-conversions.ts";
import { LossLimitGuard, lossLimitSettings } from "../gate/guards/loss-limit-guard.ts";
import { type AlertSink, alertsFromConfig, createAlertWatch } from "../alerts/index.ts";

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
  workers: { fastScalp: FastScalpWorker; micro: MicroMultistratWorker; hedge: HedgeBalancerWorker };
  /** Raise an operator alert (webhook, Telegram): returns at once, never throws, never blocks. */
  alerts: AlertSink;
  /** Daily loss limit and drawdown guard (src/gate/guards). */
  lossLimit: LossLimitGuard;
  /** Resolves when the gate decides a signal (operator signals wait on this). */
  waitForDecision(signalId: string, timeoutMs: number): Promise<GateDecision | undefined>;
  /** Decisions taken recently, by signal id. */
  decided(signalId: string): GateDecision | undefined;
  stop(): Promise<void>;
}

const DECISION_MEMORY = 2_000;
/** How often account snapshots and metric history are recorded (GET /history's resolution). */
export const HISTORY_INTERVAL_MS = 60_000;

export async function startAgent(o: AgentOptions): Promise<Agent> {
  const { config, mode, log } = o;
  const clock = o.clock ?? wallClock;
  const startedAt = clock.now();
  const stoppers: Array<() => Promise<void> | void> = [];
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
    // --- broker endpoint: the simulator in paper mode, OANDA otherwise -------------------------
    let sim: SimHandle | undefined;
    let restUrl: string, streamUrl: string, token: string, accountId: string;
    if (mode === "paper") {
      sim = await startSimulator({ scenario: o.simScenario ?? parseScenario({ ticks: { speed: config.SIM_SPEED }, maintenance: false }), host: "127.0.0.1", port: 0, log: log.child({ part: "sim" }) });
      stoppers.push(() => sim!.close());
      ({ restUrl, streamUrl, token, accountId } = sim);
    } else {
      const urls = oandaUrls(config.OANDA_ENV, { restUrl: config.OANDA_REST_URL, streamUrl: config.OANDA_STREAM_URL });
      ({ restUrl, streamUrl } = urls);
      token = config.OANDA_TOKEN!;
      accountId = config.OANDA_ACCOUNT_ID!;
    }

    const instruments = new InstrumentTable();
    const client = new OandaClient({ restUrl, streamUrl, token, accountId, timeoutMs: config.OANDA_REQUEST_TIMEOUT_MS, log: log.child({ part: "oanda" }), clock, instruments });

    // --- journal, metrics, replica -------------------------------------------------------------
    // The owner's open refuses a corrupt or read-only journal (one line, exit 1) and stamps every
    // row with this account and mode, so paper never mixes with real money.
    const journal = await openJournal({ path: config.DB_PATH, log, clock, scope: { accountId, mode }, owner: true, synchronous: config.JOURNAL_SYNCHRONOUS });
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
    const lossLimit = new LossLimitGuard({
      settings: lossLimitSettings(config), clock, store: journal.guardState, log: log.child({ part: "loss_limit" }),
      onEvent: (e) => {
        metrics.setLossLimit(lossLimit.status().scope);
        if (e.kind === "daily_lifted") return;
        alerts.notify({ kind: "loss_limit", scope: e.kind === "daily_tripped" ? "daily" : "drawdown", loss: e.loss, limit: e.limit, currency: account.snapshot()?.currency });
      },
    });
    await lossLimit.load();
    stoppers.push(() => lossLimit.flush());

    // --- state ----------------------------------------------------------------------------------
    for (const spec of await client.instruments(config.INSTRUMENTS)) instruments.upsert(spec);
    const market = new MarketState({ instruments, clock, windowMs: marketWindowMs(config), log });
    const account = new AccountState({ instruments, clock, modelSetting: config.MARGIN_MODEL, closeoutRuleSetting: config.CLOSEOUT_RULE, mid: (i) => market.mid(i), priceAgeMs: (i) => market.priceAgeMs(i), log });
    // Prices first: margin conversion needs a mid before the first account snapshot is judged.
    for (const t of await client.pricing(config.INSTRUMENTS)) market.onTick(t);
    // The closeout guard: one state for the gate, the hedge balancer, /health and the metrics.
    // Engaging is an alert: an error line, a metric and an operator alert (webhook, Telegram).
    const closeoutGuard = new CloseoutGuard(closeoutGuardSettings(config), ({ change, verdict }) => {
      const what = { event: "closeout_guard", change, reason: verdict.reason, distancePips: verdict.distancePips, usage: verdict.usage, instrument: verdict.instrument, direction: verdict.direction, rule: account.closeoutRule().inForce };
      if (change === "engaged") log.error(what, `closeout guard engaged: ${verdict.distancePips === null ? "?" : verdict.distancePips.toFixed(1)} pips to the loss-cut on ${verdict.instrument ?? "?"}, usage ${(verdict.usage * 100).toFixed(1)}%: entries stopped, reducing exposure`);
      else log.warn(what, "closeout guard released: the loss-cut is far enough again");
      metrics.closeout({ engaged: verdict.engaged, distancePips: verdict.distancePips, usage: verdict.usage, engagedNow: change === "engaged" ? verdict.reason ?? undefined : undefined });
      alerts.notify({
        kind: "closeout_guard", action: change === "engaged" ? "entries_blocked" : "released", usage: verdict.usage,
        detail: `${verdict.distancePips === null ? "no" : verdict.distancePips.toFixed(1)} pips to the ${account.closeoutRule().inForce} loss-cut on ${verdict.instrument ?? "the account"}${change === "engaged" ? `; reducing exposure until ${config.CLOSEOUT_GUARD_TARGET_PIPS} pips` : ""}`,
      });
    });
    const accountSync = new AccountSync({
      venue: client, account, clock, log,
      onRefreshed: () => {
        const s = account.snapshot();
        if (!s) return;
        lossLimit.observe(s.nav);
        const v = closeoutGuard.update(account.closeoutReport()?.account, clock.now());
        if (v) metrics.closeout({ engaged: v.engaged, distancePips: v.distancePips, usage: v.usage });
        metrics.setAccount({ marginUsageRatio: marginUsageRatio(s.marginUsed, s.nav), freeMarginRatio: freeMarginRatio(s.marginAvailable, s.nav), nav: s.nav, marginUsed: s.marginUsed, marginAvailable: s.marginAvailable, asOf: s.asOf });
      },
    });
    await accountSync.refresh();
    if (!account.ready) throw new Error(`could not read the account from ${mode === "paper" ? "the simulator" : "OANDA"}: ${accountSync.lastError ?? "no answer"}`);
    // Every traded (and held) instrument must convert to the home currency: from subscribed mids,
    // else from OANDA's own factors; otherwise start-up stops naming what is missing.
    const convertible = () => [...config.INSTRUMENTS, ...account.instrumentsWithPositions()];
    const missing = await refreshHomeConversions(client, account, convertible());
    if (missing.length) throw new Error(missingConversionMessage(missing, account.snapshot()!.currency, instruments));
    for (const name of config.INSTRUMENTS) {
      try {
        const candles = await client.candles(name, { granularity: "M1", count: 120, price: "BA" });
        market.seedCandles(name, candlesFromClient(candles));
      } catch (e) {
        log.warn({ event: "candles_bootstrap_failed", instrument: name, err: String(e) }, "starting without candle history");
      }
    }

    // --- bus, gate, workers ------------------------------------------------------------------------
    const bus = new SignalBus({
      capacity: config.SIGNAL_BUS_CAPACITY, clock,
      onDrop: (_s, reason) => metrics.signalDropped(reason),
    });
    const publish = (s: Parameters<SignalBus["publish"]>[0]) => {
      const r = bus.publish(s);
      if (r.accepted) metrics.signalPublished((s as { worker: string }).worker);
      return r;
    };
    const decisions = new Map<string, GateDecision>();
    const waiters = new Map<string, Array<(d: GateDecision) => void>>();
    // The trade-frequency budget goes on from the journal's orders of the last day (a restart does not reset it).
    const pastOrders = (w: string) => pastDayOrders(pastOrdersReader(journal.db, journal.scope), w, clock.now());
    const fastScalp = new FastScalpWorker({ config, market, clock, instruments, log: log.child({ worker: "fast_scalp" }), publish, metrics: { skip: (r: string) => metrics.fastScalpSkip(r) }, pastOrders: await pastOrders("fast_scalp") });
    const micro = new MicroMultistratWorker({ config, market, clock, instruments, log: log.child({ worker: "micro_multistrat" }), publish, metrics: { skip: (r: string) => metrics.microSkip(r) }, pastOrders: await pastOrders("micro_multistrat") });
    const hedge = new HedgeBalancerWorker({ config, clock, account, market, instruments, publish, log: log.child({ worker: "hedge_balancer" }), closeoutGuard });

    const gate = new Gate({
      config, clock, instruments, account, prices: market, broker: client, journal, log: log.child({ part: "gate" }), closeoutGuard, lossLimit,
      metrics: { decision: (o, r) => metrics.decision(o, r), tickToSubmit: (s) => metrics.tickToSubmit(s) },
      enforceMarketHours: config.GATE_ENFORCE_MARKET_HOURS ?? mode !== "paper",
      onSettled: async (settled, signal) => {
        if (settled.status === "filled" && signal.worker === "fast_scalp") fastScalp.notifyOrder(signal.instrument);
        if (settled.status === "filled" && signal.worker === "micro_multistrat") micro.notifyOrder(signal.instrument);
        if (settled.status === "filled") alerts.notify({ kind: "fill", instrument: settled.instrument, side: settled.side, units: settled.filledUnits ?? settled.units, price: settled.fillPrice ?? null, worker: signal.worker, pocket: signal.pocket, clientId: settled.clientId, reduceOnly: settled.reduceOnly });
        await accountSync.refresh();
      },
      onDecision: (d) => {
        decisions.set(d.signalId, d);
        if (decisions.size > DECISION_MEMORY) decisions.delete(decisions.keys().next().value!);
        for (const w of waiters.get(d.signalId) ?? []) w(d);
        waiters.delete(d.signalId);
      },
    });
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
    const gateLoop = gate.run(bus);
    stoppers.push(async () => {
      bus.close();
      await gateLoop;
    });

    // --- streams ----------------------------------------------------------------------------------
    const pricing = client.pricingStream({
      instruments: config.INSTRUMENTS, clock, heartbeatTimeoutMs: config.STREAM_HEARTBEAT_TIMEOUT_MS, log,
      onTick: (tick) => {
        if (market.onTick(tick) !== undefined) return;
        if (config.FAST_SCALP_ENABLED && !gate.controls.isPaused("fast_scalp")) fastScalp.onTick(tick.instrument);
      },
    });
    market.onCandleClosed((instrument) => {
      if (config.MICRO_MULTISTRAT_ENABLED && !gate.controls.isPaused("micro_multistrat")) micro.onCandleClosed(instrument);
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
    await waitFor(() => pricing.state.connected && transactions.state.connected, 5_000);
    trackStreamMetrics(pricing, "pricing", metrics, stoppers);
    trackStreamMetrics(transactions, "transactions", metrics, stoppers);

    // --- timers ---------------------------------------------------------------------------------------
    every(1000, () => market.closeDueCandles(), stoppers);
    every(config.ACCOUNT_REFRESH_SEC * 1000, () => void accountSync.refresh(), stoppers);
    every(config.ACCOUNT_REFRESH_SEC * 1000, () => {
      void refreshHomeConversions(client, account, convertible()).then((left) => {
        if (left.length) log.error({ event: "no_conversion", instruments: left }, missingConversionMessage(left, account.snapshot()?.currency ?? "?", instruments));
      }, (e) => log.warn({ event: "home_conversions_failed", err: String(e) }, "could not refresh OANDA's home conversions; keeping the last"));
    }, stoppers);
    // The ledger's gap fill first (a stalled stream loses nothing), then the unsettled orders.
    every(config.RECONCILE_INTERVAL_SEC * 1000, () => void ledger.catchUp().then(() => gate.reconcile()).catch((e) => log.warn({ event: "reconcile_failed", err: String(e) })), stoppers);
    if (config.HEDGE_BALANCER_ENABLED) {
      every(config.HEDGE_BALANCER_INTERVAL_SEC * 1000, () => {
        if (!gate.controls.isPaused("hedge_balancer")) hedge.tick();
      }, stoppers);
    }
    // History writes are chained and awaited at stop, so the journal never closes under one.
    let history: Promise<void> = Promise.resolve();
    const writeHistory = () => {
      history = history.then(() => recordHistory(journal, account, config, log));
    };
    stoppers.push(() => history);
    every(HISTORY_INTERVAL_MS, writeHistory, stoppers);
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
    writeHistory();
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
      pricing, transactions, ledger, ledgerAlerts, workers: { fastScalp, micro, hedge }, alerts, lossLimit,
      decided: (id) => decisions.get(id),
      waitForDecision: (id, timeoutMs) => {
        const done = decisions.get(id);
        if (done) return Promise.resolve(done);
        return new Promise((resolve) => {
          const t = setTimeout(() => resolve(undefined), timeoutMs);
          const list = waiters.get(id) ?? [];
          list.push((d) => {
            clearTimeout(t);
            resolve(d);
          });
          waiters.set(id, list);
        });
      },
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

async function waitFor(cond: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond() && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
}

function every(ms: number, fn: () => void, stoppers: Array<() => void>): void {
  const t = setInterval(fn, ms);
  stoppers.push(() => clearInterval(t));
}

/** Count reconnects and malformed lines as deltas of the streams' own counters. */
function trackStreamMetrics(stream: { state: { reconnects: number; malformedLines: number } }, name: "pricing" | "transactions", metrics: MetricsRegistry, stoppers: Array<() => void>): void {
  let reconnects = 0;
  let malformed = 0;
  every(1000, () => {
    for (; reconnects < stream.state.reconnects; reconnects++) metrics.streamReconnect(name);
    for (; malformed < stream.state.malformedLines; malformed++) metrics.malformedLine(name);
  }, stoppers);
}

/** The metrics history and account snapshots the memo asks to be recorded. */
async function recordHistory(journal: Journal, account: AccountState, config: Config, log: Logger): Promise<void> {
  const s = account.snapshot();
  if (!s) return;
  try {
    await journal.metrics.record("account.margin_usage_ratio", marginUsageRatio(s.marginUsed, s.nav));
    await journal.metrics.record("free_margin_ratio", freeMarginRatio(s.marginAvailable, s.nav));
    await journal.metrics.record("account.nav", s.nav);
    await journal.snapshots.insert(s);
    await journal.metrics.prune(config.METRICS_RETENTION_DAYS);
  } catch (e) {
    log.warn({ event: "history_write_failed", err: String(e) });
  }
}
