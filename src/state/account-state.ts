// The agent's view of the account: the broker's snapshot (the broker wins every disagreement),
// fills applied optimistically between refreshes, and orders in flight counted as position
// until they settle, so two signals can never spend the same headroom.
import type { AccountSnapshot, Clock, MarginModel, MarginModelSetting, Pocket, PositionSides, Side } from "../core/types.ts";
import type { InstrumentTable } from "../core/instruments.ts";
import { accountMargin, type InstrumentExposure } from "../margin/model.ts";
import { baseToHome, type MidLookup } from "../margin/conversion.ts";
import type { Logger } from "../core/log.ts";
import { closeoutReport, type CloseoutReport } from "../margin/closeout-report.ts";
import type { NewReservation, OrderEvent, Reservation } from "../core/order-events.ts";
import { type CloseoutRuleSetting, type CloseoutRuleState, initialCloseoutRule, observeCloseoutRule } from "../margin/closeout-rule.ts";

export interface TradeView {
  id: string;
  instrument: string;
  side: Side;
  /** Current open units (magnitude). */
  units: number;
  price: number;
  pocket: Pocket;
  strategy?: string;
  clientId?: string;
}

export type { Reservation } from "../core/order-events.ts";

/** The range |net| may be in once every unsettled order has filled or not, in any combination. */
export interface NetRange {
  min: number;
  max: number;
}

export interface MarginModelEvidence {
  at: number;
  marginUsed: number;
  netModelMargin: number;
  maxSideModelMargin: number;
  verdict: MarginModel;
}

export interface MarginModelState {
  setting: MarginModelSetting;
  inForce: MarginModel;
  evidence?: MarginModelEvidence;
  note: string;
}

export interface Exposure {
  long: number;
  short: number;
}

function txnNumber(id: string | undefined): number {
  const n = Number(id);
  return Number.isFinite(n) ? n : 0;
}

export class AccountState {
  #snapshot: AccountSnapshot | undefined;
  #trades: TradeView[] = [];
  readonly #positions = new Map<string, Exposure>();
  readonly #reservations = new Map<string, Reservation>();
  /** Highest transaction id applied optimistically; older snapshots would undo it. */
  #appliedTxn = 0;
  /** lastTransactionID of the snapshot in force: fills up to it are already in the positions. */
  #snapshotTxn = 0;
  /** Fill transactions applied since that snapshot (a fill must never count twice). */
  readonly #fillsApplied = new Set<string>();
  #model: MarginModelState;
  #netStreak = 0;
  #closeoutRule: CloseoutRuleState;
  /** OANDA's positionValue factors, currency -> home. */
  readonly #homeFactors = new Map<string, number>();

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
    const setting = deps.modelSetting;
    this.#model = setting === "auto"
      ? { setting, inForce: "max_side", note: "auto: sizing with max_side until the broker's marginUsed, with both sides open, shows netting" }
      : { setting, inForce: setting, note: `fixed by MARGIN_MODEL=${setting}` };
    this.#closeoutRule = initialCloseoutRule(deps.closeoutRuleSetting ?? "auto");
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
    if (txnNumber(snap.lastTransactionID) < this.#appliedTxn) return { applied: false, disagreements: [] };
    const disagreements: string[] = [];
    for (const p of snap.positions) {
      const local = this.#positions.get(p.instrument);
      if (local && (Math.abs(local.long - p.long) > 1e-9 || Math.abs(local.short - p.short) > 1e-9)) {
        disagreements.push(`${p.instrument}: local long ${local.long} short ${local.short}, broker long ${p.long} short ${p.short}`);
      }
    }
    this.#positions.clear();
    for (const p of snap.positions) this.#positions.set(p.instrument, { long: p.long, short: p.short });
    this.#snapshot = snap;
    this.#appliedTxn = Math.max(this.#appliedTxn, txnNumber(snap.lastTransactionID));
    this.#snapshotTxn = txnNumber(snap.lastTransactionID);
    for (const id of this.#fillsApplied) if (txnNumber(id) <= this.#snapshotTxn) this.#fillsApplied.delete(id);
    if (trades) this.#trades = trades;
    this.#observeMarginModel(snap);
    this.#observeCloseoutRule(snap);
    if (disagreements.length) this.deps.log?.warn({ event: "position_disagreement", disagreements }, "local view corrected by the broker");
    return { applied: true, disagreements };
  }

  /**
   * Apply a fill between refreshes. `reduce` fills take units off the opposite side. A fill the
   * snapshot already contains, or one applied before, is ignored (returns false): settling the
   * same order twice (a lookup after a lost answer, a restart) must not move the position twice.
   */
  applyFill(instrument: string, side: Side, units: number, transactionId: string, reduce: boolean): boolean {
    const n = txnNumber(transactionId);
    if ((n > 0 && n <= this.#snapshotTxn) || this.#fillsApplied.has(transactionId)) return false;
    this.#fillsApplied.add(transactionId);
    const p = this.#positions.get(instrument) ?? { long: 0, short: 0 };
    const hedging = this.#snapshot?.hedgingEnabled ?? true;
    if (reduce || !hedging) {
      // Reduce the opposite side first (REDUCE_ONLY, or a netting account's default).
      const opp = side === "buy" ? "short" : "long";
      const cut = Math.min(p[opp], units);
      p[opp] -= cut;
      const rest = units - cut;
      if (!reduce && rest > 0) p[side === "buy" ? "long" : "short"] += rest;
    } else {
      p[side === "buy" ? "long" : "short"] += units;
    }
    this.#positions.set(instrument, p);
    this.#appliedTxn = Math.max(this.#appliedTxn, n);
    return true;
  }

  /**
   * Follow execution's order events (src/execution): units reserved while an order is unsettled,
   * counted at full size while its fate is unknown, fills applied, reservations released.
   */
  onOrderEvent(e: OrderEvent): void {
    switch (e.type) {
      case "reserved":
        this.reserve(e.reservation);
        return;
      case "fate_unknown":
        if (e.reservation && !this.#reservations.has(e.clientId)) this.reserve(e.reservation);
        this.markFateUnknown(e.clientId);
        return;
      case "filled":
        this.applyFill(e.instrument, e.side, e.units, e.transactionId, e.reduceOnly);
        return;
      case "released":
        this.release(e.clientId);
        return;
    }
  }

  reserve(r: NewReservation): void {
    this.#reservations.set(r.clientId, { ...r, since: this.deps.clock.now() });
  }

  /** The order's answer was lost: it counts at full size until the ledger or the horizon settles it. */
  markFateUnknown(clientId: string): void {
    const r = this.#reservations.get(clientId);
    if (r) r.fateUnknown = true;
  }

  release(clientId: string): void {
    this.#reservations.delete(clientId);
  }

  reservations(): Reservation[] {
    return [...this.#reservations.values()];
  }

  /** Broker position only. */
  position(instrument: string): Exposure {
    const p = this.#positions.get(instrument);
    return p ? { ...p } : { long: 0, short: 0 };
  }

  /**
   * Position for sizing: the broker's plus every unsettled entry order on this instrument.
   * Reduce-only orders in flight are not subtracted (they might not fill), which errs on
   * the side of less headroom.
   */
  exposure(instrument: string, includeFateUnknown = true): Exposure {
    const p = this.position(instrument);
    for (const r of this.#reservations.values()) {
      if (r.instrument !== instrument || r.reduceOnly || (!includeFateUnknown && r.fateUnknown)) continue;
      if (r.side === "buy") p.long += r.units;
      else p.short += r.units;
    }
    return p;
  }

  /**
   * Net units (long - short) as they may end up once every unsettled order (entries and
   * reduce-only, in flight or of unknown fate) has filled or not, in any combination: the worst
   * case a reduce-only order must be sized against.
   */
  netRange(instrument: string): NetRange {
    const p = this.position(instrument);
    const net = p.long - p.short;
    let min = net, max = net;
    for (const r of this.#reservations.values()) {
      if (r.instrument !== instrument) continue;
      if (r.side === "buy") max += r.units;
      else min -= r.units;
    }
    return { min, max };
  }

  instrumentsWithPositions(): string[] {
    return [...this.#positions.entries()].filter(([, p]) => p.long > 0 || p.short > 0).map(([k]) => k);
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

  openTradeCount(pocket: Pocket): number {
    return this.#trades.filter((t) => t.pocket === pocket).length;
  }

  marginModel(): MarginModelState {
    return this.#model;
  }

  /** The loss-cut rule in force and the broker figures it was learnt from. */
  closeoutRule(): CloseoutRuleState {
    return this.#closeoutRule;
  }

  /**
   * Distance to the loss-cut per instrument and for the account, on the broker's last snapshot
   * (its NAV, marginUsed and positions: figures that agree with each other), under the margin
   * model and closeout rule in force, at the latest mids. Undefined before the first snapshot.
   */
  closeoutReport(): CloseoutReport | undefined {
    const snap = this.#snapshot;
    if (!snap) return undefined;
    return closeoutReport({
      nav: snap.nav, marginUsed: snap.marginUsed, currency: snap.currency, model: this.#model.inForce, rule: this.#closeoutRule.inForce,
      positions: snap.positions.map((p) => ({ spec: this.deps.instruments.get(p.instrument), long: p.long, short: p.short, mid: this.deps.mid(p.instrument), conversion: this.conversion(p.instrument) })),
    });
  }

  #observeCloseoutRule(snap: AccountSnapshot): void {
    const next = observeCloseoutRule(this.#closeoutRule, snap, this.deps.clock.now());
    if (next.inForce !== this.#closeoutRule.inForce) {
      this.deps.log?.info({ event: "closeout_rule", from: this.#closeoutRule.inForce, to: next.inForce, evidence: next.evidence }, "loss-cut rule resolved from broker evidence");
    }
    this.#closeoutRule = next;
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

  /** Model margin for every open position (and reservation) under a model. */
  modelMargin(model: MarginModel, withReservations = false): number | undefined {
    const exposures: InstrumentExposure[] = [];
    const names = new Set([...this.#positions.keys(), ...[...this.#reservations.values()].map((r) => r.instrument)]);
    for (const name of names) {
      const e = withReservations ? this.exposure(name) : this.position(name);
      if (e.long === 0 && e.short === 0) continue;
      const c = this.conversion(name);
      if (c === undefined) return undefined;
      exposures.push({ ...e, conversion: c, marginRate: this.deps.instruments.get(name).marginRate });
    }
    return accountMargin(model, exposures);
  }

  /**
   * Margin the broker's last snapshot cannot know yet: fills applied since it and orders in
   * flight, on every instrument. Per instrument never negative (a reduction the broker has not
   * confirmed frees nothing yet). Undefined when a conversion is missing: the caller refuses.
   */
  unsyncedMargin(model: MarginModel, includeFateUnknown = true): number | undefined {
    const snapPositions = this.#snapshot?.positions ?? [];
    const names = new Set([...this.#positions.keys(), ...snapPositions.map((p) => p.instrument), ...[...this.#reservations.values()].map((r) => r.instrument)]);
    let total = 0;
    for (const name of names) {
      const now = this.exposure(name, includeFateUnknown);
      const seen = snapPositions.find((p) => p.instrument === name) ?? { long: 0, short: 0 };
      if (now.long === seen.long && now.short === seen.short) continue;
      const c = this.conversion(name);
      if (c === undefined) return undefined;
      const r = this.deps.instruments.get(name).marginRate;
      total += Math.max(0, accountMargin(model, [{ ...now, conversion: c, marginRate: r }]) - accountMargin(model, [{ long: seen.long, short: seen.short, conversion: c, marginRate: r }]));
    }
    return total;
  }

  /**
   * `auto`: net only on repeated, clear evidence. Each snapshot, every hedged position (both
   * sides open) whose broker-reported margin is known is judged on its own: the units the broker
   * charges (margin / (c x r)) must sit near |L-S| (net) or near max(L,S) (max_side), the two
   * must differ by at least 20%, and our mid must be fresh. `net` needs NET_CONFIRMATIONS
   * snapshots in a row; one `max_side` reading switches back at once (the conservative side).
   */
  #observeMarginModel(snap: AccountSnapshot): void {
    if (this.#model.setting !== "auto") return;
    const verdict = this.#judge(snap);
    if (!verdict) return;
    this.#netStreak = verdict.verdict === "net" ? this.#netStreak + 1 : 0;
    const inForce: MarginModel = verdict.verdict === "max_side" ? "max_side" : this.#netStreak >= NET_CONFIRMATIONS ? "net" : this.#model.inForce;
    if (inForce !== this.#model.inForce) {
      this.deps.log?.info({ event: "margin_model", from: this.#model.inForce, to: inForce, evidence: verdict }, "margin model resolved from broker evidence");
    }
    this.#model = {
      setting: "auto",
      inForce,
      evidence: verdict,
      note: inForce === "net"
        ? `auto: the broker charged net margin on hedged positions in ${this.#netStreak} snapshots in a row`
        : verdict.verdict === "net"
          ? `auto: net seen ${this.#netStreak} of ${NET_CONFIRMATIONS} times needed; sizing with max_side meanwhile`
          : "auto: the broker charges the larger side of hedged positions",
    };
  }

  #judge(snap: AccountSnapshot): MarginModelEvidence | undefined {
    let verdict: MarginModelEvidence | undefined;
    for (const p of snap.positions) {
      if (!(p.long > 0 && p.short > 0) || p.marginUsed === undefined) continue;
      const age = this.deps.priceAgeMs?.(p.instrument);
      if (age !== undefined && age > FRESH_PRICE_MS) continue;
      const c = this.conversion(p.instrument);
      if (c === undefined) continue;
      const r = this.deps.instruments.get(p.instrument).marginRate;
      const net = Math.abs(p.long - p.short);
      const max = Math.max(p.long, p.short);
      if (max - net < 0.2 * max) continue; // the models barely differ: no information
      const charged = p.marginUsed / (c * r);
      const band = 0.1 * (max - net);
      const v: MarginModel | undefined = charged <= net + band ? "net" : charged >= max - band ? "max_side" : undefined;
      if (!v) continue;
      const e = { at: this.deps.clock.now(), marginUsed: p.marginUsed, netModelMargin: net * c * r, maxSideModelMargin: max * c * r, verdict: v };
      if (v === "max_side") return e; // any max_side reading wins
      verdict = e;
    }
    return verdict;
  }
}

/** Snapshots in a row that must show netting before `auto` sizes with `net`. */
export const NET_CONFIRMATIONS = 3;
const FRESH_PRICE_MS = 5_000;
