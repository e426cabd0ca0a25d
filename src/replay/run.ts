// Replay, the backtest node: the recorded ticks through the simulator, the workers and the real
// gate, on the data's clock. The node is the kernel's (src/kernel), as the live agent's is; what
// differs is only how time and prices arrive: each tick is processed to the end (market state ->
// dispatcher: fast_scalp, candle closes -> micro, balancer when due -> the bus drained through
// the gate, one signal at a time, each order settled) before the next, with no timers and no
// streams, so a run is deterministic.
import type { Config } from "../config/schema.ts";
import { InstrumentTable } from "../core/instruments.ts";
import type { Logger } from "../core/log.ts";
import { silentLogger } from "../core/silent-logger.ts";
import { M1_MS } from "../state/candles.ts";
import { SimEngine, type Transaction } from "../sim/engine.ts";
import { parseScenario, type Scenario } from "../sim/scenario.ts";
import { InProcessVenue } from "../sim/in-process-venue.ts";
import { MARGIN_USAGE_CEILING } from "../margin/model.ts";
import { createKernel } from "../kernel/kernel.ts";
import { ReplayClock } from "./clock.ts";
import { MemoryJournal } from "./memory-journal.ts";
import { tickWindow } from "./window.ts";
import { ReplayInputError, type TickSource } from "../marketdata/ticks.ts";
import type { ReplayReport } from "./report.ts";
import type { ReplaySeries } from "./series.ts";
import { type TradeRecord as ReplayTrade, tradeRecords as tradesFromTransactions } from "../ledger/index.ts";
import { ReplayRecorder } from "./recorder.ts";
import { assembleReport, readTransactions, type SentOrder } from "./report-assembly.ts";

export type { SentOrder } from "./report-assembly.ts";

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

/** The two brokers a run can be compared under: OANDA Japan's account and the memo's picture. */
const BROKER_MODELS = {
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

  // --- the venue: the simulator engine in-process on the data's clock --------------------------
  const clock = new ReplayClock(first.time);
  const engine = new SimEngine(scenario, clock, undefined, { priceHistory: false });
  const instruments = new InstrumentTable();
  // The engine read and called directly, with the OANDA client's answers (src/sim/in-process-venue.ts).
  const venue = new InProcessVenue({ engine, instruments, log });

  // The gate's journal in memory: nothing reads a replay's journal after the run.
  const journal = new MemoryJournal(clock);
  try {
    const budgetRatio = Math.min(config.MAX_MARGIN_USAGE, MARGIN_USAGE_CEILING) * config.MARGIN_SAFETY_FACTOR;
    const rec = new ReplayRecorder({ numbers: () => engine.numbers(), now: () => clock.now(), budgetRatio, collect: Boolean(o.collect) });
    // A settlement reads the account again after the gate returns (below), as the live agent
    // does before the next signal; so do the broker's own transactions (TP/SL, closeouts).
    let refreshNeeded = false;
    const k = await createKernel({
      config, clock, venue, journal, log, instruments, instrumentNames: engine.instrumentNames(), venueName: "the simulator",
      // The FX weekend is in the data; the data's clock says when it is.
      enforceMarketHours: config.GATE_ENFORCE_MARKET_HOURS ?? true,
      sleep: () => Promise.resolve(),
      refreshAfterSettle: "none",
      hooks: {
        onPublished: (s) => rec.published(s),
        onDecision: (d) => rec.decided(d),
        onAccountRefreshed: () => void rec.sample(),
      },
    });
    const { market, accountSync, bus, gate, dispatcher } = k;
    gate.subscribe((e) => {
      if (e.type !== "signal_settled") return;
      rec.settled(e.order, e.signal);
      refreshNeeded = true;
    });
    await gate.start();

    const drain = async () => {
      for (let s = bus.tryNext(); s; s = bus.tryNext()) {
        const before = engine.numbers();
        const d = await gate.process(s);
        if (d.orderStatus === "filled") rec.filled(before);
        if (refreshNeeded) {
          refreshNeeded = false;
          await accountSync.refresh();
        }
      }
    };

    const refreshMs = config.ACCOUNT_REFRESH_SEC * 1000;
    let lastRefresh = first.time;
    let replayed = 0;

    const { time: times, bid: bids, ask: asks, tradeable: flags } = ticks;
    for (let i = ticks.start; i < ticks.end; i++) {
      const time = times[i]!;
      const bid = bids[i]!;
      const ask = asks[i]!;
      const tradeable = flags?.[i];
      // The live agent closes due candles on a one-second timer; across a gap in the data that
      // timer would have fired at the minute's end, so close them there, not at the next tick.
      const open = market.currentCandleTime(instrument);
      if (open !== undefined && open + M1_MS < time) {
        clock.advanceTo(open + M1_MS);
        market.closeDueCandles();
        if (bus.size > 0) await drain();
      }
      clock.advanceTo(time);
      const lastTx = engine.lastTransactionID;
      engine.applyTick({ instrument, bid, ask, time, tradeable });
      // TP/SL triggers and closeouts are transactions the stream would have announced.
      if (engine.lastTransactionID !== lastTx) refreshNeeded = true;
      if (market.onTick({ instrument, bid, ask, time, receivedAt: time, tradeable: tradeable ?? true }) !== undefined) {
        continue; // counted by market state, reported as state_<reason>
      }
      replayed++;
      rec.tick(time, (bid + ask) / 2);
      if (refreshNeeded || time - lastRefresh >= refreshMs) {
        refreshNeeded = false;
        lastRefresh = time;
        if (!accountSync.refreshedNow()) await accountSync.refresh();
      }
      dispatcher.onTick(instrument);
      market.closeDueCandles();
      dispatcher.balanceIfDue(time);
      // Most ticks publish nothing: no call (and no await) for an empty bus.
      if (bus.size > 0) await drain();
    }
    await accountSync.refresh();
    const end = rec.sample();

    for (const [key, v] of Object.entries(market.rejectedTicks())) if (v > 0) skipped[`state_${key}`] = (skipped[`state_${key}`] ?? 0) + v;
    rec.series?.account(clock.now(), end, true);
    const transactions = engine.transactions() as readonly Transaction[];
    const { brokerCloses, sent } = readTransactions(transactions, rec);
    const report = assembleReport({
      input: { ticksFile: o.ticksFile, askFile: o.askFile, instrument, from: o.from, to: o.to },
      source,
      ticks: { replayed, skipped, first: first.time, last: last.time },
      broker: { currency: engine.currency, marginRate: engine.marginRate, marginModel: engine.marginModel, closeoutRule: engine.closeoutRule, pl: engine.pl, financing: engine.financing },
      gateMarginModel: k.account.marginModel().inForce,
      droppedByBus: bus.counters.dropped,
      skips: { fastScalp: k.workers.fastScalp.skipCounts(), micro: k.workers.micro.skipCounts() },
      balancerRuns: dispatcher.balancerRuns,
      budgetRatio, brokerCloses, end,
    }, rec);
    // Scenario positions are opened as client orders before the first tick; they are not sekisho's.
    const ours = sent.filter((s) => s.clientId !== undefined);
    const trades = tradesFromTransactions(transactions as unknown as Array<Record<string, unknown>>);
    return { report, sent: ours, trades, ...(rec.series ? { series: rec.series.series } : {}), transactions };
  } finally {
    await journal.close();
  }
}
