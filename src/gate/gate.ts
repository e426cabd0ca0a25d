// The gate (関所): the one place where signals become orders. Each step may skip with a
// recorded reason; the order of the steps is the contract in issue 5 / design.md.
import type { Config } from "../config/schema.ts";
import type { BrokerPort, MarketOrderRequest, OrderOutcome, OrderStatus, TradeClose } from "../core/orders.ts";
import { floorUnits, type InstrumentTable, toPips } from "../core/instruments.ts";
import type { Logger } from "../core/log.ts";
import { round } from "../core/round.ts";
import type { Clock, Pocket, Signal } from "../core/types.ts";
import { allowedLot, lotLimits, type LotResult } from "../margin/allowed-lot.ts";
import type { AccountState } from "../state/account-state.ts";
import { parseSignal } from "../bus/signal-schema.ts";
import type { SignalBus } from "../bus/signal-bus.ts";
import { GateControls } from "./controls.ts";
import { isFxMarketOpen } from "./market-hours.ts";
import { buildOrderRequest } from "./order-request.ts";
import { type PocketRule, pocketRules } from "./pocket-rules.ts";
import type { GateJournal, GateMetrics, PriceView } from "./ports.ts";
import type { NewDecision } from "../core/journal-records.ts";
import { OrderExecutor, type SettledOrder } from "./executor.ts";
import type { LossLimitBlock } from "./guards/loss-limit.ts";
import { instrumentRoom, sizeEntry } from "./guards/order-size.ts";
import { protectiveStop } from "./guards/stop-loss.ts";
import { entryRoomBesidePendingReduceOnly, reduceOnlyRoom } from "./guards/reduce-only-worst-case.ts";
import { CloseoutGuard, closeoutGuardSettings, closeoutGuardSkip } from "./guards/closeout-guard.ts";
import { executePairClose, type PairClosePlan, pairCloseWanted, planPairClose } from "./pair-close.ts";

export interface GateDecision {
  signalId: string;
  worker: string;
  strategy: string;
  pocket: Pocket;
  instrument: string;
  side: "buy" | "sell";
  outcome: "accepted" | "skipped" | "error";
  /** `ok` when accepted; otherwise the step's reason (e.g. `spread`, `margin_budget`). */
  reason: string;
  units?: number;
  clientId?: string;
  /** Status of the order once settled (accepted decisions only). */
  orderStatus?: OrderStatus;
  /** The numbers behind the decision. */
  detail: Record<string, unknown>;
}

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
  onSettled?: (o: SettledOrder, signal: Signal) => void | Promise<void>;
  onDecision?: (d: GateDecision) => void;
  /** Loss limits (daily, drawdown): folds NAV in and says why entries must stop, if they must. */
  lossLimit?: { check(nav: number): LossLimitBlock | undefined };
  /** Shared with the hedge balancer, /health and the metrics; default: one from the config. */
  closeoutGuard?: CloseoutGuard;
}

class Skip {
  constructor(readonly reason: string, readonly detail: Record<string, unknown> = {}) {}
}

export class Gate {
  readonly controls = new GateControls();
  readonly closeoutGuard: CloseoutGuard;
  readonly #rules: Record<Pocket, PocketRule>;
  readonly #lastFill = new Map<string, number>(); // `${pocket}|${instrument}` -> time
  readonly #executor: OrderExecutor;
  #ready = false;
  #running: Promise<void> | undefined;

  constructor(private readonly o: GateOptions) {
    this.#rules = pocketRules(o.config.POCKET_RULES);
    this.closeoutGuard = o.closeoutGuard ?? new CloseoutGuard(closeoutGuardSettings(o.config));
    this.#executor = new OrderExecutor({
      broker: o.broker, journal: o.journal, account: o.account, clock: o.clock, log: o.log, metrics: o.metrics,
      sleep: o.sleep, orderTimeoutMs: o.config.ORDER_TIMEOUT_MS,
    });
  }

  /** True once restart reconciliation finished; no signal is accepted before that. */
  get ready(): boolean {
    return this.#ready;
  }

  /** Reconcile every intent/submitted/unknown order with the broker before trading. */
  async start(): Promise<void> {
    // The same fate horizon as the periodic pass: a row written just before a crash may still
    // be executed by the broker, so it keeps counting at full size (no minimum age was a bug).
    await this.#executor.reconcileUnsettled(this.#horizonMs());
    this.#ready = true;
  }

  /**
   * Settle unresolved (`unknown`) orders; the agent calls this periodically. A row is declared
   * never executed only once it is still not found ORDER_FATE_HORIZON_SEC after the request.
   */
  reconcile(): Promise<void> {
    return this.#executor.reconcileUnsettled(this.#horizonMs());
  }

  #horizonMs(): number {
    return Math.max(this.o.config.ORDER_FATE_HORIZON_SEC * 1000, this.o.config.ORDER_TIMEOUT_MS);
  }

  /** Consume the bus until it closes. One signal at a time: headroom is never spent twice. */
  run(bus: SignalBus): Promise<void> {
    this.#running ??= (async () => {
      for (;;) {
        const s = await bus.next();
        if (!s) return;
        await this.process(s);
      }
    })();
    return this.#running;
  }

  async process(input: Signal): Promise<GateDecision> {
    let decision: GateDecision;
    let settled: SettledOrder | undefined;
    try {
      ({ decision, settled } = await this.#process(input));
    } catch (e) {
      this.o.log.error({ event: "gate_error", signalId: input?.id, err: String(e) }, "gate error");
      decision = this.#decision(input, "error", "internal_error", { error: String(e) });
    }
    // The decision is journaled as soon as the order settles...
    await this.#record(decision);
    if (settled) {
      try {
        // ...and the next signal waits for this hook, so it is sized on the account as the
        // broker reports it after this order.
        await this.o.onSettled?.(settled, input);
      } catch (e) {
        this.o.log.warn({ event: "on_settled_failed", err: String(e) });
      }
    }
    return decision;
  }

  async #process(input: Signal): Promise<{ decision: GateDecision; settled?: SettledOrder }> {
    // 1. schema
    const parsed = parseSignal(input);
    if (!parsed.ok) return { decision: this.#decision(input, "skipped", "invalid_signal", { issues: parsed.issues }) };
    const s = parsed.signal;
    try {
      const planned = this.#check(s);
      // A signal id already in the journal was decided before (a replayed signal, a restart):
      // never a second request for it, whatever became of the first. The signal id keys every
      // leg it produced (an entry, or one trade close per trade), so the check is by signal id.
      const earlier = (await this.o.journal.orders.findBySignalId(s.id))[0] ?? await this.o.journal.orders.findByClientId(planned.request.clientId);
      if (earlier) throw new Skip("duplicate_signal", { clientId: earlier.clientId, status: earlier.status });
      // 9. journal the intent, 10. submit, 11. settle (executor).
      const settled = planned.pairClose
        ? await executePairClose(this.#executor, planned.request, planned.pairClose, s, planned.detail)
        : planned.tradeCloses
        ? await this.#executor.executeTradeCloses(planned.request, planned.tradeCloses, s, planned.detail)
        : await this.#executor.execute(planned.request, s, planned.detail);
      if (settled.status === "filled") this.#lastFill.set(`${s.pocket}|${s.instrument}`, this.o.clock.now());
      const decision: GateDecision = {
        // Sized down by a limit: `resized` with the limit in detail.limitedBy, never a plain ok.
        ...this.#decision(s, "accepted", planned.detail.limitedBy ? "resized" : "ok", { ...planned.detail, outcome: settled.outcomeKind, cancelReason: settled.reason }),
        units: planned.request.units,
        clientId: planned.request.clientId,
        orderStatus: settled.status,
      };
      return { decision, settled };
    } catch (e) {
      if (e instanceof Skip) return { decision: this.#decision(s, "skipped", e.reason, e.detail) };
      throw e;
    }
  }

  /** Steps 2-8: everything that can refuse a signal before money moves. Pure over state. */
  #check(s: Signal): { request: MarketOrderRequest; detail: Record<string, unknown>; tradeCloses?: TradeClose[]; pairClose?: Exclude<PairClosePlan, { kind: "none" }> } {
    const { config, clock, instruments, account } = this.o;
    const now = clock.now();
    if (!this.#ready) throw new Skip("not_ready");
    if (now - s.createdAt > s.ttlMs) throw new Skip("signal_stale", { ageMs: now - s.createdAt, ttlMs: s.ttlMs });

    // 2. kill switch and pause
    if (this.controls.flattenAndStop && !s.meta?.flatten) throw new Skip("kill_switch", { flatten: true });
    if (this.controls.killActive && !s.reduceOnly) throw new Skip("kill_switch");
    if (this.controls.isPaused(s.worker)) throw new Skip("paused", { worker: s.worker });
    if (s.pocket === "manual") throw new Skip("manual_pocket");
    if (!instruments.has(s.instrument) && !config.INSTRUMENTS.includes(s.instrument)) throw new Skip("unknown_instrument");
    const spec = instruments.get(s.instrument);

    // 3. price freshness and tradeable
    const tick = this.o.prices.latest(s.instrument);
    if (!tick) throw new Skip("no_price");
    const priceAgeMs = now - tick.receivedAt;
    if (priceAgeMs > config.GATE_MAX_PRICE_AGE_MS) throw new Skip("price_stale", { priceAgeMs, limitMs: config.GATE_MAX_PRICE_AGE_MS });
    if (!tick.tradeable) throw new Skip("not_tradeable");

    // 4. market open
    if (this.o.enforceMarketHours && !isFxMarketOpen(now)) throw new Skip("market_closed");

    // 5. spread (entries only: risk must always be able to come off)
    const spreadPips = toPips(spec, tick.ask - tick.bid);
    if (!s.reduceOnly && spreadPips > config.GATE_MAX_SPREAD_PIPS) throw new Skip("spread", { spreadPips, limitPips: config.GATE_MAX_SPREAD_PIPS });

    const snap = account.snapshot();
    if (!snap) throw new Skip("no_account_state");
    // Entries are never sized on an old picture of NAV and margin (refreshes failing).
    const accountAgeMs = account.ageMs();
    // Reduce-only too (flatten aside): on an old picture the net it reduces may not exist any more.
    if ((!s.reduceOnly || !s.meta?.flatten) && account.isStale(config.ACCOUNT_REFRESH_SEC)) throw new Skip("account_stale", { accountAgeMs, reduceOnly: s.reduceOnly });
    const detail: Record<string, unknown> = { spreadPips: round(spreadPips, 3), priceAgeMs, bid: tick.bid, ask: tick.ask };
    const guarded = s.reduceOnly ? undefined : closeoutGuardSkip(this.closeoutGuard, account.closeoutReport()?.account, now);
    if (guarded) throw new Skip(guarded.reason, guarded.detail);
    // Loss limits and order size (src/gate/guards): entries only, so risk can always come off.
    const lossBlock = s.reduceOnly ? undefined : this.o.lossLimit?.check(snap.nav);
    if (lossBlock) throw new Skip("loss_limit", { ...lossBlock, since: new Date(lossBlock.since).toISOString(), nav: snap.nav });
    if (!s.reduceOnly && s.worker === "operator" && (s.proposedUnits ?? 0) > config.MAX_ORDER_UNITS) throw new Skip("too_large", { requestedUnits: s.proposedUnits, limit: config.MAX_ORDER_UNITS });

    // 6. pocket rules (entries only)
    if (!s.reduceOnly) {
      const rule = this.#rules[s.pocket];
      const last = this.#lastFill.get(`${s.pocket}|${s.instrument}`);
      if (last !== undefined && now - last < rule.cooldownSec * 1000) {
        throw new Skip("pocket_cooldown", { pocket: s.pocket, sinceFillMs: now - last, cooldownSec: rule.cooldownSec });
      }
      const open = account.openTradeCount(s.pocket);
      if (open >= rule.maxOpenTrades) throw new Skip("pocket_max_trades", { pocket: s.pocket, openTrades: open, limit: rule.maxOpenTrades });
    }

    const exposure = account.exposure(s.instrument);
    const c = account.conversion(s.instrument);
    if (c === undefined) throw new Skip("no_conversion", { base: spec.base, home: snap.currency });
    const model = account.marginModel().inForce;
    detail.model = model;
    detail.long = exposure.long;
    detail.short = exposure.short;

    let units: number;
    const pairWant = s.reduceOnly ? pairCloseWanted(s.meta) : undefined;
    if (pairWant) {
      // 7a. both sides at once (hedge-lock unwind, flatten): never raises |net| or margin on the way.
      const pos = account.position(s.instrument);
      const plan = planPairClose({ instrument: s.instrument, trades: account.trades(), long: pos.long, short: pos.short, want: pairWant, equal: pairWant.equal, unitsPrecision: spec.tradeUnitsPrecision, canClosePosition: !!this.o.broker.closePosition });
      if (plan.kind === "none") throw new Skip(plan.reason, { ...detail, ...plan.detail });
      return { request: buildOrderRequest(s, plan.long + plan.short, tick, spec, config.GATE_SLIPPAGE_PIPS), detail: { ...detail, units: plan.long + plan.short, pairClose: plan }, pairClose: plan };
    }
    if (s.reduceOnly) {
      // 7. reduce-only: never increases exposure. Net from the broker's position, less what
      // reduce-only orders already in flight will take off. SL/TP are recorded, never attached.
      if (s.slPips !== undefined || s.tpPips !== undefined) detail.slTpPipsNotAttached = { sl: s.slPips ?? null, tp: s.tpPips ?? null };
      const pos = account.position(s.instrument);
      const net = pos.long - pos.short;
      if (s.meta?.flatten) {
        // Flatten closes one side outright: sell closes longs, buy closes shorts.
        const sideUnits = s.side === "sell" ? pos.long : pos.short;
        units = Math.min(s.proposedUnits ?? sideUnits, sideUnits);
      } else {
        // Sized against the worst case: whichever unsettled orders fill, |net| cannot grow.
        const room = reduceOnlyRoom(s.side, account.netRange(s.instrument), net);
        if (!room.ok) throw new Skip(room.reason, room.detail);
        detail.worstCaseUnits = room.maxUnits;
        units = Math.min(s.proposedUnits ?? room.maxUnits, room.maxUnits, s.reduceCap ?? Number.POSITIVE_INFINITY);
      }
      // Manual trades are never touched. OANDA reduces a position oldest trade first (FIFO), so
      // only sekisho's own units ahead of the first manual trade on that side can be taken off.
      const closing = s.side === "sell" ? "buy" : "sell";
      const fifo = account.trades().filter((t) => t.instrument === s.instrument && t.side === closing).sort((a, b) => Number(a.id) - Number(b.id));
      let tradeCloses: TradeClose[] | undefined;
      if (fifo.some((t) => t.pocket === "manual")) {
        // A trade whose earlier close has an unknown fate is not closed again until that settles:
        // a close is matched to its own request, and two closes of one trade could not be told apart.
        const closing = new Set(account.reservations().flatMap((r) => (r.tradeId ? [r.tradeId] : [])));
        const mine = fifo.filter((t) => t.pocket !== "manual");
        const own = mine.filter((t) => !closing.has(t.id));
        if (this.o.broker.closeTrade && own.length === 0 && mine.length > 0) throw new Skip("fate_unknown", { tradesBeingClosed: [...closing] });
        if (this.o.broker.closeTrade && own.length > 0) {
          // Close sekisho's own trades by id, oldest first: the manual ones stay as they are.
          units = Math.min(units, own.reduce((n, t) => n + t.units, 0));
          tradeCloses = [];
          let left = floorUnits(units, spec.tradeUnitsPrecision);
          for (const t of own) {
            if (left <= 0) break;
            const take = Math.min(left, t.units);
            tradeCloses.push({ tradeId: t.id, units: take });
            left -= take;
          }
          detail.tradeCloses = tradeCloses;
        } else {
          let ownAhead = 0;
          for (const t of fifo) {
            if (t.pocket === "manual") break;
            ownAhead += t.units;
          }
          detail.ownUnitsAheadOfManual = ownAhead;
          if (ownAhead <= 0) throw new Skip("manual_trades_first", { ...detail, net });
          units = Math.min(units, ownAhead);
        }
      }
      units = floorUnits(units, spec.tradeUnitsPrecision);
      detail.net = net;
      if (s.proposedUnits !== undefined && units < s.proposedUnits && units > 0) Object.assign(detail, { limitedBy: "net_position", requestedUnits: s.proposedUnits });
      if (units < spec.minimumTradeSize || units <= 0) throw new Skip("nothing_to_reduce", { ...detail, units });
      if (tradeCloses) return { request: buildOrderRequest(s, units, tick, spec, config.GATE_SLIPPAGE_PIPS), detail: { ...detail, units }, tradeCloses };
    } else {
      // Per-direction pocket limit.
      const rule = this.#rules[s.pocket];
      const pocketSide = account.pocketUnits(s.instrument)[s.pocket]?.[s.side === "buy" ? "long" : "short"] ?? 0;
      const pocketRoom = Math.max(0, rule.maxUnitsPerSide - pocketSide);
      // 8. sizing with allowed_lot; margin in use includes orders in flight.
      const lot = this.lot(s.instrument, s.side, s.proposedUnits);
      if (!lot) throw new Skip("no_conversion", { reason: "a position's currency cannot be converted to the account's" });
      Object.assign(detail, lotDetail(lot));
      if (lot.allowedUnits <= 0) {
        // Would it fit if the orders of unknown fate had not filled? Then it waits for their fate.
        const unlessUnknown = account.reservations().some((r) => r.fateUnknown) ? this.lot(s.instrument, s.side, s.proposedUnits, false) : undefined;
        if (unlessUnknown && unlessUnknown.allowedUnits > 0) throw new Skip("fate_unknown", { ...detail, allowedUnlessUnknown: unlessUnknown.allowedUnits });
        throw new Skip(lot.reason === "ok" ? "margin_budget" : lot.reason, detail);
      }
      const sized = sizeEntry({
        requested: s.proposedUnits,
        limits: [[lot.reason === "ok" ? lot.bindingLimit : lot.reason, lot.maxUnits], ["pocket_side_limit", pocketRoom], ["max_order_units", config.MAX_ORDER_UNITS], ["max_instrument_units", instrumentRoom(s.side === "buy" ? exposure.long : exposure.short, config.MAX_INSTRUMENT_UNITS)], ["fate_unknown", entryRoomBesidePendingReduceOnly(s.side, account.netRange(s.instrument), account.reservations().filter((r) => r.instrument === s.instrument))]],
      });
      units = sized.units;
      if (units < spec.minimumTradeSize || units <= 0) throw new Skip(sized.limitedBy ?? "pocket_side_limit", { ...detail, pocketUnits: pocketSide, limit: rule.maxUnitsPerSide, maxInstrumentUnits: config.MAX_INSTRUMENT_UNITS });
      units = floorUnits(units, spec.tradeUnitsPrecision);
      if (sized.limitedBy) Object.assign(detail, { limitedBy: sized.limitedBy, requestedUnits: s.proposedUnits });
    }

    // Protective stop on every entry (src/gate/guards/stop-loss.ts); reduce-only orders carry none.
    let ordered = s;
    if (!s.reduceOnly) {
      const stop = protectiveStop(s.slPips, s.attachSlTp, { require: config.REQUIRE_STOP_LOSS, minPips: config.MIN_SL_PIPS, maxPips: config.MAX_SL_PIPS });
      detail.stopLoss = stop;
      ordered = { ...s, slPips: stop.pips, tpPips: s.attachSlTp ? s.tpPips : undefined, attachSlTp: stop.pips !== undefined || s.attachSlTp };
    }
    const request = buildOrderRequest(ordered, units, tick, spec, config.GATE_SLIPPAGE_PIPS);
    detail.units = units;
    detail.priceBound = request.priceBound;
    return { request, detail };
  }

  /**
   * allowed_lot for one side of one instrument right now, exactly as the gate sizes an entry:
   * open units including orders in flight, and margin in use including everything the broker's
   * snapshot does not show yet. Undefined without an account or a conversion. /positions shows it.
   */
  lot(instrument: string, side: "buy" | "sell", requestedUnits?: number, includeFateUnknown = true): LotResult | undefined {
    const { config, account, instruments } = this.o;
    const snap = account.snapshot();
    const c = account.conversion(instrument);
    if (!snap || c === undefined) return undefined;
    const spec = instruments.get(instrument);
    const model = account.marginModel().inForce;
    // The broker's marginUsed lags fills since its snapshot and orders in flight, on every
    // instrument: add their model margin so headroom is never spent twice.
    const unsynced = account.unsyncedMargin(model, includeFateUnknown);
    if (unsynced === undefined) return undefined;
    const e = account.exposure(instrument, includeFateUnknown);
    return allowedLot({
      side, long: e.long, short: e.short, nav: snap.nav, conversion: c, marginRate: spec.marginRate, model,
      marginUsed: snap.marginUsed + unsynced, marginAvailable: snap.marginAvailable - unsynced,
      unitsPrecision: spec.tradeUnitsPrecision, minUnits: spec.minimumTradeSize, requestedUnits, limits: lotLimits(config),
    });
  }

  #decision(s: Partial<Signal>, outcome: GateDecision["outcome"], reason: string, detail: Record<string, unknown>): GateDecision {
    return {
      signalId: String(s?.id ?? "?"), worker: String(s?.worker ?? "?"), strategy: String(s?.strategy ?? "?"),
      pocket: (s?.pocket ?? "manual") as Pocket, instrument: String(s?.instrument ?? "?"), side: s?.side === "sell" ? "sell" : "buy",
      outcome, reason, detail,
    };
  }

  async #record(d: GateDecision): Promise<void> {
    // Observers must never stop the gate loop.
    try {
      this.o.metrics?.decision(d.outcome, d.reason);
      this.o.onDecision?.(d);
    } catch (e) {
      this.o.log.warn({ event: "decision_observer_failed", err: String(e) });
    }
    const rec: NewDecision = {
      signalId: d.signalId, worker: d.worker, strategy: d.strategy, pocket: d.pocket, instrument: d.instrument, side: d.side,
      outcome: d.outcome, reason: d.reason, units: d.units, clientId: d.clientId, detail: { ...d.detail, orderStatus: d.orderStatus },
    };
    try {
      await this.o.journal.decisions.insert(rec);
    } catch (e) {
      this.o.log.error({ event: "journal_error", err: String(e) }, "could not journal a decision");
    }
    if (d.outcome === "skipped") this.o.log.debug({ event: "gate_skip", signalId: d.signalId, worker: d.worker, reason: d.reason, detail: d.detail });
    else this.o.log.info({ event: "gate_decision", signalId: d.signalId, worker: d.worker, outcome: d.outcome, reason: d.reason, units: d.units, orderStatus: d.orderStatus });
  }

}

function lotDetail(l: LotResult): Record<string, unknown> {
  return {
    maxUnits: l.maxUnits, allowedUnits: l.allowedUnits, lotReason: l.reason, bindingLimit: l.bindingLimit, budget: round(l.budget),
    marginBefore: round(l.marginBefore), marginAfter: round(l.marginAfter), usageAfter: round(l.usageAfter, 6),
    freeMarginRatio: round(l.freeMarginRatio, 6), netReducing: l.netReducing,
  };
}
