// The gate (関所): the one place where signals become orders. It decides; src/execution carries
// a decision to the broker. Each step may skip with a recorded reason; the order of the steps
// is the contract in issue 5 / design.md: checks (src/gate/checks.ts), reduce-only planning
// (reduce-only-plan.ts), sizing (sizing.ts), then execution.
import type { Config } from "../config/schema.ts";
import type { BrokerPort, MarketOrderRequest } from "../core/orders.ts";
import type { InstrumentTable } from "../core/instruments.ts";
import type { Logger } from "../core/log.ts";
import type { OrderEventListener, SettledOrder } from "../core/order-events.ts";
import type { Clock, Pocket, Signal } from "../core/types.ts";
import type { LotResult } from "../margin/allowed-lot.ts";
import type { AccountState } from "../state/account-state.ts";
import type { SignalBus } from "../bus/signal-bus.ts";
import { ExecutionEngine, type OrderCommand, type RehearsedOrder } from "../execution/engine.ts";
import { checkSignal } from "./checks.ts";
import { GateControls } from "./controls.ts";
import { decisionFor, type GateDecision, recordDecision } from "./decision.ts";
import { earlierOrder, knownNoEarlierOrder } from "./earlier-order.ts";
import { buildOrderRequest } from "./order-request.ts";
import { type PocketRule, pocketRules } from "./pocket-rules.ts";
import type { GateJournal, GateMetrics, PriceView } from "./ports.ts";
import type { LossLimitBlock } from "./guards/loss-limit.ts";
import { CloseoutGuard, closeoutGuardSettings } from "./guards/closeout-guard.ts";
import { planPairCloseFor, planReduceOnly } from "./reduce-only-plan.ts";
import { lotNow, sizeEntryUnits, withProtectiveStop } from "./sizing.ts";
import { Skip } from "./skip.ts";
import { writeLaterLogs } from "../core/log-later.ts";

export type { GateDecision } from "./decision.ts";
export type { SettledOrder } from "../core/order-events.ts";

export interface GateOptions {
  config: Config;
  clock: Clock;
  instruments: InstrumentTable;
  account: AccountState;
  prices: PriceView;
  broker: BrokerPort;
  journal: GateJournal;
  metrics?: GateMetrics;
  log: Logger;
  /** Check the FX weekend by the clock as well as the broker's tradeable flag. */
  enforceMarketHours: boolean;
  /** Injectable for replay (simulated time never sleeps). */
  sleep?: (ms: number) => Promise<void>;
  /**
   * Read the account again once a signal's orders settled (after `signal_settled` was published):
   * the next signal waits for it, so it is sized on the account as the broker reports it after
   * this order. Absent: the node reads it itself (replay, after process() returns).
   */
  refreshAccount?: () => Promise<void>;
  onDecision?: (d: GateDecision) => void;
  /** Loss limits (daily, drawdown): folds NAV in and says why entries must stop, if they must. */
  lossLimit?: { check(nav: number): LossLimitBlock | undefined };
  /** Shared with the hedge balancer, /health and the metrics; default: one from the config. */
  closeoutGuard?: CloseoutGuard;
}

/**
 * How far a rehearsed decision got: its order's request (with the bytes it would write: its intent
 * line and its request), a plan other than one market order, a skip, or an error.
 */
export type Rehearsed =
  | ({ reached: "request"; request: MarketOrderRequest } & RehearsedOrder)
  | { reached: "planned" }
  | { reached: "skip"; reason: string }
  | { reached: "error"; error: string };

interface Planned {
  command: OrderCommand;
  detail: Record<string, unknown>;
}

export class Gate {
  readonly controls = new GateControls();
  readonly closeoutGuard: CloseoutGuard;
  /** Carries the gate's decisions to the broker and publishes what became of them. */
  readonly execution: ExecutionEngine;
  readonly #rules: Record<Pocket, PocketRule>;
  readonly #lastFill = new Map<string, number>(); // `${pocket}|${instrument}` -> time
  #ready = false;
  #running: Promise<void> | undefined;

  constructor(private readonly o: GateOptions) {
    this.#rules = pocketRules(o.config.POCKET_RULES);
    this.closeoutGuard = o.closeoutGuard ?? new CloseoutGuard(closeoutGuardSettings(o.config));
    this.execution = new ExecutionEngine({
      broker: o.broker, orders: o.journal.orders, clock: o.clock, log: o.log, metrics: o.metrics,
      sleep: o.sleep, orderTimeoutMs: o.config.ORDER_TIMEOUT_MS, lastTransactionId: () => o.account.snapshot()?.lastTransactionID,
    });
    // The account state follows execution's order events: reservations, fills, releases.
    this.execution.subscribe((e) => o.account.onOrderEvent(e));
  }

  /** Follow execution's order events (reservations, fills, releases, each signal's settled order). */
  subscribe(listener: OrderEventListener): () => void {
    return this.execution.subscribe(listener);
  }

  /** True once restart reconciliation finished; no signal is accepted before that. */
  get ready(): boolean {
    return this.#ready;
  }

  /** Reconcile every intent/submitted/unknown order with the broker before trading. */
  async start(): Promise<void> {
    // The same fate horizon as the periodic pass: a row written just before a crash may still
    // be executed by the broker, so it keeps counting at full size (no minimum age was a bug).
    await this.execution.reconcileUnsettled(this.#horizonMs());
    this.#ready = true;
  }

  /**
   * Settle unresolved (`unknown`) orders; the agent calls this periodically. A row is declared
   * never executed only once it is still not found ORDER_FATE_HORIZON_SEC after the request.
   */
  reconcile(): Promise<void> {
    return this.execution.reconcileUnsettled(this.#horizonMs());
  }

  #horizonMs(): number {
    return Math.max(this.o.config.ORDER_FATE_HORIZON_SEC * 1000, this.o.config.ORDER_TIMEOUT_MS);
  }

  /** Consume the bus until it closes. One signal at a time: headroom is never spent twice. */
  run(bus: SignalBus): Promise<void> {
    this.#running ??= (async () => {
      for (;;) {
        const s = await bus.next();
        if (!s) return writeLaterLogs();
        await this.process(s);
      }
    })();
    return this.#running;
  }

  /**
   * A signal the bus accepted and then dropped before the gate saw it (it went stale in the
   * queue, or a more urgent one took its place): recorded as a skip with the bus's reason, so the
   * operator who was told "pending" finds what became of it (GET /signals, a repeated id), as for
   * any decision.
   */
  async recordDropped(s: Signal, reason: string): Promise<void> {
    // Not in the decisions metric: the bus's own counter (signals dropped) has it already.
    await recordDecision(decisionFor(s, "skipped", reason, { droppedBy: "signal_bus", ageMs: this.o.clock.now() - s.createdAt, ttlMs: s.ttlMs }), { ...this.o, metrics: undefined });
  }

  async process(s: Signal): Promise<GateDecision> {
    let decision: GateDecision;
    let settled: SettledOrder | undefined;
    try {
      ({ decision, settled } = await this.#process(s));
    } catch (e) {
      this.o.log.error({ event: "gate_error", signalId: s?.id, err: String(e) }, "gate error");
      decision = decisionFor(s, "error", "internal_error", { error: String(e) });
    }
    // Lines held back while the order was on its way (a worker's signal line) are written now.
    writeLaterLogs();
    // The decision is journaled as soon as the order settles...
    await recordDecision(decision, this.o);
    if (settled) {
      // ...its followers hear of it (workers, alerts, a recorder: `signal_settled`), and the next
      // signal waits for the account as the broker reports it after this order.
      this.execution.signalSettled(settled, s);
      try {
        await this.o.refreshAccount?.();
      } catch (e) {
        this.o.log.warn({ event: "account_refresh_failed", err: String(e) }, "account refresh after a settlement failed; keeping the last view");
      }
    }
    return decision;
  }

  async #process(s: Signal): Promise<{ decision: GateDecision; settled?: SettledOrder }> {
    try {
      const planned = this.#plan(s);
      const request = planned.command.request;
      // A signal decided before (a replayed signal, a restart) never gets a second request.
      const orders = this.o.journal.orders;
      const earlier = knownNoEarlierOrder(orders, s.id) ? undefined : await earlierOrder(orders, s.id);
      if (earlier) throw new Skip("duplicate_signal", { clientId: earlier.clientId, status: earlier.status });
      // 9. journal the intent, 10. submit, 11. settle: src/execution.
      const settled = await this.execution.execute(planned.command, s, planned.detail);
      if (settled.status === "filled") this.#lastFill.set(`${s.pocket}|${s.instrument}`, this.o.clock.now());
      const decision: GateDecision = {
        // Sized down by a limit: `resized` with the limit in detail.limitedBy, never a plain ok.
        ...decisionFor(s, "accepted", planned.detail.limitedBy ? "resized" : "ok", { ...planned.detail, outcome: settled.outcomeKind, cancelReason: settled.reason }),
        units: request.units,
        clientId: request.clientId,
        orderStatus: settled.status,
      };
      return { decision, settled };
    } catch (e) {
      if (e instanceof Skip) return { decision: decisionFor(s, "skipped", e.reason, e.detail) };
      throw e;
    }
  }

  /**
   * The decision for `s` taken as far as the bytes of its order's request, and nothing done with
   * it: no row, no line, no request, no reservation, no event, no metric, no log line, no change
   * to a guard (the gate's rehearsal, src/gate/rehearsal.ts). The closeout guard is judged without
   * being updated; the loss limit, which folds the NAV it is given into its state, is left out.
   * Says how far the decision got.
   */
  rehearse(s: Signal): Rehearsed {
    try {
      const planned = this.#plan(s, true);
      if (planned.command.kind !== "market") return { reached: "planned" };
      knownNoEarlierOrder(this.o.journal.orders, s.id); // run for its warmth; a rehearsal sends nothing to duplicate
      const request = planned.command.request;
      return { reached: "request", request, ...this.execution.rehearse(request, s) };
    } catch (e) {
      return e instanceof Skip ? { reached: "skip", reason: e.reason } : { reached: "error", error: String(e) };
    }
  }

  /**
   * Steps 2-8: everything that can refuse a signal before money moves, and its size. Pure over
   * state but for two guards (the closeout guard's engaged state, the loss limit's NAV), which a
   * rehearsal leaves as they are.
   */
  #plan(s: Signal, rehearsal = false): Planned {
    const { config, clock, account } = this.o;
    const { spec, tick, exposure, detail } = checkSignal({ ...this.o, controls: this.controls, closeoutGuard: this.closeoutGuard, rules: this.#rules, lastFill: this.#lastFill, ready: this.#ready, rehearsal }, s, clock.now());
    const order = (signal: Signal, units: number): MarketOrderRequest => buildOrderRequest(signal, units, tick, spec, config.GATE_SLIPPAGE_PIPS);

    const pair = planPairCloseFor(s, account, spec, detail, !!this.o.broker.closePosition);
    if (pair) return { command: { kind: "pair_close", request: order(s, pair.long + pair.short), plan: pair }, detail: { ...detail, units: pair.long + pair.short, pairClose: pair } };

    let units: number;
    let ordered = s;
    if (s.reduceOnly) {
      const plan = planReduceOnly(s, account, spec, detail, !!this.o.broker.closeTrade);
      if (plan.tradeCloses) return { command: { kind: "trade_closes", request: order(s, plan.units), closes: plan.tradeCloses }, detail: { ...detail, units: plan.units } };
      units = plan.units;
    } else {
      units = sizeEntryUnits({ ...this.o, rules: this.#rules }, s, spec, exposure, detail);
      // Protective stop on every entry; reduce-only orders carry none.
      const stopped = withProtectiveStop(s, config);
      detail.stopLoss = stopped.stop;
      ordered = stopped.ordered;
    }
    const request = order(ordered, units);
    detail.units = units;
    detail.priceBound = request.priceBound;
    return { command: { kind: "market", request }, detail };
  }

  /**
   * allowed_lot for one side of one instrument right now, exactly as the gate sizes an entry
   * (src/gate/sizing.ts). Undefined without an account or a conversion. /positions shows it.
   */
  lot(instrument: string, side: "buy" | "sell", requestedUnits?: number, includeFateUnknown = true): LotResult | undefined {
    return lotNow({ ...this.o, rules: this.#rules }, instrument, side, requestedUnits, includeFateUnknown);
  }
}
