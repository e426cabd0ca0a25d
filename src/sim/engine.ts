// The simulator's broker: one account, its trades, orders and transactions, kept the way OANDA
// v20 keeps them. Pure (no timers, no I/O): time comes from the injected clock and prices from
// applyTick, so tests drive it directly and the HTTP layer only translates.
// Margin is computed with src/margin/model.ts so the simulator and the agent agree to the yen.
import type { Clock, InstrumentSpec, MarginModel } from "../core/types.ts";
import { InstrumentTable } from "../core/instruments.ts";
import { accountMargin, type InstrumentExposure } from "../margin/model.ts";
import { baseToHome } from "../margin/conversion.ts";
import { fmtAmount, fmtPrice, fmtRate, fmtTime, fmtUnits } from "./format.ts";
import type { Scenario } from "./scenario.ts";
import { ScenarioError } from "./scenario.ts";
import { TickHistory } from "./tick-history.ts";

export type Json = Record<string, unknown>;
export type Transaction = Json & { id: string; type: string; time: string };

export interface PriceState {
  instrument: string;
  bid: number;
  ask: number;
  /** Epoch ms of the price. */
  time: number;
  tradeable: boolean;
}

export interface TickInput {
  instrument: string;
  bid: number;
  ask: number;
  time?: number;
  tradeable?: boolean;
}

export interface SimTrade {
  id: string;
  instrument: string;
  price: number;
  openTime: number;
  /** Signed: positive long, negative short. */
  initialUnits: number;
  currentUnits: number;
  initialMarginRequired: number;
  realizedPL: number;
  closedUnits: number;
  closeValue: number;
  closingTransactionIDs: string[];
  closeTime?: number;
  clientExtensions?: ClientExtensions;
  takeProfitOrderID?: string;
  stopLossOrderID?: string;
}

export interface ClientExtensions {
  id?: string;
  tag?: string;
  comment?: string;
}

export type OrderState = "PENDING" | "FILLED" | "TRIGGERED" | "CANCELLED";

export interface SimOrder {
  id: string;
  type: "MARKET" | "TAKE_PROFIT" | "STOP_LOSS";
  state: OrderState;
  createTime: number;
  clientExtensions?: ClientExtensions;
  /** The order's own fields as OANDA shows them (instrument, units, timeInForce, ...). */
  fields: Json;
  /** For TAKE_PROFIT / STOP_LOSS: the trade it closes and the trigger price. */
  tradeID?: string;
  price?: number;
  fillingTransactionID?: string;
  filledTime?: number;
  tradeOpenedID?: string;
  tradeReducedID?: string;
  tradeClosedIDs?: string[];
  cancellingTransactionID?: string;
  cancelledTime?: number;
}

/** What came of an order request, with the transactions OANDA would return. */
export interface OrderResult {
  status: 200 | 201 | 400 | 404;
  body: Json;
}

export interface AccountNumbers {
  balance: number;
  unrealizedPL: number;
  nav: number;
  marginUsed: number;
  marginAvailable: number;
  positionValue: number;
  marginCloseoutPercent: number;
  marginCallPercent: number;
}

/**
 * OANDA's OrderCancelReason has no dedicated value for "REDUCE_ONLY with nothing to reduce"
 * (v20 spec 3.0.25). We use the closest documented reason; see docs/simulator.md.
 */
export const REDUCE_ONLY_NOTHING_TO_REDUCE = "POSITION_CLOSEOUT_FAILED";

const LIQUIDITY = 10_000_000;
const POSITION_FILLS = ["DEFAULT", "OPEN_ONLY", "REDUCE_FIRST", "REDUCE_ONLY"] as const;
type PositionFillValue = (typeof POSITION_FILLS)[number];
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

interface FillPlan {
  closes: { trade: SimTrade; units: number }[];
  /** Signed units of a new trade, 0 for none. */
  open: number;
}

export class SimEngine {
  readonly accountId: string;
  readonly currency: string;
  readonly hedgingEnabled: boolean;
  readonly marginModel: MarginModel;
  readonly marginRate: number;
  readonly instruments: InstrumentTable;
  readonly createdTime: number;
  readonly userID: number;
  readonly history = new TickHistory();

  #balance: number;
  #pl = 0;
  #lastTxId = 0;
  #requestSeq = 0;
  readonly #prices = new Map<string, PriceState>();
  readonly #trades = new Map<string, SimTrade>();
  readonly #orders = new Map<string, SimOrder>();
  // Indexes kept beside the full history so per-tick and per-refresh work is proportional to
  // what is open, not to every trade and order ever made. Maps keep insertion (= id) order, so
  // iterating them gives the same FIFO order as filtering the full history did.
  /** Open trades (currentUnits !== 0), oldest first. */
  readonly #open = new Map<string, SimTrade>();
  /** Open trades per instrument, oldest first (the FIFO line a reducing fill walks). */
  readonly #openByInstrument = new Map<string, Map<string, SimTrade>>();
  /** Orders in state PENDING, oldest first. */
  readonly #pending = new Map<string, SimOrder>();
  /** Instruments that have ever had a trade (OANDA lists their positions with history). */
  readonly #tradedInstruments = new Set<string>();
  /** Realized P/L of every trade ever made, per instrument and side (by the trade's initial sign). */
  readonly #realized = new Map<string, { long: number; short: number }>();
  /** clientExtensions.id of a trade -> its id (the first trade that carried it, as a lookup finds). */
  readonly #clientTradeIds = new Map<string, string>();
  readonly #clientOrderIds = new Map<string, string>();
  readonly #transactions: Transaction[] = [];
  readonly #priceListeners = new Set<(p: PriceState) => void>();
  readonly #txListeners = new Set<(t: Transaction) => void>();
  #lastFillTime: number | undefined;

  constructor(scenario: Scenario, readonly clock: Clock, instruments: InstrumentTable = new InstrumentTable()) {
    const a = scenario.account;
    this.accountId = a.id;
    this.currency = a.currency;
    this.hedgingEnabled = a.hedgingEnabled;
    this.marginModel = a.marginModel;
    this.marginRate = a.marginRate;
    this.instruments = instruments;
    this.createdTime = clock.now();
    this.userID = Number(a.id.split("-")[2] ?? "1") || 1;
    this.#balance = 0;
    const now = clock.now();
    for (const [name, p] of Object.entries(scenario.instruments)) {
      const spec = instruments.get(name);
      instruments.upsert({ ...spec, marginRate: a.marginRate });
      this.#prices.set(name, { instrument: name, bid: p.bid, ask: p.ask, time: now, tradeable: p.tradeable });
      this.history.record(name, now, p.bid, p.ask);
    }
    for (const name of this.#prices.keys()) {
      const s = instruments.get(name);
      if (this.#toHome(s.base, 1) === undefined || this.#toHome(s.quote, 1) === undefined) {
        throw new ScenarioError(`instruments.${name}: no price converts ${s.base}/${s.quote} to ${this.currency}; add e.g. ${s.quote}_${this.currency}`);
      }
    }
    const batch = String(this.#lastTxId + 1);
    this.#tx("CREATE", { divisionID: 1, siteID: 101, accountUserID: this.userID, accountNumber: 1, homeCurrency: this.currency }, batch);
    if (a.balance > 0) {
      this.#balance = a.balance;
      this.#tx("TRANSFER_FUNDS", { amount: fmtAmount(a.balance), fundingReason: "CLIENT_FUNDING", accountBalance: fmtAmount(a.balance) }, batch);
    }
    for (const p of scenario.positions) {
      const at = p.price;
      for (const [side, units] of [["long", p.long], ["short", p.short]] as const) {
        if (!(units > 0)) continue;
        const signed = side === "long" ? units : -units;
        const body: Json = { instrument: p.instrument, units: String(signed), positionFill: "OPEN_ONLY", ...(p.tag ? { tradeClientExtensions: { id: `seed-${side}-${p.instrument}`, tag: p.tag } } : {}) };
        const r = this.#placeMarket(body, "CLIENT_ORDER", at);
        if (r.status !== 201 || !r.body.orderFillTransaction) {
          throw new ScenarioError(`positions: opening ${side} ${units} ${p.instrument} failed: ${JSON.stringify(r.body.orderCancelTransaction ?? r.body.errorMessage ?? r.body)}`);
        }
      }
    }
  }

  // ---------------------------------------------------------------- reading

  get lastTransactionID(): string {
    return String(this.#lastTxId);
  }

  get balance(): number {
    return this.#balance;
  }

  get pl(): number {
    return this.#pl;
  }

  get lastOrderFillTime(): number | undefined {
    return this.#lastFillTime;
  }

  spec(instrument: string): InstrumentSpec {
    return this.instruments.get(instrument);
  }

  instrumentNames(): string[] {
    return [...this.#prices.keys()];
  }

  hasInstrument(name: string): boolean {
    return this.#prices.has(name);
  }

  price(instrument: string): PriceState | undefined {
    const p = this.#prices.get(instrument);
    return p ? { ...p } : undefined;
  }

  mid(instrument: string): number | undefined {
    const p = this.#prices.get(instrument);
    return p ? (p.bid + p.ask) / 2 : undefined;
  }

  openTrades(): SimTrade[] {
    return [...this.#open.values()];
  }

  /** Open trades of one instrument, oldest first. */
  openTradesOf(instrument: string): SimTrade[] {
    const m = this.#openByInstrument.get(instrument);
    return m ? [...m.values()] : [];
  }

  /** Instruments that have ever had a trade, in no particular order. */
  tradedInstruments(): ReadonlySet<string> {
    return this.#tradedInstruments;
  }

  /** Realized P/L of all trades (open and closed) of one instrument's long or short side. */
  realizedPL(instrument: string, side: "long" | "short"): number {
    return this.#realized.get(instrument)?.[side] ?? 0;
  }

  allTrades(): SimTrade[] {
    return [...this.#trades.values()];
  }

  trade(id: string): SimTrade | undefined {
    return this.#trades.get(id);
  }

  /** A trade by OANDA's TradeSpecifier: its id, or `@` and its clientExtensions.id. */
  tradeBySpecifier(specifier: string): SimTrade | undefined {
    if (specifier.startsWith("@")) {
      const id = this.#clientTradeIds.get(specifier.slice(1));
      return id ? this.#trades.get(id) : undefined;
    }
    return this.#trades.get(specifier);
  }

  orders(): SimOrder[] {
    return [...this.#orders.values()];
  }

  order(specifier: string): SimOrder | undefined {
    if (specifier.startsWith("@")) {
      const id = this.#clientOrderIds.get(specifier.slice(1));
      return id ? this.#orders.get(id) : undefined;
    }
    return this.#orders.get(specifier);
  }

  pendingOrders(): SimOrder[] {
    return [...this.#pending.values()];
  }

  transactions(): readonly Transaction[] {
    return this.#transactions;
  }

  /** Transactions with an id greater than `id`, oldest first. */
  transactionsSince(id: number): Transaction[] {
    return this.#transactions.filter((t) => Number(t.id) > id);
  }

  /** Open long and short units per instrument. */
  exposure(instrument: string): { long: number; short: number } {
    let long = 0;
    let short = 0;
    for (const t of this.#openByInstrument.get(instrument)?.values() ?? []) {
      if (t.currentUnits > 0) long += t.currentUnits;
      else short -= t.currentUnits;
    }
    return { long, short };
  }

  /** base->home conversion at mid: the factor `c` of design.md. */
  conversion(instrument: string): number {
    const s = this.spec(instrument);
    return this.#toHome(s.base, 1) ?? Number.NaN;
  }

  /** quote->home factor for P/L. */
  quoteToHome(instrument: string): number {
    return this.#toHome(this.spec(instrument).quote, 1) ?? Number.NaN;
  }

  exposures(overrides?: Map<string, { long: number; short: number }>): InstrumentExposure[] {
    return this.instrumentNames().map((name) => {
      const e = overrides?.get(name) ?? this.exposure(name);
      return { long: e.long, short: e.short, conversion: this.conversion(name), marginRate: this.marginRate };
    });
  }

  marginUsed(): number {
    return accountMargin(this.marginModel, this.exposures());
  }

  /** Margin one instrument uses (account model). */
  instrumentMarginUsed(instrument: string): number {
    const e = this.exposure(instrument);
    return accountMargin(this.marginModel, [{ ...e, conversion: this.conversion(instrument), marginRate: this.marginRate }]);
  }

  tradeUnrealizedPL(t: SimTrade): number {
    const p = this.#prices.get(t.instrument);
    if (!p || t.currentUnits === 0) return 0;
    const close = t.currentUnits > 0 ? p.bid : p.ask;
    return (close - t.price) * t.currentUnits * this.quoteToHome(t.instrument);
  }

  tradeMarginUsed(t: SimTrade): number {
    return Math.abs(t.currentUnits) * this.conversion(t.instrument) * this.marginRate;
  }

  numbers(): AccountNumbers {
    let unrealizedPL = 0;
    let positionValue = 0;
    for (const t of this.openTrades()) {
      unrealizedPL += this.tradeUnrealizedPL(t);
      positionValue += Math.abs(t.currentUnits) * this.conversion(t.instrument);
    }
    const nav = this.#balance + unrealizedPL;
    const marginUsed = this.marginUsed();
    // As in OANDA's recorded summaries: marginCallPercent = used / NAV and the closeout
    // percentage is half of it (closeout when NAV falls to half the margin used).
    const marginCallPercent = nav > 0 ? marginUsed / nav : marginUsed > 0 ? 1 : 0;
    const marginCloseoutPercent = nav > 0 ? marginUsed / (2 * nav) : marginUsed > 0 ? 1 : 0;
    return {
      balance: this.#balance, unrealizedPL, nav, marginUsed, marginAvailable: Math.max(0, nav - marginUsed),
      positionValue, marginCloseoutPercent, marginCallPercent,
    };
  }

  // ---------------------------------------------------------------- subscriptions

  onPrice(fn: (p: PriceState) => void): () => void {
    this.#priceListeners.add(fn);
    return () => this.#priceListeners.delete(fn);
  }

  onTransaction(fn: (t: Transaction) => void): () => void {
    this.#txListeners.add(fn);
    return () => this.#txListeners.delete(fn);
  }

  // ---------------------------------------------------------------- prices

  /** A new price: dependent orders trigger, margin closeout runs, listeners hear it. */
  applyTick(t: TickInput): void {
    const prev = this.#prices.get(t.instrument);
    if (!prev) throw new Error(`unknown instrument ${t.instrument}: the scenario trades ${this.instrumentNames().join(", ")}`);
    if (!(t.bid > 0 && t.ask > 0 && t.ask >= t.bid)) throw new Error(`bad price for ${t.instrument}: bid ${t.bid} ask ${t.ask}`);
    const p: PriceState = { instrument: t.instrument, bid: t.bid, ask: t.ask, time: t.time ?? this.clock.now(), tradeable: t.tradeable ?? prev.tradeable };
    this.#prices.set(t.instrument, p);
    this.history.record(p.instrument, p.time, p.bid, p.ask);
    for (const fn of this.#priceListeners) fn({ ...p });
    if (p.tradeable) this.#triggerDependents(p);
    this.#checkCloseout();
  }

  /** Same as applyTick (an operator's or a test's price). */
  setPrice(t: TickInput): void {
    this.applyTick(t);
  }

  // ---------------------------------------------------------------- orders

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
    return this.#placeMarket(order, "CLIENT_ORDER");
  }

  /** PUT /positions/{instrument}/close with `{ longUnits, shortUnits }` ("ALL", "NONE" or a number). */
  closePosition(instrument: string, body: unknown): OrderResult {
    const b = (body && typeof body === "object" ? body : {}) as Json;
    if (!this.hasInstrument(instrument)) {
      return { status: 404, body: { errorMessage: `Invalid value specified for 'instrument'`, errorCode: "INSTRUMENT_UNKNOWN" } };
    }
    const longSpec = b.longUnits ?? "NONE";
    const shortSpec = b.shortUnits ?? "NONE";
    if (longSpec === "NONE" && shortSpec === "NONE") {
      return this.#closeReject(instrument, "long", longSpec, "CLOSEOUT_POSITION_INCOMPLETE_SPECIFICATION");
    }
    const e = this.exposure(instrument);
    const out: Json = {};
    const related: string[] = [];
    const sides: ["long" | "short", unknown, number][] = [["long", longSpec, e.long], ["short", shortSpec, e.short]];
    // Validate both sides before executing either: a request is done whole or not at all.
    const plans: { side: "long" | "short"; units: number }[] = [];
    for (const [side, spec, held] of sides) {
      if (spec === "NONE") continue;
      let units: number;
      if (spec === "ALL") units = held;
      else if (typeof spec === "string" && DECIMAL.test(spec) && Number(spec) > 0) units = Number(spec);
      else return this.#closeReject(instrument, side, spec, "CLOSEOUT_POSITION_PARTIAL_UNITS_MISSING");
      if (held <= 0) return this.#closeReject(instrument, side, spec, "CLOSEOUT_POSITION_DOESNT_EXIST");
      if (units > held) return this.#closeReject(instrument, side, spec, "CLOSEOUT_POSITION_UNITS_EXCEED_POSITION_SIZE");
      plans.push({ side, units });
    }
    for (const { side, units } of plans) {
      const signed = side === "long" ? -units : units;
      const spec = side === "long" ? longSpec : shortSpec;
      const key = side === "long" ? "longPositionCloseout" : "shortPositionCloseout";
      const batch = String(this.#lastTxId + 1);
      const requestID = this.#requestId();
      const create = this.#tx("MARKET_ORDER", {
        instrument, units: fmtUnits(this.spec(instrument), signed), timeInForce: "FOK", positionFill: "REDUCE_ONLY", reason: "POSITION_CLOSEOUT",
        [key]: { instrument, units: String(spec) },
      }, batch, requestID);
      related.push(create.id);
      const order = this.#newMarketOrder(create);
      const p = this.#prices.get(instrument)!;
      const prefix = side === "long" ? "long" : "short";
      out[`${prefix}OrderCreateTransaction`] = create;
      if (!p.tradeable) {
        const cancel = this.#cancelOrder(order, "MARKET_HALTED", batch, requestID);
        related.push(cancel.id);
        out[`${prefix}OrderCancelTransaction`] = cancel;
        continue;
      }
      const plan = this.#plan(instrument, signed, "REDUCE_ONLY");
      const fill = this.#fill(order, instrument, signed > 0 ? p.ask : p.bid, plan, "MARKET_ORDER_POSITION_CLOSEOUT", batch, requestID, undefined);
      related.push(fill.id, ...this.#afterFillCancels(fill, batch, requestID));
      out[`${prefix}OrderFillTransaction`] = fill;
    }
    return { status: 200, body: { ...out, relatedTransactionIDs: related, lastTransactionID: this.lastTransactionID } };
  }

  /**
   * PUT /trades/{tradeSpecifier}/close with `{ units: "ALL" | "<decimal>" }` (absent units = ALL).
   * Closes exactly that trade (FIFO does not apply) at the bid for a long, the ask for a short,
   * with a MARKET_ORDER (reason TRADE_CLOSE, tradeClose) and its ORDER_FILL
   * (MARKET_ORDER_TRADE_CLOSE) or ORDER_CANCEL (MARKET_HALTED). Bad units and units beyond the
   * trade's size are rejected (400, MARKET_ORDER_REJECT); an unknown or closed trade is 404.
   */
  closeTrade(tradeSpecifier: string, body: unknown): OrderResult {
    const b = (body && typeof body === "object" ? body : {}) as Json;
    const t = this.tradeBySpecifier(tradeSpecifier);
    if (!t || t.currentUnits === 0) {
      return { status: 404, body: { errorMessage: "The Trade specified does not exist", errorCode: "NO_SUCH_TRADE", lastTransactionID: this.lastTransactionID } };
    }
    const spec = this.spec(t.instrument);
    const raw = b.units ?? "ALL";
    const unitsSpec = typeof raw === "number" ? String(raw) : raw;
    const tradeClose: Json = { tradeID: t.id, ...(t.clientExtensions?.id ? { clientTradeID: t.clientExtensions.id } : {}), units: String(unitsSpec) };
    const requestID = this.#requestId();
    const batch = String(this.#lastTxId + 1);
    const held = Math.abs(t.currentUnits);
    const reject = (rejectReason: string): OrderResult => {
      const tx = this.#tx("MARKET_ORDER_REJECT", {
        instrument: t.instrument, timeInForce: "FOK", positionFill: "REDUCE_ONLY", reason: "TRADE_CLOSE", tradeClose, rejectReason,
      }, batch, requestID);
      return {
        status: 400,
        body: { orderRejectTransaction: tx, relatedTransactionIDs: [tx.id], lastTransactionID: this.lastTransactionID, errorCode: rejectReason, errorMessage: rejectMessage(rejectReason) },
      };
    };
    let units: number;
    if (unitsSpec === "ALL") units = held;
    else if (typeof unitsSpec === "string" && DECIMAL.test(unitsSpec.trim()) && Number(unitsSpec) > 0) units = Number(unitsSpec);
    else return reject("UNITS_INVALID");
    const f = 10 ** spec.tradeUnitsPrecision;
    if (Math.abs(units * f - Math.round(units * f)) > 1e-9) return reject("UNITS_PRECISION_EXCEEDED");
    if (units > held + 1e-9) return reject("CLOSE_TRADE_UNITS_EXCEED_TRADE_SIZE");

    const signed = t.currentUnits > 0 ? -units : units;
    const create = this.#tx("MARKET_ORDER", {
      instrument: t.instrument, units: fmtUnits(spec, signed), timeInForce: "FOK", positionFill: "REDUCE_ONLY", reason: "TRADE_CLOSE", tradeClose,
    }, batch, requestID);
    const order = this.#newMarketOrder(create);
    const related = [create.id];
    const respond = (extra: Json): OrderResult => ({
      status: 200,
      body: { orderCreateTransaction: create, ...extra, relatedTransactionIDs: related, lastTransactionID: this.lastTransactionID },
    });
    const p = this.#prices.get(t.instrument)!;
    if (!p.tradeable) {
      const cancel = this.#cancelOrder(order, "MARKET_HALTED", batch, requestID);
      related.push(cancel.id);
      return respond({ orderCancelTransaction: cancel });
    }
    const plan: FillPlan = { closes: [{ trade: t, units }], open: 0 };
    const fill = this.#fill(order, t.instrument, t.currentUnits > 0 ? p.bid : p.ask, plan, "MARKET_ORDER_TRADE_CLOSE", batch, requestID, undefined);
    related.push(fill.id, ...this.#afterFillCancels(fill, batch, requestID));
    return respond({ orderFillTransaction: fill });
  }

  #closeReject(instrument: string, side: "long" | "short", spec: unknown, reason: string): OrderResult {
    const requestID = this.#requestId();
    const batch = String(this.#lastTxId + 1);
    const tx = this.#tx("MARKET_ORDER_REJECT", {
      instrument, timeInForce: "FOK", positionFill: "REDUCE_ONLY", reason: "POSITION_CLOSEOUT",
      [side === "long" ? "longPositionCloseout" : "shortPositionCloseout"]: { instrument, units: String(spec) }, rejectReason: reason,
    }, batch, requestID);
    return {
      status: 400,
      body: {
        [side === "long" ? "longOrderRejectTransaction" : "shortOrderRejectTransaction"]: tx,
        relatedTransactionIDs: [tx.id], lastTransactionID: this.lastTransactionID, errorCode: reason, errorMessage: rejectMessage(reason),
      },
    };
  }

  #placeMarket(order: Json, reason: "CLIENT_ORDER", fillPriceOverride?: number): OrderResult {
    const requestID = this.#requestId();
    const instrument = typeof order.instrument === "string" ? order.instrument : undefined;
    const tif = order.timeInForce ?? "FOK";
    const positionFill = (order.positionFill ?? "DEFAULT") as PositionFillValue;
    const ce = order.clientExtensions as ClientExtensions | undefined;
    const tce = order.tradeClientExtensions as ClientExtensions | undefined;
    const tp = order.takeProfitOnFill as Json | undefined;
    const sl = order.stopLossOnFill as Json | undefined;
    const spec = instrument && this.hasInstrument(instrument) ? this.spec(instrument) : undefined;

    const reject = (rejectReason: string): OrderResult => {
      const fields: Json = { ...pick(order, ["instrument", "units", "priceBound", "clientExtensions", "takeProfitOnFill", "stopLossOnFill", "tradeClientExtensions"]) };
      const tx = this.#tx("MARKET_ORDER_REJECT", { ...fields, timeInForce: tif, positionFill, reason, rejectReason }, undefined, requestID);
      return {
        status: 400,
        body: { orderRejectTransaction: tx, relatedTransactionIDs: [tx.id], lastTransactionID: this.lastTransactionID, errorCode: rejectReason, errorMessage: rejectMessage(rejectReason) },
      };
    };

    if (!instrument) return reject("INSTRUMENT_MISSING");
    if (!spec) return reject("INSTRUMENT_UNKNOWN");
    if (order.units === undefined || order.units === null || order.units === "") return reject("UNITS_MISSING");
    const units = decimalOf(order.units);
    if (units === undefined || units === 0) return reject("UNITS_INVALID");
    if (Math.abs(units * 10 ** spec.tradeUnitsPrecision - Math.round(units * 10 ** spec.tradeUnitsPrecision)) > 1e-9) return reject("UNITS_PRECISION_EXCEEDED");
    if (Math.abs(units) < spec.minimumTradeSize) return reject("UNITS_MIMIMUM_NOT_MET");
    if (tif !== "FOK" && tif !== "IOC") return reject("TIME_IN_FORCE_INVALID");
    if (!POSITION_FILLS.includes(positionFill)) return reject("ORDER_FILL_POSITION_ACTION_INVALID");
    let priceBound: number | undefined;
    if (order.priceBound !== undefined) {
      priceBound = decimalOf(order.priceBound);
      if (priceBound === undefined || priceBound <= 0) return reject("PRICE_BOUND_INVALID");
    }
    if (ce !== undefined) {
      if (typeof ce !== "object" || ce === null) return reject("CLIENT_ORDER_ID_INVALID");
      if (ce.id !== undefined && (typeof ce.id !== "string" || ce.id.length === 0 || ce.id.length > 128)) return reject("CLIENT_ORDER_ID_INVALID");
      if (ce.tag !== undefined && (typeof ce.tag !== "string" || ce.tag.length > 128)) return reject("CLIENT_ORDER_TAG_INVALID");
      if (ce.comment !== undefined && (typeof ce.comment !== "string" || ce.comment.length > 128)) return reject("CLIENT_ORDER_COMMENT_INVALID");
      if (ce.id && this.#clientOrderIds.has(ce.id)) return reject("CLIENT_ORDER_ID_ALREADY_EXISTS");
    }
    if (tce !== undefined && tce !== null && tce.id !== undefined && (typeof tce.id !== "string" || tce.id.length > 128)) return reject("CLIENT_TRADE_ID_INVALID");
    if (tp !== undefined) {
      if (tp.price === undefined) return reject("TAKE_PROFIT_ON_FILL_PRICE_MISSING");
      const v = decimalOf(tp.price);
      if (v === undefined || v <= 0) return reject("TAKE_PROFIT_ON_FILL_PRICE_INVALID");
    }
    if (sl !== undefined) {
      if (sl.price !== undefined && sl.distance !== undefined) return reject("STOP_LOSS_ON_FILL_PRICE_AND_DISTANCE_BOTH_SPECIFIED");
      if (sl.price === undefined && sl.distance === undefined) return reject("STOP_LOSS_ON_FILL_PRICE_AND_DISTANCE_BOTH_MISSING");
      if (sl.price !== undefined && !(Number(decimalOf(sl.price)) > 0)) return reject("STOP_LOSS_ON_FILL_PRICE_INVALID");
      if (sl.distance !== undefined && !(Number(decimalOf(sl.distance)) > 0)) return reject("STOP_LOSS_ON_FILL_DISTANCE_INVALID");
    }

    const batch = String(this.#lastTxId + 1);
    const createFields: Json = {
      instrument, units: fmtUnits(spec, units), timeInForce: tif, positionFill, reason,
    };
    if (priceBound !== undefined) createFields.priceBound = fmtPrice(spec, priceBound);
    if (ce) createFields.clientExtensions = pick(ce as Json, ["id", "tag", "comment"]);
    if (tp) createFields.takeProfitOnFill = { price: fmtPrice(spec, decimalOf(tp.price)!), timeInForce: tp.timeInForce ?? "GTC", ...(tp.clientExtensions ? { clientExtensions: tp.clientExtensions } : {}) };
    if (sl) {
      createFields.stopLossOnFill = {
        ...(sl.price !== undefined ? { price: fmtPrice(spec, decimalOf(sl.price)!) } : { distance: String(decimalOf(sl.distance)) }),
        timeInForce: sl.timeInForce ?? "GTC", ...(sl.clientExtensions ? { clientExtensions: sl.clientExtensions } : {}),
      };
    }
    if (tce) createFields.tradeClientExtensions = pick(tce as Json, ["id", "tag", "comment"]);
    const create = this.#tx("MARKET_ORDER", createFields, batch, requestID);
    const orderRec = this.#newMarketOrder(create);
    const related = [create.id];
    const respond = (extra: Json): OrderResult => ({
      status: 201,
      body: { orderCreateTransaction: create, ...extra, relatedTransactionIDs: related, lastTransactionID: this.lastTransactionID },
    });
    const cancel = (why: string) => {
      const tx = this.#cancelOrder(orderRec, why, batch, requestID);
      related.push(tx.id);
      return respond({ orderCancelTransaction: tx });
    };

    const p = this.#prices.get(instrument)!;
    if (!p.tradeable) return cancel("MARKET_HALTED");
    const fillPrice = fillPriceOverride ?? (units > 0 ? p.ask : p.bid);
    if (priceBound !== undefined && (units > 0 ? fillPrice > priceBound + 1e-12 : fillPrice < priceBound - 1e-12)) return cancel("BOUNDS_VIOLATION");
    const plan = this.#plan(instrument, units, positionFill);
    if (plan.closes.length === 0 && plan.open === 0) return cancel(REDUCE_ONLY_NOTHING_TO_REDUCE);
    if (!this.#marginAllows(instrument, plan, p)) return cancel("INSUFFICIENT_MARGIN");

    const fill = this.#fill(orderRec, instrument, fillPrice, plan, "MARKET_ORDER", batch, requestID, tce);
    related.push(fill.id);
    related.push(...this.#afterFillCancels(fill, batch, requestID));
    const opened = fill.tradeOpened as Json | undefined;
    if (opened) {
      const trade = this.#trades.get(String(opened.tradeID))!;
      if (tp) related.push(this.#dependent("TAKE_PROFIT", trade, createFields.takeProfitOnFill as Json, fill.id, batch, requestID).id);
      if (sl) {
        const s = createFields.stopLossOnFill as Json;
        const price = s.price !== undefined ? Number(s.price) : trade.price + (trade.currentUnits > 0 ? -1 : 1) * Number(s.distance);
        related.push(this.#dependent("STOP_LOSS", trade, { ...s, price: fmtPrice(spec, price) }, fill.id, batch, requestID).id);
      }
    }
    return respond({ orderFillTransaction: fill });
  }

  #newMarketOrder(create: Transaction): SimOrder {
    const ce = create.clientExtensions as ClientExtensions | undefined;
    const fields = pick(create, [
      "instrument", "units", "timeInForce", "priceBound", "positionFill", "longPositionCloseout", "shortPositionCloseout", "marginCloseout",
      "takeProfitOnFill", "stopLossOnFill", "tradeClientExtensions", "tradeClose",
    ]);
    const o: SimOrder = { id: create.id, type: "MARKET", state: "PENDING", createTime: Date.parse(create.time), clientExtensions: ce, fields };
    this.#orders.set(o.id, o);
    this.#pending.set(o.id, o);
    if (ce?.id) this.#clientOrderIds.set(ce.id, o.id);
    return o;
  }

  /** Which trades a fill closes (FIFO) and what it opens, by positionFill and account type. */
  #plan(instrument: string, units: number, positionFill: PositionFillValue): FillPlan {
    const mode: PositionFillValue = positionFill === "DEFAULT" ? (this.hedgingEnabled ? "OPEN_ONLY" : "REDUCE_FIRST")
      // A netting account cannot hold both sides: OPEN_ONLY against an opposite position reduces first.
      : positionFill === "OPEN_ONLY" && !this.hedgingEnabled ? "REDUCE_FIRST" : positionFill;
    if (mode === "OPEN_ONLY") return { closes: [], open: units };
    const closes: FillPlan["closes"] = [];
    let left = Math.abs(units);
    for (const t of this.#openByInstrument.get(instrument)?.values() ?? []) {
      if (left <= 0) break;
      if (Math.sign(t.currentUnits) === Math.sign(units)) continue;
      const take = Math.min(left, Math.abs(t.currentUnits));
      closes.push({ trade: t, units: take });
      left -= take;
    }
    left = roundUnits(left);
    // REDUCE_ONLY never opens: what cannot reduce is dropped (the fill is smaller than asked).
    return { closes, open: mode === "REDUCE_ONLY" ? 0 : Math.sign(units) * left };
  }

  #marginAllows(instrument: string, plan: FillPlan, p: PriceState): boolean {
    if (plan.open === 0) return true; // closing trades never needs margin
    const before = this.numbers();
    const e = this.exposure(instrument);
    for (const c of plan.closes) {
      if (c.trade.currentUnits > 0) e.long -= c.units;
      else e.short -= c.units;
    }
    if (plan.open > 0) e.long += plan.open;
    else e.short -= plan.open;
    const after = accountMargin(this.marginModel, this.exposures(new Map([[instrument, e]])));
    // The new trade is valued at the closing side at once: NAV drops by the spread.
    const navAfter = before.nav - (p.ask - p.bid) * Math.abs(plan.open) * this.quoteToHome(instrument);
    return after <= before.marginUsed + 1e-9 || after <= navAfter + 1e-9;
  }

  #fill(order: SimOrder, instrument: string, price: number, plan: FillPlan, reason: string, batch: string, requestID: string | undefined, tce: ClientExtensions | undefined): Transaction {
    const spec = this.spec(instrument);
    const p = this.#prices.get(instrument)!;
    const q = this.quoteToHome(instrument);
    const halfSpread = (p.ask - p.bid) / 2;
    const now = this.clock.now();
    const fillId = String(this.#lastTxId + 1);
    const closed: Json[] = [];
    let reduced: Json | undefined;
    let pl = 0;
    let filled = 0;
    for (const c of plan.closes) {
      const t = c.trade;
      const sign = Math.sign(t.currentUnits);
      const realized = round4((price - t.price) * sign * c.units * q);
      t.currentUnits = roundUnits(t.currentUnits - sign * c.units);
      t.realizedPL = round4(t.realizedPL + realized);
      this.#addRealized(t, realized);
      t.closedUnits += c.units;
      t.closeValue += c.units * price;
      t.closingTransactionIDs.push(fillId);
      pl += realized;
      filled += -sign * c.units;
      const entry: Json = {
        tradeID: t.id, units: fmtUnits(spec, -sign * c.units), price: fmtPrice(spec, price), realizedPL: fmtAmount(realized),
        financing: fmtAmount(0), guaranteedExecutionFee: fmtAmount(0), halfSpreadCost: fmtAmount(halfSpread * c.units * q),
      };
      if (t.currentUnits === 0) {
        t.closeTime = now;
        this.#open.delete(t.id);
        this.#openByInstrument.get(t.instrument)?.delete(t.id);
        closed.push(entry);
      } else reduced = entry;
    }
    pl = round4(pl);
    this.#balance = round4(this.#balance + pl);
    this.#pl = round4(this.#pl + pl);
    let opened: Json | undefined;
    if (plan.open !== 0) {
      filled += plan.open;
      const margin = Math.abs(plan.open) * this.conversion(instrument) * this.marginRate;
      const t: SimTrade = {
        id: fillId, instrument, price, openTime: now, initialUnits: plan.open, currentUnits: plan.open, initialMarginRequired: margin,
        realizedPL: 0, closedUnits: 0, closeValue: 0, closingTransactionIDs: [], clientExtensions: tce ? (pick(tce as Json, ["id", "tag", "comment"]) as ClientExtensions) : undefined,
      };
      this.#trades.set(t.id, t);
      this.#open.set(t.id, t);
      let line = this.#openByInstrument.get(instrument);
      if (!line) this.#openByInstrument.set(instrument, (line = new Map()));
      line.set(t.id, t);
      this.#tradedInstruments.add(instrument);
      if (t.clientExtensions?.id && !this.#clientTradeIds.has(t.clientExtensions.id)) this.#clientTradeIds.set(t.clientExtensions.id, t.id);
      opened = {
        tradeID: t.id, units: fmtUnits(spec, plan.open), price: fmtPrice(spec, price), guaranteedExecutionFee: fmtAmount(0),
        halfSpreadCost: fmtAmount(halfSpread * Math.abs(plan.open) * q), initialMarginRequired: fmtAmount(margin),
        ...(t.clientExtensions ? { clientExtensions: t.clientExtensions } : {}),
      };
    }
    const fields: Json = {
      orderID: order.id,
      ...(order.clientExtensions?.id ? { clientOrderID: order.clientExtensions.id } : {}),
      instrument, units: fmtUnits(spec, roundUnits(filled)),
      gainQuoteHomeConversionFactor: fmtRate(q), lossQuoteHomeConversionFactor: fmtRate(q),
      price: fmtPrice(spec, price), fullVWAP: fmtPrice(spec, price), fullPrice: this.clientPrice(instrument, true),
      reason, pl: fmtAmount(pl), financing: fmtAmount(0), commission: fmtAmount(0), guaranteedExecutionFee: fmtAmount(0),
      accountBalance: fmtAmount(this.#balance),
      ...(opened ? { tradeOpened: opened } : {}),
      ...(closed.length ? { tradesClosed: closed } : {}),
      ...(reduced ? { tradeReduced: reduced } : {}),
      halfSpreadCost: fmtAmount(halfSpread * Math.abs(filled) * q),
    };
    const fill = this.#tx("ORDER_FILL", fields, batch, requestID);
    order.state = "FILLED";
    this.#pending.delete(order.id);
    order.fillingTransactionID = fill.id;
    order.filledTime = now;
    if (opened) order.tradeOpenedID = String(opened.tradeID);
    if (reduced) order.tradeReducedID = String(reduced.tradeID);
    if (closed.length) order.tradeClosedIDs = closed.map((c) => String(c.tradeID));
    this.#lastFillTime = now;
    return fill;
  }

  /** After a fill closes trades, their TP/SL orders are cancelled (LINKED_TRADE_CLOSED). */
  #afterFillCancels(fill: Transaction, batch: string, requestID: string | undefined): string[] {
    const ids: string[] = [];
    for (const c of (fill.tradesClosed as Json[] | undefined) ?? []) {
      const t = this.#trades.get(String(c.tradeID));
      if (!t) continue;
      for (const oid of [t.takeProfitOrderID, t.stopLossOrderID]) {
        const o = oid ? this.#orders.get(oid) : undefined;
        if (o && o.state === "PENDING") ids.push(this.#cancelOrder(o, "LINKED_TRADE_CLOSED", batch, requestID).id);
      }
    }
    return ids;
  }

  #dependent(kind: "TAKE_PROFIT" | "STOP_LOSS", trade: SimTrade, details: Json, fillId: string, batch: string, requestID: string | undefined): Transaction {
    const price = Number(details.price);
    const ce = details.clientExtensions as ClientExtensions | undefined;
    const tx = this.#tx(`${kind}_ORDER`, {
      tradeID: trade.id, price: fmtPrice(this.spec(trade.instrument), price), timeInForce: details.timeInForce ?? "GTC", triggerCondition: "DEFAULT",
      reason: "ON_FILL", orderFillTransactionID: fillId, ...(ce ? { clientExtensions: ce } : {}),
    }, batch, requestID);
    const o: SimOrder = {
      id: tx.id, type: kind, state: "PENDING", createTime: Date.parse(tx.time), clientExtensions: ce, tradeID: trade.id, price,
      fields: { tradeID: trade.id, price: tx.price, timeInForce: tx.timeInForce, triggerCondition: "DEFAULT" },
    };
    this.#orders.set(o.id, o);
    this.#pending.set(o.id, o);
    if (ce?.id) this.#clientOrderIds.set(ce.id, o.id);
    if (kind === "TAKE_PROFIT") trade.takeProfitOrderID = o.id;
    else trade.stopLossOrderID = o.id;
    return tx;
  }

  #cancelOrder(o: SimOrder, reason: string, batch: string | undefined, requestID: string | undefined): Transaction {
    const tx = this.#tx("ORDER_CANCEL", { orderID: o.id, ...(o.clientExtensions?.id ? { clientOrderID: o.clientExtensions.id } : {}), reason }, batch, requestID);
    o.state = "CANCELLED";
    this.#pending.delete(o.id);
    o.cancellingTransactionID = tx.id;
    o.cancelledTime = Date.parse(tx.time);
    return tx;
  }

  /** TP: long closes when bid >= price, short when ask <= price. SL: the other way round. */
  #triggerDependents(p: PriceState): void {
    for (const o of [...this.#pending.values()]) {
      // A fill earlier in this loop may have cancelled a later order (LINKED_TRADE_CLOSED).
      if (o.state !== "PENDING" || o.type === "MARKET" || !o.tradeID) continue;
      const t = this.#trades.get(o.tradeID);
      if (!t || t.instrument !== p.instrument || t.currentUnits === 0) continue;
      const long = t.currentUnits > 0;
      const close = long ? p.bid : p.ask;
      const hit = o.type === "TAKE_PROFIT" ? (long ? close >= o.price! : close <= o.price!) : long ? close <= o.price! : close >= o.price!;
      if (!hit) continue;
      const batch = String(this.#lastTxId + 1);
      const plan: FillPlan = { closes: [{ trade: t, units: Math.abs(t.currentUnits) }], open: 0 };
      const fill = this.#fill(o, t.instrument, close, plan, `${o.type}_ORDER`, batch, undefined, undefined);
      this.#afterFillCancels(fill, batch, undefined);
    }
  }

  /** Margin closeout: when marginCloseoutPercent reaches 100%, every open trade is closed at market. */
  #checkCloseout(): void {
    const n = this.numbers();
    if (n.marginCloseoutPercent < 1 || this.openTrades().length === 0) return;
    const batch = String(this.#lastTxId + 1);
    for (const instrument of this.instrumentNames()) {
      const p = this.#prices.get(instrument)!;
      if (!p.tradeable) continue;
      for (const side of ["long", "short"] as const) {
        const e = this.exposure(instrument);
        const held = side === "long" ? e.long : e.short;
        if (held <= 0) continue;
        const signed = side === "long" ? -held : held;
        const create = this.#tx("MARKET_ORDER", {
          instrument, units: fmtUnits(this.spec(instrument), signed), timeInForce: "FOK", positionFill: "REDUCE_ONLY", reason: "MARGIN_CLOSEOUT",
          marginCloseout: { reason: "MARGIN_CHECK_VIOLATION" },
        }, batch);
        const order = this.#newMarketOrder(create);
        const plan = this.#plan(instrument, signed, "REDUCE_ONLY");
        const fill = this.#fill(order, instrument, signed > 0 ? p.ask : p.bid, plan, "MARKET_ORDER_MARGIN_CLOSEOUT", batch, undefined, undefined);
        this.#afterFillCancels(fill, batch, undefined);
      }
    }
  }

  // ---------------------------------------------------------------- wire shapes shared by REST and streams

  /** A ClientPrice as the pricing endpoints and stream send it. */
  clientPrice(instrument: string, forFill = false): Json {
    const p = this.#prices.get(instrument)!;
    const spec = this.spec(instrument);
    const q = this.quoteToHome(instrument);
    const out: Json = {
      type: "PRICE", instrument, time: fmtTime(p.time),
      bids: [{ price: fmtPrice(spec, p.bid), liquidity: LIQUIDITY }], asks: [{ price: fmtPrice(spec, p.ask), liquidity: LIQUIDITY }],
      closeoutBid: fmtPrice(spec, p.bid), closeoutAsk: fmtPrice(spec, p.ask),
    };
    if (forFill) return out;
    out.status = p.tradeable ? "tradeable" : "non-tradeable";
    out.tradeable = p.tradeable;
    out.quoteHomeConversionFactors = { positiveUnits: fmtRate(q), negativeUnits: fmtRate(q) };
    return out;
  }

  // ---------------------------------------------------------------- internals

  #toHome(currency: string, amount: number): number | undefined {
    const c = baseToHome(currency, this.currency, (i) => this.mid(i));
    return c === undefined ? undefined : c * amount;
  }

  #addRealized(t: SimTrade, amount: number): void {
    let r = this.#realized.get(t.instrument);
    if (!r) this.#realized.set(t.instrument, (r = { long: 0, short: 0 }));
    if (t.initialUnits > 0) r.long += amount;
    else r.short += amount;
  }

  #requestId(): string {
    this.#requestSeq += 1;
    return String(this.createdTime * 1000 + this.#requestSeq);
  }

  #tx(type: string, fields: Json, batch?: string, requestID?: string): Transaction {
    this.#lastTxId += 1;
    const id = String(this.#lastTxId);
    const tx = {
      id, time: fmtTime(this.clock.now()), userID: this.userID, accountID: this.accountId, batchID: batch ?? id,
      ...(requestID ? { requestID } : {}), type, ...fields,
    } as Transaction;
    this.#transactions.push(tx);
    for (const fn of this.#txListeners) fn(tx);
    return tx;
  }
}

function decimalOf(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  if (typeof v !== "string" || !DECIMAL.test(v.trim())) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

function pick(o: Json, keys: string[]): Json {
  const out: Json = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;
const roundUnits = (x: number) => Math.round(x * 1e6) / 1e6;

function rejectMessage(reason: string): string {
  const msgs: Record<string, string> = {
    CLIENT_ORDER_ID_ALREADY_EXISTS: "The client Order ID specified is already in use",
    INSTRUMENT_UNKNOWN: "The Order instrument is unknown",
    INSTRUMENT_MISSING: "The Order instrument has not been specified",
    UNITS_MISSING: "The Order units have not been specified",
    UNITS_INVALID: "The Order units specified are invalid",
    UNITS_MIMIMUM_NOT_MET: "The units specified is less than the minimum trade size",
    CLOSEOUT_POSITION_DOESNT_EXIST: "The Position requested to be closed out does not exist",
    CLOSEOUT_POSITION_UNITS_EXCEED_POSITION_SIZE: "The number of units requested to be closed out exceeds the size of the Position",
    CLOSE_TRADE_UNITS_EXCEED_TRADE_SIZE: "The units specified exceeds the current units of the Trade",
    UNITS_PRECISION_EXCEEDED: "The Order units specified have more precision than the instrument allows",
  };
  return msgs[reason] ?? `The order request was rejected: ${reason}`;
}
