// Replay: the recorded ticks through the simulator, the workers and the real gate, on the data's
// clock. The parts are the live agent's (src/agent/agent.ts); what differs is only how time and
// prices arrive: each tick is processed to the end (market state -> fast_scalp -> candle closes
// -> micro -> balancer when due -> the bus drained through the gate, one signal at a time, each
// order settled) before the next, with no timers and no streams, so a run is deterministic.
import type { Config } from "../config/schema.ts";
import { InstrumentTable } from "../core/instruments.ts";
import { silentLogger, type Logger } from "../core/log.ts";
import type { Signal } from "../core/types.ts";
import { SignalBus } from "../bus/signal-bus.ts";
import { Gate, type GateDecision } from "../gate/gate.ts";
import { CloseoutGuard, closeoutGuardSettings } from "../gate/guards/closeout-guard.ts";
import type { SettledOrder } from "../core/order-events.ts";
import { AccountState } from "../state/account-state.ts";
import { MarketState, marketWindowMs } from "../state/market-state.ts";
import { M1_MS } from "../state/candles.ts";
import { FastScalpWorker } from "../workers/fast_scalp/worker.ts";
import { MicroMultistratWorker } from "../workers/micro_multistrat/worker.ts";
import { HedgeBalancerWorker } from "../workers/hedge_balancer/worker.ts";
import { parseScenario, SimEngine, type Scenario, type Transaction } from "../sim/index.ts";
import { MARGIN_USAGE_CEILING } from "../margin/model.ts";
import { AccountSync } from "../kernel/account-sync.ts";
import { ReplayClock } from "./clock.ts";
import { MemoryJournal } from "./memory-journal.ts";
import { tickWindow } from "./window.ts";
import { InProcessVenue } from "../sim/in-process-venue.ts";
import { isoTime, ReplayInputError, type TickSource } from "../marketdata/ticks.ts";
import { sortedCounts, type ReplayReport } from "./report.ts";
import { roundWithoutNegativeZero as round } from "../core/round.ts";
import { SeriesRecorder, type ReplaySeries } from "./series.ts";
import { type TradeRecord as ReplayTrade, tradeRecords as tradesFromTransactions } from "../ledger/index.ts";

export interface ReplayOptions {
  config: Config;
  source: TickSource;
  /** The instrument replayed (ticks of other instruments are skipped). */
  instrument: string;
  /** Parsed scenario JSON (account, starting positions); undefined for the default account. */
  scenario?: unknown;
  /** The broker's margin model and loss-cut, over the scenario's (`--compare-models` runs both). */
  brokerModel?: BrokerModel;
  ticksFile: string;
  askFile?: string;
  /** Replay only ticks at or after `from` and before `to` (epoch ms); the rest count as outside_window. */
  from?: number;
  to?: number;
  log?: Logger;
  /** Record the account, price and fill series a report draws (--html). */
  collect?: boolean;
}

/** An order as the simulator received it (MARKET_ORDER transactions from clients). */
export interface SentOrder {
  time: string;
  instrument: string;
  units: string;
  positionFill: string;
  clientId?: string;
  tag?: string;
}

/** The two brokers a run can be compared under: OANDA Japan's account and the memo's picture. */
export const BROKER_MODELS = {
  /** OANDA Japan (v20 hedging): margin on the larger side, everything closed at marginUsed / NAV = 100%. */
  japan: { marginModel: "max_side", closeoutRule: "japan" },
  /** The memo's picture (older netting platforms): margin on the net, closeout when NAV is half the margin. */
  memo: { marginModel: "net", closeoutRule: "half" },
} as const;
export type BrokerModel = keyof typeof BROKER_MODELS;

export interface ReplayResult {
  report: ReplayReport;
  sent: SentOrder[];
  /** Every trade opened during the replay, from the simulator's transactions. */
  trades: ReplayTrade[];
  /** With `collect`: what the HTML report draws. */
  series?: ReplaySeries;
  /** The simulator's transactions, as OANDA would have written them (the scorecard's source). */
  transactions: readonly Transaction[];
}

/** The scenario the simulator starts with: the user's, priced at the data's first tick. */
export function replayScenario(raw: unknown, instrument: string, first: { bid: number; ask: number }, model?: BrokerModel): Scenario {
  const base = raw && typeof raw === "object" && !Array.isArray(raw) ? { ...(raw as Record<string, unknown>) } : undefined;
  let input: Record<string, unknown>;
  if (base) {
    const instruments = (base.instruments ?? { [instrument]: {} }) as Record<string, Record<string, unknown>>;
    if (!(instrument in instruments)) {
      throw new ReplayInputError(`--scenario: its instruments (${Object.keys(instruments).join(", ")}) do not include ${instrument}, the instrument replayed`);
    }
    input = { ...base, instruments: { ...instruments, [instrument]: { ...instruments[instrument], bid: first.bid, ask: first.ask } } };
  } else {
    // No scenario: the default account (500,000), in the instrument's quote currency so no
    // conversion price has to be made up.
    input = { account: { currency: instrument.split("_")[1] }, instruments: { [instrument]: { bid: first.bid, ask: first.ask } } };
  }
  // Prices come from the data and time from the data's clock: the scenario's own tick source
  // and fault injection have no place in a replay.
  delete input.ticks;
  delete input.faults;
  if (model) input.account = { ...((input.account ?? {}) as object), ...BROKER_MODELS[model] };
  return parseScenario(input);
}

export async function runReplay(o: ReplayOptions): Promise<ReplayResult> {
  const { config, source, instrument } = o;
  const log = o.log ?? silentLogger;
  const skipped: Record<string, number> = { ...source.skipped };
  const ticks = tickWindow(source, instrument, o.from, o.to, skipped);
  if (!ticks) {
    const why = source.ticks.some((t) => t.instrument === instrument) ? "between --from and --to" : `for ${instrument} (the data holds ${source.instrument ?? "another instrument"}; use --instrument)`;
    throw new ReplayInputError(`--ticks ${o.ticksFile}: no ticks ${why}`);
  }
  const { first, last } = ticks;
  const scenario = replayScenario(o.scenario, instrument, first, o.brokerModel);

  // --- the broker: the simulator engine in-process on the data's clock ------------------------
  const clock = new ReplayClock(first.time);
  const engine = new SimEngine(scenario, clock);
  const instruments = new InstrumentTable();
  // The engine read and called directly, with the OANDA client's answers (src/sim/in-process-venue.ts).
  const venue = new InProcessVenue({ engine, instruments, log });

  // The gate's journal in memory: nothing reads a replay's journal after the run.
  const journal = new MemoryJournal(clock);
  try {
    for (const spec of await venue.instruments(engine.instrumentNames())) instruments.upsert(spec);
    const market = new MarketState({ instruments, clock, windowMs: marketWindowMs(config), log });
    const account = new AccountState({ instruments, clock, modelSetting: config.MARGIN_MODEL, closeoutRuleSetting: config.CLOSEOUT_RULE, mid: (i) => market.mid(i), priceAgeMs: (i) => market.priceAgeMs(i), log });
    for (const t of await venue.pricing(engine.instrumentNames())) market.onTick(t);

    // --- what the report tracks -----------------------------------------------------------------
    const budgetRatio = Math.min(config.MAX_MARGIN_USAGE, MARGIN_USAGE_CEILING) * config.MARGIN_SAFETY_FACTOR;
    const startNumbers = engine.numbers();
    let maxUsage = 0;
    let maxUsageAt = first.time;
    let maxUsageAfterFill = 0;
    let fillsOverBudget = 0;
    let peakNav = startNumbers.nav;
    let peakAt = first.time;
    let drawdown = { max: 0, pct: 0, peakAt: undefined as number | undefined, troughAt: undefined as number | undefined };
    const usageOf = (n: { marginUsed: number; nav: number }) => (n.nav > 0 ? n.marginUsed / n.nav : n.marginUsed > 0 ? Number.POSITIVE_INFINITY : 0);
    const sample = () => {
      const n = engine.numbers();
      const now = clock.now();
      const u = usageOf(n);
      if (u > maxUsage) {
        maxUsage = u;
        maxUsageAt = now;
      }
      if (n.nav > peakNav) {
        peakNav = n.nav;
        peakAt = now;
      }
      const dd = peakNav - n.nav;
      if (dd > drawdown.max) drawdown = { max: dd, pct: peakNav > 0 ? dd / peakNav : 0, peakAt, troughAt: now };
      return n;
    };
    sample();
    const recorder = o.collect ? new SeriesRecorder(budgetRatio) : undefined;
    recorder?.account(first.time, engine.numbers(), true);

    // The closeout guard, as the live agent has it: one state for the gate and the balancer, so a
    // guard that engages in replay also reduces exposure, not only stops entries.
    const closeoutGuard = new CloseoutGuard(closeoutGuardSettings(config));
    const accountSync = new AccountSync({
      venue, account, clock, log,
      onRefreshed: () => {
        sample();
        closeoutGuard.update(account.closeoutReport()?.account, clock.now());
      },
    });
    await accountSync.refresh();
    if (!account.ready) throw new Error(`could not read the simulator's account: ${accountSync.lastError ?? "no answer"}`);

    const signalsByWorker: Record<string, number> = {};
    const decisionsByOutcome: Record<string, number> = {};
    const skipReasons: Record<string, number> = {};
    const ordersByStatus: Record<string, number> = {};
    const ordersByWorker: ReplayReport["orders"]["byWorker"] = {};
    let fills = 0;
    let filledUnits = 0;
    let balancerRuns = 0;
    let firstHedge: ReplayReport["workers"]["firstHedge"];

    const bus = new SignalBus({ capacity: config.SIGNAL_BUS_CAPACITY, clock });
    const publish = (s: Signal) => {
      const r = bus.publish(s);
      if (r.accepted) signalsByWorker[s.worker] = (signalsByWorker[s.worker] ?? 0) + 1;
      if (r.accepted && s.worker === "hedge_balancer" && !firstHedge) {
        firstHedge = { at: isoTime(s.createdAt), usage: round(Number(s.meta?.usage ?? 0), 6), units: s.proposedUnits ?? 0, side: s.side };
      }
      return r;
    };
    const fastScalp = new FastScalpWorker({ config, market, clock, instruments, log, publish });
    const micro = new MicroMultistratWorker({ config, market, clock, instruments, log, publish });
    const hedge = new HedgeBalancerWorker({ config, clock, account, market, instruments, publish, log, closeoutGuard });

    let refreshNeeded = false;
    const onSettled = (settled: SettledOrder, signal: Signal) => {
      if (settled.status === "filled" && signal.worker === "fast_scalp") fastScalp.notifyOrder(signal.instrument);
      if (settled.status === "filled" && signal.worker === "micro_multistrat") micro.notifyOrder(signal.instrument);
      const w = (ordersByWorker[signal.worker] ??= { sent: 0, filled: 0, filledUnits: 0, reduceOnly: 0 });
      w.sent++;
      if (settled.reduceOnly) w.reduceOnly++;
      ordersByStatus[settled.status] = (ordersByStatus[settled.status] ?? 0) + 1;
      if (settled.status === "filled") {
        w.filled++;
        w.filledUnits += settled.filledUnits ?? 0;
        fills++;
        filledUnits += settled.filledUnits ?? 0;
      }
      refreshNeeded = true;
      if (recorder && settled.status === "filled") {
        recorder.mark({
          t: clock.now(), kind: signal.worker === "hedge_balancer" ? "balancer" : settled.reduceOnly ? "exit" : "entry",
          side: settled.side, units: settled.filledUnits ?? settled.units, price: settled.fillPrice ?? null, who: `${signal.worker}/${signal.strategy}`,
        });
      }
    };
    const onDecision = (d: GateDecision) => {
      decisionsByOutcome[d.outcome] = (decisionsByOutcome[d.outcome] ?? 0) + 1;
      if (d.outcome !== "accepted") skipReasons[d.reason] = (skipReasons[d.reason] ?? 0) + 1;
    };
    const gate = new Gate({
      config, clock, instruments, account, prices: market, broker: venue, journal, log, closeoutGuard,
      // The FX weekend is in the data; the data's clock says when it is.
      enforceMarketHours: config.GATE_ENFORCE_MARKET_HOURS ?? true,
      sleep: () => Promise.resolve(),
      onSettled, onDecision,
    });
    await gate.start();

    market.onCandleClosed((i) => {
      if (config.MICRO_MULTISTRAT_ENABLED) micro.onCandleClosed(i);
    });

    const drain = async () => {
      for (let s = bus.tryNext(); s; s = bus.tryNext()) {
        const before = engine.numbers();
        const d = await gate.process(s);
        if (d.orderStatus === "filled") {
          const after = sample();
          recorder?.account(clock.now(), after, true);
          maxUsageAfterFill = Math.max(maxUsageAfterFill, usageOf(after));
          // The gate's promise: an order never lifts margin above the budget, unless it does
          // not raise margin at all.
          if (after.marginUsed > before.nav * budgetRatio + 1e-6 && after.marginUsed > before.marginUsed + 1e-6) fillsOverBudget++;
        }
        if (refreshNeeded) {
          refreshNeeded = false;
          await accountSync.refresh();
        }
      }
    };

    const refreshMs = config.ACCOUNT_REFRESH_SEC * 1000;
    const balancerMs = config.HEDGE_BALANCER_INTERVAL_SEC * 1000;
    let lastRefresh = first.time;
    let lastBalancer = first.time;
    let replayed = 0;

    for (const t of ticks) {
      // The live agent closes due candles on a one-second timer; across a gap in the data that
      // timer would have fired at the minute's end, so close them there, not at the next tick.
      const open = market.currentCandle(instrument);
      if (open && open.time + M1_MS < t.time) {
        clock.advanceTo(open.time + M1_MS);
        market.closeDueCandles();
        await drain();
      }
      clock.advanceTo(t.time);
      const lastTx = engine.lastTransactionID;
      engine.applyTick({ instrument, bid: t.bid, ask: t.ask, time: t.time, tradeable: t.tradeable });
      // TP/SL triggers and closeouts are transactions the stream would have announced.
      if (engine.lastTransactionID !== lastTx) refreshNeeded = true;
      if (market.onTick({ instrument, bid: t.bid, ask: t.ask, time: t.time, receivedAt: t.time, tradeable: t.tradeable ?? true }) !== undefined) {
        continue; // counted by market state, reported as state_<reason>
      }
      replayed++;
      if (recorder) {
        recorder.price(t.time, (t.bid + t.ask) / 2);
        recorder.account(t.time, engine.numbers());
      }
      if (refreshNeeded || t.time - lastRefresh >= refreshMs) {
        refreshNeeded = false;
        lastRefresh = t.time;
        await accountSync.refresh();
      }
      if (config.FAST_SCALP_ENABLED) fastScalp.onTick(instrument);
      market.closeDueCandles();
      if (config.HEDGE_BALANCER_ENABLED && t.time - lastBalancer >= balancerMs) {
        lastBalancer = t.time;
        balancerRuns++;
        hedge.tick();
      }
      await drain();
    }
    await accountSync.refresh();
    const end = sample();

    const rejectedByState = market.rejectedTicks();
    for (const [k, v] of Object.entries(rejectedByState)) if (v > 0) skipped[`state_${k}`] = (skipped[`state_${k}`] ?? 0) + v;

    recorder?.account(clock.now(), end, true);
    const brokerCloses: Record<string, number> = {};
    const sent: SentOrder[] = [];
    for (const tx of engine.transactions() as readonly Transaction[]) {
      if (tx.type === "ORDER_FILL" && tx.reason !== "MARKET_ORDER") brokerCloses[String(tx.reason)] = (brokerCloses[String(tx.reason)] ?? 0) + 1;
      if (recorder && tx.type === "ORDER_FILL" && tx.reason !== "MARKET_ORDER" && tx.reason !== "TRADE_CLOSE") {
        const units = Number(tx.units);
        recorder.mark({ t: Date.parse(String(tx.time)), kind: "close", side: units >= 0 ? "buy" : "sell", units: Math.abs(units), price: Number(tx.price) || null, who: String(tx.reason) });
      }
      if (tx.type === "MARKET_ORDER" && tx.reason === "CLIENT_ORDER") {
        const ce = tx.clientExtensions as { id?: string; tag?: string } | undefined;
        sent.push({ time: tx.time, instrument: String(tx.instrument), units: String(tx.units), positionFill: String(tx.positionFill), clientId: ce?.id, tag: ce?.tag });
      }
    }
    // Scenario positions are opened as client orders before the first tick; they are not sekisho's.
    const ours = sent.filter((s) => s.clientId !== undefined);

      const report: ReplayReport = {
      input: {
        ticksFile: o.ticksFile, ...(o.askFile ? { askFile: o.askFile } : {}), format: source.format, instrument,
        ...(o.from !== undefined ? { from: isoTime(o.from) } : {}), ...(o.to !== undefined ? { to: isoTime(o.to) } : {}),
      },
      ticks: {
        rows: source.rows,
        ...(source.bars !== undefined ? { bars: source.bars, crossedBars: source.crossedBars ?? 0 } : {}),
        replayed,
        skipped: sortedCounts(skipped),
        first: isoTime(first.time),
        last: isoTime(last.time),
        spanHours: round((last.time - first.time) / 3_600_000, 2),
      },
      account: {
        currency: engine.currency, startBalance: round(startNumbers.balance), startNav: round(startNumbers.nav), marginRate: engine.marginRate,
        brokerMarginModel: engine.marginModel, gateMarginModel: account.marginModel().inForce,
        brokerCloseoutRule: engine.closeoutRule,
      },
      signals: {
        total: Object.values(signalsByWorker).reduce((a, b) => a + b, 0),
        byWorker: sortedCounts(signalsByWorker),
        droppedByBus: sortedCounts(bus.counters.dropped),
      },
      decisions: {
        total: Object.values(decisionsByOutcome).reduce((a, b) => a + b, 0),
        byOutcome: sortedCounts(decisionsByOutcome),
        skipReasons: sortedCounts(skipReasons),
      },
      orders: {
        total: Object.values(ordersByStatus).reduce((a, b) => a + b, 0),
        byStatus: sortedCounts(ordersByStatus),
        byWorker: Object.fromEntries(Object.entries(ordersByWorker).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, { ...v, filledUnits: round(v.filledUnits, 4) }])),
        fills,
        filledUnits: round(filledUnits, 4),
        brokerCloses: sortedCounts(brokerCloses),
      },
      margin: {
        budgetRatio: round(budgetRatio, 6),
        maxUsage: round(maxUsage, 6),
        maxUsageAt: isoTime(maxUsageAt),
        maxUsageAfterFill: round(maxUsageAfterFill, 6),
        fillsOverBudget,
      },
      pl: { realized: round(engine.pl), financing: round(engine.financing), unrealized: round(end.unrealizedPL), endBalance: round(end.balance), endNav: round(end.nav) },
      drawdown: {
        max: round(drawdown.max),
        maxPct: round(drawdown.pct, 6),
        ...(drawdown.peakAt !== undefined ? { peakAt: isoTime(drawdown.peakAt), troughAt: isoTime(drawdown.troughAt!) } : {}),
      },
      workers: {
        fastScalpSkips: sortedCounts(fastScalp.skipCounts()),
        microSkips: sortedCounts(micro.skipCounts()),
        balancerRuns,
        ...(firstHedge ? { firstHedge } : {}),
      },
    };
    const trades = tradesFromTransactions(engine.transactions() as unknown as Array<Record<string, unknown>>);
    return { report, sent: ours, trades, ...(recorder ? { series: recorder.series } : {}), transactions: engine.transactions() as readonly Transaction[] };
  } finally {
    await journal.close();
  }
}
