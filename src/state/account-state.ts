// The agent's view of the account: the broker's snapshot (the broker wins every disagreement),
// fills applied optimistically between refreshes (src/state/positions.ts), and orders in flight
// counted as position until they settle (reservations.ts), so two signals can never spend the
// same headroom. It follows execution's order events; the margin model and the loss-cut rule
// in force are learnt from the broker's figures (margin-model-evidence.ts, margin/closeout-rule.ts).
import type { AccountSnapshot, Clock, MarginModel, MarginModelSetting, Pocket } from "../core/types.ts";
import type { InstrumentTable } from "../core/instruments.ts";
import { baseToHome, type MidLookup } from "../margin/conversion.ts";
import type { Logger } from "../core/log.ts";
import type { CloseoutReport } from "../margin/closeout-report.ts";
import { CloseoutReportCache, type CloseoutReportReads } from "./closeout-report-cache.ts";
import type { OrderEvent, Reservation } from "../core/order-events.ts";
import { type CloseoutRuleSetting, type CloseoutRuleState, initialCloseoutRule, observeCloseoutRule } from "../margin/closeout-rule.ts";
import type { Exposure, NetRange, TradeView } from "./account-types.ts";
import { type MarginView, unsyncedMargin } from "./account-margin.ts";
import { type EvidenceContext, initialMarginModel, type MarginModelJudgement, type MarginModelState, observeMarginModel } from "./margin-model-evidence.ts";
import { Positions } from "./positions.ts";
import { Reservations } from "./reservations.ts";

export type { Exposure, NetRange, TradeView } from "./account-types.ts";
export type { Reservation } from "../core/order-events.ts";
export { type MarginModelEvidence, type MarginModelState, NET_CONFIRMATIONS } from "./margin-model-evidence.ts";

export class AccountState {
  #snapshot: AccountSnapshot | undefined;
  #trades: TradeView[] = [];
  readonly #positions = new Positions();
  readonly #reservations: Reservations;
  #model: MarginModelJudgement;
  #closeoutRule: CloseoutRuleState;
  /** OANDA's positionValue factors, currency -> home. */
  readonly #homeFactors = new Map<string, number>();
  readonly #marginView: MarginView;
  // Made once, not per snapshot: a replay takes a snapshot on most ticks.
  readonly #conversion = (i: string) => this.conversion(i);
  readonly #marginRate = (i: string) => this.deps.instruments.get(i).marginRate;
  // The margin model's evidence reads through this: made once (a replay takes a snapshot on most
  // ticks, and most have no hedged position to judge).
  readonly #evidenceContext: EvidenceContext = {
    now: () => this.deps.clock.now(),
    conversion: this.#conversion,
    marginRate: this.#marginRate,
    priceAgeMs: (i) => this.deps.priceAgeMs?.(i),
  };
  readonly #closeoutReports = new CloseoutReportCache();
  readonly #closeoutReads: CloseoutReportReads = {
    spec: (i) => this.deps.instruments.get(i),
    mid: (i) => this.deps.mid(i),
    conversion: this.#conversion,
  };

  constructor(
    private readonly deps: {
      instruments: InstrumentTable;
      clock: Clock;
      modelSetting: MarginModelSetting;
      /** CLOSEOUT_RULE (default auto: japan until the broker's figures show the half rule). */
      closeoutRuleSetting?: CloseoutRuleSetting;
      mid: MidLookup;
      /** Age of the mid used for conversion; margin evidence is judged only on fresh prices. */
      priceAgeMs?: (instrument: string) => number | undefined;
      log?: Logger;
    },
  ) {
    this.#reservations = new Reservations(() => deps.clock.now());
    this.#model = initialMarginModel(deps.modelSetting);
    this.#closeoutRule = initialCloseoutRule(deps.closeoutRuleSetting ?? "auto");
    this.#marginView = {
      positionInstruments: () => this.#positions.instruments(),
      reservedInstruments: () => this.#reservations.instruments(),
      exposure: (i, includeFateUnknown) => this.exposure(i, includeFateUnknown),
      conversion: (i) => this.conversion(i),
      marginRate: (i) => this.deps.instruments.get(i).marginRate,
    };
  }

  get ready(): boolean {
    return this.#snapshot !== undefined;
  }

  snapshot(): AccountSnapshot | undefined {
    return this.#snapshot;
  }

  trades(): readonly TradeView[] {
    return this.#trades;
  }

  /**
   * Too old to size entries on: three refresh intervals and 5 s of slack without a successful
   * refresh. The gate refuses entries then, and /health says degraded.
   */
  isStale(refreshIntervalSec: number): boolean {
    return this.ageMs() > refreshIntervalSec * 3000 + 5000;
  }

  /** Milliseconds since the last broker refresh (Infinity before the first). */
  ageMs(): number {
    return this.#snapshot ? this.deps.clock.now() - this.#snapshot.asOf : Number.POSITIVE_INFINITY;
  }

  /**
   * Take the broker's view. Ignored when it predates a fill we already applied (a refresh that
   * was in flight while the fill arrived), so the local view never steps backwards.
   * Returns the disagreements with the local view, which the caller logs.
   */
  applySnapshot(snap: AccountSnapshot, trades?: TradeView[]): { applied: boolean; disagreements: string[] } {
    if (this.#positions.isOlderThanApplied(snap)) return { applied: false, disagreements: [] };
    const disagreements = this.#positions.takeSnapshot(snap);
    this.#snapshot = snap;
    if (trades) this.#trades = trades;
    this.#observeMarginModel(snap);
    this.#observeCloseoutRule(snap);
    if (disagreements.length) this.deps.log?.warn({ event: "position_disagreement", disagreements }, "local view corrected by the broker");
    return { applied: true, disagreements };
  }

  /**
   * Follow execution's order events (src/execution) and the ledger's settlements, the one way
   * orders change this state: units reserved while an order is unsettled, counted at full size
   * while its fate is unknown (the answer was lost: until the ledger or the fate horizon settles
   * it), fills applied between refreshes, reservations released.
   */
  onOrderEvent(e: OrderEvent): void {
    switch (e.type) {
      case "reserved":
        this.#reservations.reserve(e.reservation);
        return;
      case "fate_unknown":
        if (e.reservation && !this.#reservations.has(e.clientId)) this.#reservations.reserve(e.reservation);
        this.#reservations.markFateUnknown(e.clientId);
        return;
      case "filled":
        // `reduce` fills take units off the opposite side. A fill the snapshot already contains,
        // or one applied before, is ignored: settling the same order twice (a lookup after a lost
        // answer, a restart) must not move the position twice.
        this.#positions.applyFill(e.instrument, e.side, e.units, e.transactionId, e.reduceOnly, this.#snapshot?.hedgingEnabled ?? true);
        return;
      case "released":
        this.#reservations.release(e.clientId);
        return;
    }
  }

  reservations(): Reservation[] {
    return this.#reservations.list();
  }

  /** Broker position only. */
  position(instrument: string): Exposure {
    return this.#positions.get(instrument);
  }

  /**
   * Position for sizing: the broker's plus every unsettled entry order on this instrument.
   * Reduce-only orders in flight are not subtracted (they might not fill), which errs on
   * the side of less headroom.
   */
  exposure(instrument: string, includeFateUnknown = true): Exposure {
    return this.#reservations.withEntries(instrument, this.position(instrument), includeFateUnknown);
  }

  /** Net units as they may end up once every unsettled order has filled or not: the reduce-only worst case. */
  netRange(instrument: string): NetRange {
    return this.#reservations.netRange(instrument, this.position(instrument));
  }

  instrumentsWithPositions(): string[] {
    return this.#positions.open();
  }

  /** Units per pocket and side, from the broker's open trades. */
  pocketUnits(instrument: string): Partial<Record<Pocket, Exposure>> {
    const out: Partial<Record<Pocket, Exposure>> = {};
    for (const t of this.#trades) {
      if (t.instrument !== instrument) continue;
      const e = (out[t.pocket] ??= { long: 0, short: 0 });
      if (t.side === "buy") e.long += t.units;
      else e.short += t.units;
    }
    return out;
  }

  /**
   * Where the open trades (from the last refresh) do not add up to the position (which follows
   * fills and broker exits at once): which trade OANDA closes first (FIFO) cannot be told from
   * them until the next refresh. Undefined when they agree.
   */
  tradesDisagree(instrument: string): { trades: Exposure; position: Exposure } | undefined {
    const trades = { long: 0, short: 0 };
    for (const t of this.#trades) if (t.instrument === instrument) trades[t.side === "buy" ? "long" : "short"] += t.units;
    const position = this.position(instrument);
    return Math.abs(trades.long - position.long) > 1e-9 || Math.abs(trades.short - position.short) > 1e-9 ? { trades, position } : undefined;
  }

  openTradeCount(pocket: Pocket): number {
    return this.#trades.filter((t) => t.pocket === pocket).length;
  }

  marginModel(): MarginModelState {
    return this.#model.model;
  }

  /** The loss-cut rule in force and the broker figures it was learnt from. */
  closeoutRule(): CloseoutRuleState {
    return this.#closeoutRule;
  }

  /**
   * Distance to the loss-cut per instrument and for the account, on the broker's last snapshot
   * (its NAV, marginUsed and positions: figures that agree with each other), under the margin
   * model and closeout rule in force, at the latest mids. Undefined before the first snapshot.
   * The same object while those inputs are unchanged: callers read it, never write it.
   */
  closeoutReport(): CloseoutReport | undefined {
    const snap = this.#snapshot;
    if (!snap) return undefined;
    // Asked after every account read and again by the balancer, the gate and /positions: the
    // last report comes back while every input to it is unchanged (closeout-report-cache.ts).
    return this.#closeoutReports.report(snap, this.#model.model.inForce, this.#closeoutRule.inForce, this.#closeoutReads);
  }

  /**
   * base->home at mid: from the mids of subscribed instruments when a route exists (fresh with
   * every tick), else from the broker's own home-conversion factor for the base currency
   * (OANDA's positionValue, refreshed by the agent). Undefined when neither exists.
   */
  conversion(instrument: string): number | undefined {
    const spec = this.deps.instruments.get(instrument);
    const home = this.#snapshot?.currency ?? spec.quote;
    return baseToHome(spec.base, home, this.deps.mid) ?? (spec.base === home ? 1 : this.#homeFactors.get(spec.base));
  }

  /** True when the mids of subscribed instruments cannot convert this instrument's base. */
  needsBrokerConversion(instrument: string): boolean {
    const spec = this.deps.instruments.get(instrument);
    const home = this.#snapshot?.currency ?? spec.quote;
    return baseToHome(spec.base, home, this.deps.mid) === undefined;
  }

  /** The broker's home-conversion factors by currency (GET /pricing?includeHomeConversions=true). */
  setHomeConversions(factors: ReadonlyMap<string, number>): void {
    for (const [currency, f] of factors) if (f > 0 && Number.isFinite(f)) this.#homeFactors.set(currency, f);
  }

  /** Margin the broker's last snapshot cannot know yet (src/state/account-margin.ts); undefined when a conversion is missing. */
  unsyncedMargin(model: MarginModel, includeFateUnknown = true): number | undefined {
    return unsyncedMargin(this.#marginView, this.#snapshot?.positions ?? [], model, includeFateUnknown);
  }

  #observeMarginModel(snap: AccountSnapshot): void {
    const before = this.#model.model.inForce;
    this.#model = observeMarginModel(this.#model, snap, this.#evidenceContext);
    const after = this.#model.model;
    if (after.inForce !== before) this.deps.log?.info({ event: "margin_model", from: before, to: after.inForce, evidence: after.evidence }, "margin model resolved from broker evidence");
  }

  #observeCloseoutRule(snap: AccountSnapshot): void {
    const next = observeCloseoutRule(this.#closeoutRule, snap, this.deps.clock.now());
    if (next.inForce !== this.#closeoutRule.inForce) {
      this.deps.log?.info({ event: "closeout_rule", from: this.#closeoutRule.inForce, to: next.inForce, evidence: next.evidence }, "loss-cut rule resolved from broker evidence");
    }
    this.#closeoutRule = next;
  }
}
