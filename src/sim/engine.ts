// The simulator's broker: one account, its trades, orders and transactions, kept the way OANDA
// v20 keeps them. Pure (no timers, no I/O): time comes from the injected clock and prices from
// applyTick, so tests drive it directly and the HTTP layer only translates.
// This class is the engine's face; each job is a part of its own: the books (ledger.ts), order
// validation (order-validation.ts), client orders (market-orders.ts), fills (fills.ts),
// TP/SL (dependents.ts), the loss-cut (closeout.ts), client closes (closes.ts), daily
// financing (financing.ts) on the FX day's clock (ny-time.ts). The wire shapes are in views.ts.
import type { Clock, InstrumentSpec, MarginModel } from "../core/types.ts";
import { InstrumentTable } from "../core/instruments.ts";
import type { InstrumentExposure } from "../margin/model.ts";
import { fmtAmount } from "./format.ts";
import type { Scenario } from "./scenario.ts";
import { ScenarioError } from "./scenario.ts";
import type { TickHistory } from "./tick-history.ts";
import { Ledger } from "./ledger.ts";
import { placeMarketOrder } from "./market-orders.ts";
import { closePosition, closeTrade } from "./closes.ts";
import { triggerDependents } from "./dependents.ts";
import { checkCloseout } from "./closeout.ts";
import { clientPrice } from "./views.ts";
import { Slippage } from "./slippage.ts";
import { bookDailyFinancing, financingRates, type FinancingRates } from "./financing.ts";
import { financingDays, nextMaintenance, nextRollover, type Rollover } from "./ny-time.ts";
import type { CloseoutRule } from "./closeout-rule.ts";
import type { AccountNumbers, Json, OrderResult, PriceState, SimOrder, SimTrade, TickInput, Transaction } from "./types.ts";

export type { AccountNumbers, ClientExtensions, Json, OrderResult, OrderState, PriceState, SimOrder, SimTrade, TickInput, Transaction } from "./types.ts";
export { REDUCE_ONLY_NOTHING_TO_REDUCE } from "./market-orders.ts";

const NO_TRADES: ReadonlyMap<string, SimTrade> = new Map();

export class SimEngine {
  readonly #l: Ledger;
  readonly #rates: FinancingRates | undefined;
  #nextClose: Rollover;
  readonly #maintenance: boolean;
  #window: { start: number; end: number } | undefined;
  /** Prices that arrived during the maintenance window and were dropped. */
  #droppedTicks = 0;

  /**
   * Whether prices are kept for the candles endpoint. A replay's venue never serves candles (the
   * agent builds its own from the ticks), and a month of recorded prices kept as objects was a
   * large part of a replay's garbage-collection work.
   */
  readonly keepsPriceHistory: boolean;

  constructor(scenario: Scenario, readonly clock: Clock, instruments: InstrumentTable = new InstrumentTable(), o: { priceHistory?: boolean } = {}) {
    this.keepsPriceHistory = o.priceHistory ?? true;
    const a = scenario.account;
    const l = (this.#l = new Ledger(a, clock, instruments));
    const now = clock.now();
    for (const [name, p] of Object.entries(scenario.instruments)) {
      const spec = instruments.get(name);
      instruments.upsert({ ...spec, marginRate: a.marginRate });
      l.setPrice({ instrument: name, bid: p.bid, ask: p.ask, time: now, tradeable: p.tradeable });
      if (this.keepsPriceHistory) l.history.record(name, now, p.bid, p.ask);
    }
    for (const name of l.prices.keys()) {
      const s = instruments.get(name);
      if (l.toHome(s.base, 1) === undefined || l.toHome(s.quote, 1) === undefined) {
        throw new ScenarioError(`instruments.${name}: no price converts ${s.base}/${s.quote} to ${l.currency}; add e.g. ${s.quote}_${l.currency}`);
      }
    }
    const batch = l.nextBatch();
    l.tx("CREATE", { divisionID: 1, siteID: 101, accountUserID: l.userID, accountNumber: 1, homeCurrency: l.currency }, batch);
    if (a.balance > 0) {
      l.balance = a.balance;
      l.tx("TRANSFER_FUNDS", { amount: fmtAmount(a.balance), fundingReason: "CLIENT_FUNDING", accountBalance: fmtAmount(a.balance) }, batch);
    }
    for (const p of scenario.positions) {
      for (const [side, units] of [["long", p.long], ["short", p.short]] as const) {
        if (!(units > 0)) continue;
        const signed = side === "long" ? units : -units;
        const body: Json = { instrument: p.instrument, units: String(signed), positionFill: "OPEN_ONLY", ...(p.tag ? { tradeClientExtensions: { id: `seed-${side}-${p.instrument}`, tag: p.tag } } : {}) };
        const q = l.prices.get(p.instrument)!;
        const r = placeMarketOrder(l, body, "CLIENT_ORDER", { fillPrice: p.price ?? (signed > 0 ? q.ask : q.bid) });
        if (r.status !== 201 || !r.body.orderFillTransaction) {
          throw new ScenarioError(`positions: opening ${side} ${units} ${p.instrument} failed: ${JSON.stringify(r.body.orderCancelTransaction ?? r.body.errorMessage ?? r.body)}`);
        }
      }
    }
    // Starting positions open at the scenario's prices; from here on fills slip and the FX
    // day's clock (financing, maintenance) runs.
    l.slippage = new Slippage(scenario.execution);
    this.#rates = scenario.financing.enabled ? financingRates(scenario.financing) : undefined;
    this.#nextClose = nextRollover(clock.now());
    this.#maintenance = scenario.maintenance;
    this.advanceClock();
  }

  // ---------------------------------------------------------------- the FX day's clock

  /**
   * Bring the account to the clock's time: book the financing of every trading-day close
   * passed since the last call, and enter or leave the maintenance window. Runs before every
   * price and request (the HTTP layer calls it for reads too), so time-driven events happen in
   * order however the clock is driven.
   */
  advanceClock(): void {
    const l = this.#l;
    const now = this.clock.now();
    while (now >= this.#nextClose.at) {
      const close = this.#nextClose;
      this.#nextClose = nextRollover(close.at);
      if (this.#rates && bookDailyFinancing(l, this.#rates, financingDays(close.weekday))) checkCloseout(l);
    }
    if (this.#maintenance) {
      if (!this.#window || now >= this.#window.end) this.#window = nextMaintenance(now);
      l.inMaintenance = now >= this.#window.start;
    }
  }

  /** Whether an order on this instrument can fill now: its price is tradeable and the daily maintenance is not on. */
  tradeable(instrument: string): boolean {
    return this.#l.tradeable(instrument);
  }

  /** Prices dropped because they arrived during maintenance. */
  get droppedTicks(): number {
    return this.#droppedTicks;
  }

  // ---------------------------------------------------------------- the account's identity

  get accountId(): string { return this.#l.accountId; }
  get currency(): string { return this.#l.currency; }
  get hedgingEnabled(): boolean { return this.#l.hedgingEnabled; }
  get marginModel(): MarginModel { return this.#l.marginModel; }
  get marginRate(): number { return this.#l.marginRate; }
  get closeoutRule(): CloseoutRule { return this.#l.closeoutRule; }
  get instruments(): InstrumentTable { return this.#l.instruments; }
  get createdTime(): number { return this.#l.createdTime; }
  get userID(): number { return this.#l.userID; }
  get history(): TickHistory { return this.#l.history; }

  // ---------------------------------------------------------------- reading

  get lastTransactionID(): string { return this.#l.lastTransactionID; }
  get balance(): number { return this.#l.balance; }
  get pl(): number { return this.#l.pl; }
  /** Financing booked over the account's life (in the balance already). */
  get financing(): number { return this.#l.financing; }
  get lastOrderFillTime(): number | undefined { return this.#l.lastFillTime; }

  spec(instrument: string): InstrumentSpec { return this.#l.spec(instrument); }
  instrumentNames(): string[] { return this.#l.instrumentNames(); }
  /** How many instruments the account has (instrumentNames().length, without the list). */
  instrumentCount(): number { return this.#l.prices.size; }
  hasInstrument(name: string): boolean { return this.#l.hasInstrument(name); }
  mid(instrument: string): number | undefined { return this.#l.mid(instrument); }

  price(instrument: string): PriceState | undefined {
    const p = this.#l.prices.get(instrument);
    return p ? { ...p } : undefined;
  }

  openTrades(): SimTrade[] { return [...this.#l.open.values()]; }

  /** Open trades of one instrument, oldest first. */
  openTradesOf(instrument: string): SimTrade[] {
    const m = this.#l.openByInstrument.get(instrument);
    return m ? [...m.values()] : [];
  }

  /** The same, without a copy: to read at once, not to keep or to trade while iterating. */
  eachOpenTradeOf(instrument: string): IterableIterator<SimTrade> {
    return (this.#l.openByInstrument.get(instrument) ?? NO_TRADES).values();
  }

  /** Instruments that have ever had a trade, in no particular order. */
  tradedInstruments(): ReadonlySet<string> { return this.#l.tradedInstruments; }

  /** Realized P/L of all trades (open and closed) of one instrument's long or short side. */
  realizedPL(instrument: string, side: "long" | "short"): number { return this.#l.realized.get(instrument)?.[side] ?? 0; }
  /** Financing of all trades (open and closed) of one instrument's long or short side. */
  financingOf(instrument: string, side: "long" | "short"): number { return this.#l.financingBySide.get(instrument)?.[side] ?? 0; }

  allTrades(): SimTrade[] { return [...this.#l.trades.values()]; }
  trade(id: string): SimTrade | undefined { return this.#l.trades.get(id); }
  /** A trade by OANDA's TradeSpecifier: its id, or `@` and its clientExtensions.id. */
  tradeBySpecifier(specifier: string): SimTrade | undefined { return this.#l.tradeBySpecifier(specifier); }
  orders(): SimOrder[] { return [...this.#l.orders.values()]; }
  order(specifier: string): SimOrder | undefined { return this.#l.order(specifier); }
  pendingOrders(): SimOrder[] { return [...this.#l.pending.values()]; }
  transactions(): readonly Transaction[] { return this.#l.transactions; }

  /** Transactions with an id greater than `id`, oldest first. */
  transactionsSince(id: number): Transaction[] { return this.#l.transactions.filter((t) => Number(t.id) > id); }

  /** Open long and short units per instrument. */
  exposure(instrument: string): { long: number; short: number } { return this.#l.exposure(instrument); }
  /** base->home conversion at mid: the factor `c` of design.md. */
  conversion(instrument: string): number { return this.#l.conversion(instrument); }
  /** `currency` -> home at mid (GET /pricing?includeHomeConversions=true); undefined without a route. */
  toHome(currency: string): number | undefined { return this.#l.toHome(currency, 1); }
  /** quote->home factor for P/L. */
  quoteToHome(instrument: string): number { return this.#l.quoteToHome(instrument); }
  exposures(overrides?: Map<string, { long: number; short: number }>): InstrumentExposure[] { return this.#l.exposures(overrides); }
  marginUsed(): number { return this.#l.marginUsed(); }
  /** Margin one instrument uses (account model). */
  instrumentMarginUsed(instrument: string): number { return this.#l.instrumentMarginUsed(instrument); }
  tradeUnrealizedPL(t: SimTrade): number { return this.#l.tradeUnrealizedPL(t); }
  tradeMarginUsed(t: SimTrade): number { return this.#l.tradeMarginUsed(t); }
  numbers(): AccountNumbers { return this.#l.numbers(); }

  // ---------------------------------------------------------------- subscriptions

  onPrice(fn: (p: PriceState) => void): () => void {
    this.#l.priceListeners.add(fn);
    return () => this.#l.priceListeners.delete(fn);
  }

  onTransaction(fn: (t: Transaction) => void): () => void {
    this.#l.txListeners.add(fn);
    return () => this.#l.txListeners.delete(fn);
  }

  // ---------------------------------------------------------------- prices

  /** A new price: dependent orders trigger, margin closeout runs, listeners hear it. */
  applyTick(t: TickInput): void {
    const l = this.#l;
    const prev = l.prices.get(t.instrument);
    if (!prev) throw new Error(`unknown instrument ${t.instrument}: the scenario trades ${this.instrumentNames().join(", ")}`);
    if (!(t.bid > 0 && t.ask > 0 && t.ask >= t.bid)) throw new Error(`bad price for ${t.instrument}: bid ${t.bid} ask ${t.ask}`);
    this.advanceClock();
    if (l.inMaintenance) {
      this.#droppedTicks += 1;
      return;
    }
    const p: PriceState = { instrument: t.instrument, bid: t.bid, ask: t.ask, time: t.time ?? this.clock.now(), tradeable: t.tradeable ?? prev.tradeable };
    l.setPrice(p);
    if (this.keepsPriceHistory) l.history.record(p.instrument, p.time, p.bid, p.ask);
    for (const fn of l.priceListeners) fn({ ...p });
    if (p.tradeable) triggerDependents(l, p);
    checkCloseout(l);
  }

  /** Same as applyTick (an operator's or a test's price). */
  setPrice(t: TickInput): void {
    this.applyTick(t);
  }

  // ---------------------------------------------------------------- orders and closes

  /** POST /v3/accounts/{id}/orders with the request body `{ order: {...} }`. */
  createOrder(body: unknown): OrderResult {
    const order = (body && typeof body === "object" ? (body as Json).order : undefined) as Json | undefined;
    if (!order || typeof order !== "object") {
      return { status: 400, body: { errorMessage: "Invalid value specified for 'order'", errorCode: "INVALID_PARAMETER", lastTransactionID: this.lastTransactionID } };
    }
    if (order.type !== "MARKET") {
      return {
        status: 400,
        body: { errorMessage: `The simulator accepts MARKET orders only (got ${JSON.stringify(order.type)})`, errorCode: "INVALID_PARAMETER", lastTransactionID: this.lastTransactionID },
      };
    }
    this.advanceClock();
    return placeMarketOrder(this.#l, order, "CLIENT_ORDER");
  }

  /** PUT /positions/{instrument}/close with `{ longUnits, shortUnits }` ("ALL", "NONE" or a number). */
  closePosition(instrument: string, body: unknown): OrderResult {
    this.advanceClock();
    return closePosition(this.#l, instrument, body);
  }

  /** PUT /trades/{tradeSpecifier}/close; see closes.ts. */
  closeTrade(tradeSpecifier: string, body: unknown): OrderResult {
    this.advanceClock();
    return closeTrade(this.#l, tradeSpecifier, body);
  }

  // ---------------------------------------------------------------- wire shapes shared by REST and streams

  /** A ClientPrice as the pricing endpoints and stream send it. */
  clientPrice(instrument: string, forFill = false): Json {
    return clientPrice(this.#l, instrument, forFill);
  }
}
