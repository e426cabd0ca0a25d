// The trading kernel: builds the node once, common to the live agent (src/agent), the backtest
// (src/replay) and the test rigs: instruments, market and account state, account sync, the
// closeout guard, the signal bus, the three workers, the gate, the worker dispatcher and the
// gate's rehearsal (which only the live node calls). What a node adds is only how time and prices
// arrive (streams and timers, or a tick loop on simulated time) and what it observes (metrics,
// alerts, a recorder), through the hooks.
// Modelled on NautilusTrader's system kernel: "the kernel is common between backtest, sandbox
// and live".
import type { Config } from "../config/schema.ts";
import type { InstrumentTable } from "../core/instruments.ts";
import type { Logger } from "../core/log.ts";
import type { Clock, Signal } from "../core/types.ts";
import type { AlertSink } from "../alerts/index.ts";
import { SignalBus } from "../bus/signal-bus.ts";
import { writeLaterLogs } from "../core/log-later.ts";
import { Gate, type GateDecision } from "../gate/gate.ts";
import type { OrderEvent } from "../core/order-events.ts";
import { GateRehearsal } from "../gate/rehearsal.ts";
import { CloseoutGuard, closeoutGuardSettings } from "../gate/guards/closeout-guard.ts";
import type { LossLimitGuard } from "../gate/guards/loss-limit-guard.ts";
import { FastScalpWorker } from "../workers/fast_scalp/worker.ts";
import { DisabledMicroWorker, type MicroWorker } from "../workers/micro_multistrat/disabled.ts";
import { workerEnabled } from "../config/worker-enabled.ts";
import { HedgeBalancerWorker } from "../workers/hedge_balancer/worker.ts";
import type { PlacedOrder } from "../workers/order-budget.ts";
import type { AccountState } from "../state/account-state.ts";
import type { MarketState } from "../state/market-state.ts";
import type { AccountSync } from "./account-sync.ts";
import { buildState, firstRead } from "./build-state.ts";
import { WorkerDispatcher } from "./dispatcher.ts";
import { accountRefreshObserver, closeoutGuardObserver, type KernelMetrics } from "./observers.ts";
import type { JournalPort, VenuePort } from "./ports.ts";

export type { KernelMetrics } from "./observers.ts";

export interface KernelHooks {
  metrics?: KernelMetrics;
  /** Operator alerts: a fill, the closeout guard engaging or releasing. */
  alerts?: AlertSink;
  /** Daily loss and drawdown limits: fed the NAV on each refresh, consulted by the gate. */
  lossLimit?: Pick<LossLimitGuard, "observe" | "check">;
  /** A signal the bus accepted. */
  onPublished?: (s: Signal) => void;
  onDecision?: (d: GateDecision) => void;
  /** The account was read again (after the guard and the loss limit saw it). */
  onAccountRefreshed?: () => void;
}

export interface KernelOptions {
  config: Config;
  clock: Clock;
  venue: VenuePort;
  journal: JournalPort;
  log: Logger;
  /** The table the venue's adapter also reads (unit and price precision). */
  instruments: InstrumentTable;
  instrumentNames: string[];
  venueName: string;
  /** Check the FX weekend by the clock as well as the venue's tradeable flag. */
  enforceMarketHours: boolean;
  /** Simulated time never sleeps. */
  sleep?: (ms: number) => Promise<void>;
  /**
   * After a settlement: "await" reads the account again before the next signal is sized (live);
   * "background" starts the read and goes on; "none" leaves it to the node (replay refreshes
   * after the gate returns).
   */
  refreshAfterSettle: "await" | "background" | "none";
  hooks?: KernelHooks;
  /** The entry workers' orders of the last day, so their trade-frequency budget survives a restart. */
  pastOrders?: { fastScalp?: readonly PlacedOrder[]; micro?: readonly PlacedOrder[] };
}

export interface Kernel {
  config: Config;
  clock: Clock;
  instruments: InstrumentTable;
  market: MarketState;
  account: AccountState;
  accountSync: AccountSync;
  closeoutGuard: CloseoutGuard;
  bus: SignalBus;
  gate: Gate;
  workers: { fastScalp: FastScalpWorker; micro: MicroWorker; hedge: HedgeBalancerWorker };
  dispatcher: WorkerDispatcher;
  /**
   * The gate's rehearsal of fast_scalp's next entry (GATE_REHEARSAL; undefined when off), for the
   * live node to call after each dispatched tick. Replay does not call it.
   */
  rehearsal: GateRehearsal | undefined;
}

/** Build the node and read the account once. The gate is not started: call `gate.start()`. */
export async function createKernel(o: KernelOptions): Promise<Kernel> {
  const { config, clock, venue, journal, log, instruments } = o;
  const h = o.hooks ?? {};
  const { metrics, alerts } = h;

  const { market, account, accountSync } = await buildState({
    config, clock, venue, log, instruments, instrumentNames: o.instrumentNames,
    onRefreshed: () => {
      accountRefreshObserver({ account, clock, closeoutGuard, lossLimit: h.lossLimit, metrics });
      h.onAccountRefreshed?.();
    },
  });
  // The closeout guard: one state for the gate, the hedge balancer, /health and the metrics.
  const closeoutGuard = new CloseoutGuard(closeoutGuardSettings(config), closeoutGuardObserver({ config, log, metrics, alerts, rule: () => account.closeoutRule().inForce }));
  await firstRead(accountSync, account, o.venueName);

  // A signal dropped after the bus took it is a decision the gate never got to take: recorded as
  // a skip (the gate, created below, exists before anything is published). Not at shutdown.
  let gateRef: Gate | undefined;
  const bus = new SignalBus({
    capacity: config.SIGNAL_BUS_CAPACITY, clock,
    onDrop: (s, reason, queued) => {
      metrics?.signalDropped(reason);
      if (queued && reason !== "closed") void gateRef?.recordDropped(s, reason);
    },
  });
  const publish = (s: Signal) => {
    const r = bus.publish(s);
    if (r.accepted) {
      metrics?.signalPublished(s.worker);
      h.onPublished?.(s);
    } else writeLaterLogs(); // no decision will write the worker's line about it
    return r;
  };
  const fastScalp = new FastScalpWorker({ config, market, clock, instruments, log: log.child({ worker: "fast_scalp" }), publish, ...(metrics ? { metrics: { skip: (r: string) => metrics.fastScalpSkip(r) } } : {}), pastOrders: o.pastOrders?.fastScalp });
  // micro_multistrat's strategies and their indicator library (trading-signals, a tenth of a
  // replay's start-up) load only when it is switched on; off, it is the disabled worker.
  const micro: MicroWorker = workerEnabled(config, "micro_multistrat")
    ? new (await import("../workers/micro_multistrat/worker.ts")).MicroMultistratWorker({ config, market, clock, instruments, log: log.child({ worker: "micro_multistrat" }), publish, ...(metrics ? { metrics: { skip: (r: string) => metrics.microSkip(r) } } : {}), pastOrders: o.pastOrders?.micro })
    : new DisabledMicroWorker({ clock, pastOrders: o.pastOrders?.micro });
  const hedge = new HedgeBalancerWorker({ config, clock, account, market, instruments, publish, log: log.child({ worker: "hedge_balancer" }), closeoutGuard });

  // A signal's settled order (`signal_settled`), in this order: the entry workers hear of their
  // own fills (cooldowns, the trade-frequency budget; nothing outside them writes into them),
  // the operator of every fill; then the account is read again (refreshAfterSettle).
  const followSettlements = (e: OrderEvent) => {
    if (e.type !== "signal_settled") return;
    const { order, signal } = e;
    if (order.status === "filled") {
      if (signal.worker === "fast_scalp") fastScalp.notifyOrder(signal.instrument);
      if (signal.worker === "micro_multistrat") micro.notifyOrder(signal.instrument);
      alerts?.notify({ kind: "fill", instrument: order.instrument, side: order.side, units: order.filledUnits ?? order.units, price: order.fillPrice ?? null, worker: signal.worker, pocket: signal.pocket, clientId: order.clientId, reduceOnly: order.reduceOnly });
    }
    if (o.refreshAfterSettle === "background") void accountSync.refresh();
  };
  const gate = new Gate({
    config, clock, instruments, account, prices: market, broker: venue, journal, log: log.child({ part: "gate" }), closeoutGuard,
    ...(h.lossLimit ? { lossLimit: h.lossLimit } : {}),
    ...(metrics ? { metrics: { decision: (outcome: string, reason: string) => metrics.decision(outcome, reason), tickToSubmit: (s: number) => metrics.tickToSubmit(s) } } : {}),
    enforceMarketHours: o.enforceMarketHours,
    ...(o.sleep ? { sleep: o.sleep } : {}),
    ...(o.refreshAfterSettle === "await" ? { refreshAccount: () => accountSync.refresh() } : {}),
    onDecision: h.onDecision,
  });
  gateRef = gate;
  gate.subscribe(followSettlements);
  const workers = { fastScalp, micro, hedge };
  const dispatcher = new WorkerDispatcher({ config, controls: gate.controls, workers, startAt: clock.now() });
  market.onCandleClosed((i) => dispatcher.onCandleClosed(i));
  const rehearsal = config.GATE_REHEARSAL
    ? new GateRehearsal({ gate, bus, active: () => dispatcher.active("fast_scalp"), signal: (i, side) => fastScalp.rehearsalSignal(i, side), log: log.child({ part: "gate" }), ...(metrics ? { metrics } : {}) })
    : undefined;
  return { config, clock, instruments, market, account, accountSync, closeoutGuard, bus, gate, workers, dispatcher, rehearsal };
}
