// The simulator's books: the account (balance, P/L), prices, trades, orders and transactions,
// with the indexes that keep per-tick and per-refresh work proportional to what is open, and
// the valuation of it all (exposure, conversion, unrealized P/L, margin). Every other part of
// the engine reads and writes the account through this one object.
// Margin is computed with src/margin/model.ts so the simulator and the agent agree to the yen.
import type { Clock, InstrumentSpec, MarginModel } from "../core/types.ts";
import type { InstrumentTable } from "../core/instruments.ts";
import { instrumentMargin, type InstrumentExposure } from "../margin/model.ts";
import { baseToHome } from "../margin/conversion.ts";
import { fmtTime } from "./format.ts";
import type { Scenario } from "./scenario.ts";
import { TickHistory } from "./tick-history.ts";
import type { AccountNumbers, Json, PriceState, SimOrder, SimTrade, Transaction } from "./types.ts";
import { closeoutPercent, type CloseoutRule } from "./closeout-rule.ts";
import type { Slippage } from "./slippage.ts";

export class Ledger {
  readonly accountId: string;
  readonly currency: string;
  readonly hedgingEnabled: boolean;
  readonly marginModel: MarginModel;
  readonly marginRate: number;
  readonly closeoutRule: CloseoutRule;
  readonly createdTime: number;
  readonly userID: number;
  readonly history = new TickHistory();

  #balance = 0;
  pl = 0;
  /** Financing paid or received over the account's life (also in balance and pl's siblings). */
  financing = 0;
  lastTxId = 0;
  requestSeq = 0;
  lastFillTime: number | undefined;
  /** In OANDA's daily maintenance window: nothing fills and prices do not move. */
  inMaintenance = false;
  /** Slippage of market fills the client asks for; none when undefined. */
  slippage: Slippage | undefined;

  readonly prices = new Map<string, PriceState>();
  readonly trades = new Map<string, SimTrade>();
  readonly orders = new Map<string, SimOrder>();
  // Indexes kept beside the full history. Maps keep insertion (= id) order, so iterating them
  // gives the same FIFO order as filtering the full history did.
  /** Open trades (currentUnits !== 0), oldest first. */
  readonly open = new Map<string, SimTrade>();
  /** Open trades per instrument, oldest first (the FIFO line a reducing fill walks). */
  readonly openByInstrument = new Map<string, Map<string, SimTrade>>();
  /** Orders in state PENDING, oldest first. */
  readonly pending = new Map<string, SimOrder>();
  /** Instruments that have ever had a trade (OANDA lists their positions with history). */
  readonly tradedInstruments = new Set<string>();
  /** Realized P/L of every trade ever made, per instrument and side (by the trade's initial sign). */
  readonly realized = new Map<string, { long: number; short: number }>();
  /** Financing per instrument and side, over every trade ever made. */
  readonly financingBySide = new Map<string, { long: number; short: number }>();
  /** clientExtensions.id of a trade -> its id (the first trade that carried it, as a lookup finds). */
  readonly clientTradeIds = new Map<string, string>();
  readonly clientOrderIds = new Map<string, string>();
  readonly transactions: Transaction[] = [];
  readonly priceListeners = new Set<(p: PriceState) => void>();
  readonly txListeners = new Set<(t: Transaction) => void>();

  /**
   * Bumped by every change numbers() reads: the balance, a price, a trade opened, reduced or
   * closed. numbers() is asked several times per replayed tick (the closeout check, the account
   * read, the replay's recorder) and walks every open trade; between two changes it answers
   * from the last walk.
   */
  #version = 0;
  #numbers: { version: number; value: AccountNumbers } | undefined;
  /**
   * Each currency's home conversion factor at the current mids (valuation asks it once per open
   * trade and per instrument, several times a tick); forgotten whenever a price moves.
   */
  readonly #toHome = new Map<string, { at: number; factor: number | undefined }>();
  /** Bumped by every price (what the conversions above depend on). */
  #priceVersion = 0;
  /** Instruments whose mid is outside the conversion range (see setPrice). */
  #midsOutsideRange = 0;

  constructor(account: Scenario["account"], readonly clock: Clock, readonly instruments: InstrumentTable) {
    this.accountId = account.id;
    this.currency = account.currency;
    this.hedgingEnabled = account.hedgingEnabled;
    this.marginModel = account.marginModel;
    this.marginRate = account.marginRate;
    this.closeoutRule = account.closeoutRule;
    this.createdTime = clock.now();
    this.userID = Number(account.id.split("-")[2] ?? "1") || 1;
  }

  get balance(): number {
    return this.#balance;
  }

  set balance(v: number) {
    this.#balance = v;
    this.#version++;
  }

  /** A trade's units changed in place (a partial close): numbers() must walk again. */
  unitsChanged(): void {
    this.#version++;
  }

  /** The instrument's price now (the engine's only way to move one). */
  setPrice(p: PriceState): void {
    const known = this.prices.has(p.instrument);
    const wasOutside = known && outsideConversionRange(this.mid(p.instrument)!);
    this.prices.set(p.instrument, p);
    const outside = outsideConversionRange(this.mid(p.instrument)!);
    this.#midsOutsideRange += (outside ? 1 : 0) - (wasOutside ? 1 : 0);
    this.#priceVersion++;
    // With nothing open the figures read prices only in the margin sum, as 0 units times each
    // instrument's conversion: 0 for every finite conversion. While every mid is in the range
    // below, every conversion (a mid, its inverse, or the product of two) is finite and the
    // figures cannot move with a price; a month of a flat account's prices then walks nothing.
    // A new instrument, a mid outside the range (now or before) or an open trade: walk again.
    if (!known || this.open.size > 0 || wasOutside || this.#midsOutsideRange > 0) this.#version++;
  }

  // ---------------------------------------------------------------- transactions and ids

  get lastTransactionID(): string {
    return String(this.lastTxId);
  }

  /** The batch id of the next group of transactions: the id the first of them will get. */
  nextBatch(): string {
    return String(this.lastTxId + 1);
  }

  requestId(): string {
    this.requestSeq += 1;
    return String(this.createdTime * 1000 + this.requestSeq);
  }

  tx(type: string, fields: Json, batch?: string, requestID?: string): Transaction {
    this.lastTxId += 1;
    const id = String(this.lastTxId);
    const tx = {
      id, time: fmtTime(this.clock.now()), userID: this.userID, accountID: this.accountId, batchID: batch ?? id,
      ...(requestID ? { requestID } : {}), type, ...fields,
    } as Transaction;
    this.transactions.push(tx);
    for (const fn of this.txListeners) fn(tx);
    return tx;
  }

  // ---------------------------------------------------------------- trades and orders

  addTrade(t: SimTrade): void {
    this.#version++;
    this.trades.set(t.id, t);
    this.open.set(t.id, t);
    let line = this.openByInstrument.get(t.instrument);
    if (!line) this.openByInstrument.set(t.instrument, (line = new Map()));
    line.set(t.id, t);
    this.tradedInstruments.add(t.instrument);
    if (t.clientExtensions?.id && !this.clientTradeIds.has(t.clientExtensions.id)) this.clientTradeIds.set(t.clientExtensions.id, t.id);
  }

  /** A trade whose units reached 0 leaves the open indexes (it stays in the history). */
  closed(t: SimTrade): void {
    this.#version++;
    this.open.delete(t.id);
    this.openByInstrument.get(t.instrument)?.delete(t.id);
  }

  addOrder(o: SimOrder): void {
    this.orders.set(o.id, o);
    if (o.state === "PENDING") this.pending.set(o.id, o);
    if (o.clientExtensions?.id) this.clientOrderIds.set(o.clientExtensions.id, o.id);
  }

  /** An order left PENDING (filled, cancelled). */
  settled(o: SimOrder): void {
    this.pending.delete(o.id);
  }

  addRealized(t: SimTrade, amount: number): void {
    addSide(this.realized, t, amount);
  }

  addFinancing(t: SimTrade, amount: number): void {
    addSide(this.financingBySide, t, amount);
  }

  /** A trade by OANDA's TradeSpecifier: its id, or `@` and its clientExtensions.id. */
  tradeBySpecifier(specifier: string): SimTrade | undefined {
    if (specifier.startsWith("@")) {
      const id = this.clientTradeIds.get(specifier.slice(1));
      return id ? this.trades.get(id) : undefined;
    }
    return this.trades.get(specifier);
  }

  order(specifier: string): SimOrder | undefined {
    if (specifier.startsWith("@")) {
      const id = this.clientOrderIds.get(specifier.slice(1));
      return id ? this.orders.get(id) : undefined;
    }
    return this.orders.get(specifier);
  }

  // ---------------------------------------------------------------- execution

  /** Whether an order on this instrument can fill now (its price is tradeable, no maintenance). */
  tradeable(instrument: string): boolean {
    return !this.inMaintenance && this.prices.get(instrument)?.tradeable === true;
  }

  /** Where a client's market buy or sell fills now: the ask or bid, moved by slippage. */
  marketFillPrice(instrument: string, buy: boolean): number {
    const p = this.prices.get(instrument)!;
    const quote = buy ? p.ask : p.bid;
    return this.slippage ? this.slippage.fillPrice(this.spec(instrument), quote, buy) : quote;
  }

  // ---------------------------------------------------------------- valuation

  spec(instrument: string): InstrumentSpec {
    return this.instruments.get(instrument);
  }

  instrumentNames(): string[] {
    return [...this.prices.keys()];
  }

  hasInstrument(name: string): boolean {
    return this.prices.has(name);
  }

  mid(instrument: string): number | undefined {
    const p = this.prices.get(instrument);
    return p ? (p.bid + p.ask) / 2 : undefined;
  }

  /** Open long and short units per instrument. */
  exposure(instrument: string): { long: number; short: number } {
    let long = 0;
    let short = 0;
    for (const t of this.openByInstrument.get(instrument)?.values() ?? []) {
      if (t.currentUnits > 0) long += t.currentUnits;
      else short -= t.currentUnits;
    }
    return { long, short };
  }

  toHome(currency: string, amount: number): number | undefined {
    let e = this.#toHome.get(currency);
    if (!e) this.#toHome.set(currency, (e = { at: -1, factor: undefined }));
    if (e.at !== this.#priceVersion) {
      e.factor = baseToHome(currency, this.currency, (i) => this.mid(i));
      e.at = this.#priceVersion;
    }
    const c = e.factor;
    return c === undefined ? undefined : c * amount;
  }

  /** base->home conversion at mid: the factor `c` of design.md. */
  conversion(instrument: string): number {
    return this.toHome(this.spec(instrument).base, 1) ?? Number.NaN;
  }

  /** quote->home factor for P/L. */
  quoteToHome(instrument: string): number {
    return this.toHome(this.spec(instrument).quote, 1) ?? Number.NaN;
  }

  exposures(overrides?: Map<string, { long: number; short: number }>): InstrumentExposure[] {
    return this.instrumentNames().map((name) => {
      const e = overrides?.get(name) ?? this.exposure(name);
      return { long: e.long, short: e.short, conversion: this.conversion(name), marginRate: this.marginRate };
    });
  }

  marginUsed(): number {
    // accountMargin(model, exposures()) summed in place, in the same order, without the arrays.
    let total = 0;
    const flat = this.open.size === 0;
    for (const name of this.prices.keys()) {
      // Nothing open: every instrument's exposure is 0 long, 0 short (the same arithmetic, without building it).
      const e = flat ? FLAT : this.exposure(name);
      total += instrumentMargin(this.marginModel, e.long, e.short, this.conversion(name), this.marginRate);
    }
    return total;
  }

  /** Margin one instrument uses (account model). */
  instrumentMarginUsed(instrument: string): number {
    const e = this.exposure(instrument);
    return instrumentMargin(this.marginModel, e.long, e.short, this.conversion(instrument), this.marginRate);
  }

  tradeUnrealizedPL(t: SimTrade): number {
    const p = this.prices.get(t.instrument);
    if (!p || t.currentUnits === 0) return 0;
    const close = t.currentUnits > 0 ? p.bid : p.ask;
    return (close - t.price) * t.currentUnits * this.quoteToHome(t.instrument);
  }

  tradeMarginUsed(t: SimTrade): number {
    return Math.abs(t.currentUnits) * this.conversion(t.instrument) * this.marginRate;
  }

  /** The account's figures now; the same object until something they depend on changes (callers only read it). */
  numbers(): AccountNumbers {
    const memo = this.#numbers;
    if (memo?.version === this.#version) return memo.value;
    const value = this.#walk();
    this.#numbers = { version: this.#version, value };
    return value;
  }

  #walk(): AccountNumbers {
    let unrealizedPL = 0;
    let positionValue = 0;
    for (const t of this.open.values()) {
      unrealizedPL += this.tradeUnrealizedPL(t);
      positionValue += Math.abs(t.currentUnits) * this.conversion(t.instrument);
    }
    const nav = this.balance + unrealizedPL;
    const marginUsed = this.marginUsed();
    // As in OANDA's summaries: marginCallPercent = used / NAV; the closeout percentage depends
    // on the broker's loss-cut rule (closeout-rule.ts).
    const marginCallPercent = nav > 0 ? marginUsed / nav : marginUsed > 0 ? 1 : 0;
    return {
      balance: this.balance, unrealizedPL, nav, marginUsed, marginAvailable: Math.max(0, nav - marginUsed),
      positionValue, marginCloseoutPercent: closeoutPercent(this.closeoutRule, marginUsed, nav), marginCallPercent,
    };
  }
}

const FLAT: { readonly long: number; readonly short: number } = { long: 0, short: 0 };

/**
 * Outside [1e-150, 1e150] (or not a number): a conversion from such a mid (its inverse, or its
 * product with another) could overflow to Infinity or underflow to 0, and 0 units times that is
 * not 0. Inside, every conversion is finite and positive.
 */
function outsideConversionRange(mid: number): boolean {
  return !(mid >= 1e-150 && mid <= 1e150);
}

function addSide(m: Map<string, { long: number; short: number }>, t: SimTrade, amount: number): void {
  let r = m.get(t.instrument);
  if (!r) m.set(t.instrument, (r = { long: 0, short: 0 }));
  if (t.initialUnits > 0) r.long += amount;
  else r.short += amount;
}
