// The simulator as a venue without a wire: the OANDA client's methods (the kernel's venue port),
// answered by reading and calling the SimEngine directly. Replay drives a month of ticks through
// the trading node and reads the account after almost every one; over HTTP each read rendered the
// whole account as v20 JSON, sent it through Hono and parsed it back with zod. Here the same
// typed results come straight from the engine's state.
//
// "The same" is exact, and a test holds both ways to it (test/sim/in-process-venue.test.ts): the
// OANDA client over the simulator's HTTP and this venue give deep-equal results for the same
// engine state. Two rules make that so:
// - numbers pass through the wire's own formatting (4 decimals for money, the instrument's
//   precision for prices and units) before they are read, so rounding is the wire's;
// - every call first brings the account to the clock's time (financing, maintenance), as the
//   simulator's HTTP layer does before any request.
// The per-tick and per-order paths (account, pricing, market orders) read the engine with no
// schema at all. The rare ones (lookups after a lost answer, closes, transactions, candles) give
// the engine's wire objects to the adapter's own readers, so they cannot drift from the client.
// It fits the kernel's VenuePort structurally (sim/ sits below kernel/ and does not import it);
// test/sim/in-process-venue.test.ts and replay/run.ts hold it to the port at type level.
import type { MarketOrderRequest, OrderLookup, OrderOutcome, PositionCloseRequest } from "../core/orders.ts";
import type { Clock, InstrumentSpec, PositionSides, Tick } from "../core/types.ts";
import { InstrumentTable } from "../core/instruments.ts";
import type { Logger } from "../core/log.ts";
import { silentLogger } from "../core/silent-logger.ts";
import type { AccountDetails, CandleBA, ClosePositionResult, Transaction } from "../oanda/index.ts";
import { OandaHttpError } from "../oanda/errors.ts";
import { formatUnits } from "../oanda/decimal.ts";
import type * as S from "../oanda/schemas.ts";
import { buildCandles, GRANULARITY_SECONDS } from "./candles.ts";
import type { SimEngine } from "./engine.ts";
import { fmtPrice, fmtRate, fmtUnits } from "./format.ts";
import type { ClientExtensions, SimTrade } from "./types.ts";
import * as V from "./views.ts";
import { definedOnly, fastFill, num, wireAmount, wirePercent, wirePrice, wireUnits } from "./venue-answers.ts";

// The rare paths' readers load on first use: the client's whole data module (streams, HTTP) is
// not what a replay that never asks for candles should spend its start-up on.
const schemas = () => import("../oanda/schemas.ts");
const candleReader = () => import("../oanda/data.ts");
// The order mapping (with the client's response schemas) loads with the first order: a replay
// whose workers never trade does not need it. Once loaded, callers take it without an await.
let mapping: typeof import("../oanda/order-mapping.ts") | undefined;
const loadMapping = async () => (mapping = await import("../oanda/order-mapping.ts"));

export interface InProcessVenueOptions {
  engine: SimEngine;
  /** Instrument facts for order precision; instruments() refreshes it (as the client's). */
  instruments?: InstrumentTable;
  /** Stamps asOf and receivedAt (default: the engine's clock, the data's in replay). */
  clock?: Clock;
  log?: Logger;
}

type Fill = Extract<OrderOutcome, { kind: "filled" }>;

type OpenTradeView = AccountDetails["trades"][number];

/** A position's figures as the wire rounds them, each remembered for its last value (units and average prices rarely move). */
function positionWire() {
  return { long: wireUnits(), short: wireUnits(), avgLong: wirePrice(), avgShort: wirePrice(), longUpl: wireAmount(), shortUpl: wireAmount(), upl: wireAmount(), marginUsed: wireAmount() };
}

export class InProcessVenue {
  readonly instrumentTable: InstrumentTable;
  readonly #e: SimEngine;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #path: string;
  /** The account's amounts as the wire rounds them, each remembered for its last value (most reads repeat most of them). */
  readonly #wire = { balance: wireAmount(), nav: wireAmount(), unrealizedPL: wireAmount(), marginUsed: wireAmount(), marginAvailable: wireAmount(), closeout: wirePercent() };
  /** Per instrument, its position's wire figures (see positionWire). */
  readonly #positionWire = new Map<string, ReturnType<typeof positionWire>>();
  /** Open trades as accountDetails lists them (frozen), valid while lastTransactionID stays (prices do not move them). */
  #trades: { txn: string; list: OpenTradeView[] } | undefined;
  #positionNames: { traded: number; names: number; list: string[] } | undefined;
  readonly #tradeViews = new WeakMap<SimTrade, { units: number; ce: SimTrade["clientExtensions"]; view: OpenTradeView }>();

  constructor(o: InProcessVenueOptions) {
    this.#e = o.engine;
    this.#clock = o.clock ?? o.engine.clock;
    this.#log = o.log ?? silentLogger;
    this.instrumentTable = o.instruments ?? new InstrumentTable();
    this.#path = `/v3/accounts/${encodeURIComponent(o.engine.accountId)}`;
  }

  get accountId(): string {
    return this.#e.accountId;
  }

  /** What the simulator's HTTP layer does before every request. */
  #request(): SimEngine {
    this.#e.advanceClock();
    return this.#e;
  }

  // ---------- account ----------

  async accountDetails(): Promise<AccountDetails> {
    return this.accountDetailsNow();
  }

  /** accountDetails() without the promise (the kernel's AccountPort takes it when offered). */
  accountDetailsNow(): AccountDetails {
    const e = this.#request();
    const n = e.numbers();
    const txn = e.lastTransactionID;
    const positions: PositionSides[] = [];
    if (e.tradedInstruments().size > 0) for (const i of this.#positionInstruments(e)) {
      const p = this.#position(i);
      if (p.long > 0 || p.short > 0) positions.push(p);
    }
    if (this.#trades?.txn !== txn) this.#trades = { txn, list: Object.freeze(e.openTrades().map((t) => this.#openTrade(t))) as OpenTradeView[] };
    return {
      id: e.accountId,
      currency: e.currency,
      balance: this.#wire.balance(n.balance),
      nav: this.#wire.nav(n.nav),
      unrealizedPL: this.#wire.unrealizedPL(n.unrealizedPL),
      marginUsed: this.#wire.marginUsed(n.marginUsed),
      marginAvailable: this.#wire.marginAvailable(n.marginAvailable),
      marginCloseoutPercent: this.#wire.closeout(n.marginCloseoutPercent),
      hedgingEnabled: e.hedgingEnabled,
      lastTransactionID: txn,
      asOf: this.#clock.now(),
      positions,
      // The same frozen list while lastTransactionID stays (trades change only by a transaction):
      // most reads move only prices, and a copy a read was most of a replay's allocation. Frozen,
      // so a caller that writes into what it was given fails at once instead of rewriting the
      // next caller's answer.
      trades: this.#trades.list,
    };
  }

  /**
   * The instruments the wire lists positions for (views.ts positionInstruments), kept while the
   * engine's instruments and the ones ever traded are the same in number: both only grow.
   */
  #positionInstruments(e: SimEngine): string[] {
    const traded = e.tradedInstruments().size;
    const names = e.instrumentCount();
    const known = this.#positionNames;
    if (known?.traded === traded && known.names === names) return known.list;
    return (this.#positionNames = { traded, names, list: V.positionInstruments(e) }).list;
  }

  /** A position as toPositionSides reads the wire's Position (views.ts `position`), without the strings' round trip where none rounds. */
  #position(instrument: string): PositionSides {
    const e = this.#e;
    const spec = e.spec(instrument);
    let long = 0;
    let short = 0;
    let longValue = 0;
    let shortValue = 0;
    let longUpl = 0;
    let shortUpl = 0;
    for (const t of e.eachOpenTradeOf(instrument)) {
      if (t.initialUnits > 0) {
        long += t.currentUnits;
        longValue += t.price * t.currentUnits;
        longUpl += e.tradeUnrealizedPL(t);
      } else {
        short += t.currentUnits;
        shortValue += t.price * t.currentUnits;
        shortUpl += e.tradeUnrealizedPL(t);
      }
    }
    let w = this.#positionWire.get(instrument);
    if (!w) this.#positionWire.set(instrument, (w = positionWire()));
    // The wire sums the two sides' already-rounded unrealized P/L; so does this.
    const upl = w.longUpl(longUpl) + w.shortUpl(shortUpl);
    return {
      instrument,
      long: Math.abs(w.long(spec, long)),
      short: Math.abs(w.short(spec, short)),
      avgLongPrice: long !== 0 ? w.avgLong(spec, longValue / long) : undefined,
      avgShortPrice: short !== 0 ? w.avgShort(spec, shortValue / short) : undefined,
      unrealizedPL: w.upl(upl),
      marginUsed: w.marginUsed(e.instrumentMarginUsed(instrument)),
    };
  }

  #openTrade(t: SimTrade): OpenTradeView {
    // A trade's view changes only with its units or its extensions; every order, fill or close
    // re-lists the open trades, so each one is formatted once per change, not once per listing.
    const known = this.#tradeViews.get(t);
    if (known && known.units === t.currentUnits && known.ce === t.clientExtensions) return known.view;
    const view = this.#formatTrade(t);
    this.#tradeViews.set(t, { units: t.currentUnits, ce: t.clientExtensions, view });
    return view;
  }

  #formatTrade(t: SimTrade): OpenTradeView {
    const spec = this.#e.spec(t.instrument);
    const units = num(fmtUnits(spec, t.currentUnits));
    const ce = t.clientExtensions;
    return Object.freeze({
      id: t.id, instrument: t.instrument, side: units < 0 ? "sell" : "buy", units: Math.abs(units), price: num(fmtPrice(spec, t.price)),
      clientExtensions: ce ? Object.freeze(definedOnly(ce)) : undefined,
    });
  }

  /** The account's instruments as InstrumentSpecs; also refreshes instrumentTable. */
  async instruments(names?: string[]): Promise<InstrumentSpec[]> {
    const e = this.#request();
    // As the route reads its query: no names (or an empty list) means all; unknown names are left out.
    const list = names && names.length > 0 ? names.filter((i) => e.hasInstrument(i)) : e.instrumentNames();
    const specs = list.map((name): InstrumentSpec => {
      const s = e.spec(name);
      const [base = name, quote = ""] = name.split("_");
      return { name, base, quote, pipLocation: s.pipLocation, displayPrecision: s.displayPrecision, tradeUnitsPrecision: s.tradeUnitsPrecision, minimumTradeSize: num(String(s.minimumTradeSize)), marginRate: num(fmtRate(e.marginRate)) };
    });
    for (const s of specs) this.instrumentTable.upsert(s);
    return specs;
  }

  // ---------- market data ----------

  /** A pricing snapshot, stamped with receivedAt on this venue's clock. */
  async pricing(instruments: string[]): Promise<Tick[]> {
    if (instruments.length === 0) return [];
    const e = this.#request();
    this.#checkInstruments(instruments, "pricing");
    const receivedAt = this.#clock.now();
    return instruments.map((i) => {
      const p = e.price(i)!;
      const spec = e.spec(i);
      return { instrument: i, bid: num(fmtPrice(spec, p.bid)), ask: num(fmtPrice(spec, p.ask)), time: p.time, receivedAt, tradeable: e.tradeable(i) };
    });
  }

  async homeConversions(instruments: string[]): Promise<Map<string, { positionValue?: number; accountLoss?: number; accountGain?: number }>> {
    const out = new Map<string, { positionValue?: number; accountLoss?: number; accountGain?: number }>();
    if (instruments.length === 0) return out;
    const e = this.#request();
    this.#checkInstruments(instruments, "pricing");
    for (const h of V.homeConversions(e)) {
      const v = num(String(h.positionValue));
      out.set(String(h.currency), { positionValue: v, accountLoss: v, accountGain: v });
    }
    return out;
  }

  /** The route's 400 for an unknown instrument, as the client throws it. */
  #checkInstruments(names: string[], route: string): void {
    const bad = names.find((i) => !this.#e.hasInstrument(i));
    if (bad === undefined) return;
    const errorMessage = `Invalid value specified for 'instruments': ${bad}`;
    throw new OandaHttpError("GET", `${this.#path}/${route}`, 400, { errorMessage }, undefined, errorMessage);
  }

  /** Candles from the engine's tick history (default: M1, bid/ask, 500), as the client reads them. */
  async candles(instrument: string, o: { granularity?: string; count?: number; price?: string } = {}): Promise<CandleBA[]> {
    const e = this.#request();
    const path = `/v3/instruments/${encodeURIComponent(instrument)}/candles`;
    if (!e.hasInstrument(instrument)) throw new OandaHttpError("GET", path, 400, {}, "INVALID_PARAMETER", "Invalid value specified for 'instrument'");
    if (!e.keepsPriceHistory) throw new Error("candles: this simulator keeps no price history (a replay's venue; the agent builds its candles from the ticks)");
    const granularity = o.granularity ?? "M1";
    if (!(granularity in GRANULARITY_SECONDS)) throw new OandaHttpError("GET", path, 400, {}, "INVALID_PARAMETER", `Invalid value specified for 'granularity'`);
    const raw = buildCandles({ instrument, spec: e.spec(instrument), ticks: e.history.ticks(instrument), granularity, count: o.count ?? 500, price: (o.price ?? "BA").toUpperCase(), now: e.clock.now() });
    const r = (await schemas()).candlesResponse.parse({ candles: raw });
    const { candleBA } = await candleReader();
    return r.candles.map(candleBA);
  }

  // ---------- transactions ----------

  /** Every transaction after `id` (exclusive), read as the client reads them. */
  async transactionsSinceId(id: string): Promise<{ transactions: Transaction[]; lastTransactionID: string }> {
    const e = this.#request();
    const path = `${this.#path}/transactions/sinceid`;
    if (!/^\d+$/.test(id)) throw new OandaHttpError("GET", path, 400, {}, "INVALID_PARAMETER", "Invalid value specified for 'id'");
    if (Number(id) > Number(e.lastTransactionID)) throw new OandaHttpError("GET", path, 416, {}, "INVALID_RANGE", "The id is later than the last transaction");
    const r = (await schemas()).transactionsResponse.parse({ transactions: e.transactionsSince(Number(id)).map(definedOnly), lastTransactionID: e.lastTransactionID });
    return { transactions: r.transactions, lastTransactionID: r.lastTransactionID };
  }

  // ---------- orders (the broker port) ----------

  /** One MARKET order, exactly once; fills, cancels and rejects are outcomes, as the client's. */
  async submitMarketOrder(req: MarketOrderRequest): Promise<OrderOutcome> {
    const { orderBodyOrRejection, outcomeFromOrderResponse } = mapping ?? (await loadMapping());
    const built = orderBodyOrRejection(req, () => this.instrumentTable.get(req.instrument));
    if ("rejected" in built) return built.rejected;
    const { body } = built;
    const r = this.#request().createOrder(body);
    const outcome = r.status === 201 && r.body.orderFillTransaction ? fastFill(r.body) : outcomeFromOrderResponse(r.status, definedOnly(r.body));
    this.#log.info({ event: "oanda_order", clientId: req.clientId, instrument: req.instrument, units: body.order.units, status: r.status, outcome: outcome.kind, reason: "reason" in outcome ? outcome.reason : undefined });
    return outcome;
  }

  /** What the engine knows of an order by its client id, with its fill or cancel. */
  async lookupOrderByClientId(clientId: string): Promise<OrderLookup> {
    const e = this.#request();
    const o = e.order(`@${clientId}`);
    if (!o) return { found: false };
    const S = await schemas();
    const { lookupFromOrder } = mapping ?? (await loadMapping());
    const r = S.orderResponse.parse({ order: definedOnly(V.order(e, o)), lastTransactionID: e.lastTransactionID });
    const tx = (id: string) => {
      const t = e.transactions().find((x) => x.id === id);
      if (!t) throw new OandaHttpError("GET", `${this.#path}/transactions/${id}`, 404, {}, "NO_SUCH_TRANSACTION", "The Transaction specified does not exist");
      return S.transactionResponse.parse({ transaction: definedOnly(t), lastTransactionID: e.lastTransactionID }).transaction;
    };
    const { order } = r;
    if (order.state === "FILLED" && order.fillingTransactionID) return lookupFromOrder(order, r, S.orderFillTransaction.parse(tx(order.fillingTransactionID)));
    if (order.state === "CANCELLED" && order.cancellingTransactionID) return lookupFromOrder(order, r, undefined, S.orderCancelTransaction.parse(tx(order.cancellingTransactionID)));
    return lookupFromOrder(order, r);
  }

  /** Close (part of) one trade; see OandaClient.closeTrade. */
  async closeTrade(tradeId: string, units: number | "ALL"): Promise<OrderOutcome> {
    const { outcomeFromOrderResponse, tradeCloseUnits } = mapping ?? (await loadMapping());
    const checked = tradeCloseUnits(tradeId, units);
    if ("rejected" in checked) return checked.rejected;
    const unitsText = checked.units;
    const r = this.#request().closeTrade(tradeId, { units: unitsText });
    const outcome = outcomeFromOrderResponse(r.status, definedOnly(r.body));
    this.#log.info({ event: "oanda_trade_close", tradeId, units: unitsText, status: r.status, outcome: outcome.kind, reason: "reason" in outcome ? outcome.reason : undefined });
    return outcome;
  }

  /** Close (part of) a position, both sides in one request; see OandaClient.closePosition. */
  async closePosition(instrument: string, o: PositionCloseRequest | { longUnits?: number | "ALL"; shortUnits?: number | "ALL"; longClientExtensions?: ClientExtensions; shortClientExtensions?: ClientExtensions }): Promise<ClosePositionResult> {
    if (o.longUnits === undefined && o.shortUnits === undefined) throw new Error("closePosition needs longUnits or shortUnits");
    const { cancelOutcome, fillOutcome, outcomeFromOrderResponse } = mapping ?? (await loadMapping());
    const precision = this.instrumentTable.get(instrument).tradeUnitsPrecision;
    const units = (u: number | "ALL" | undefined) => (u === undefined ? "NONE" : u === "ALL" ? "ALL" : formatUnits(Math.abs(u), precision));
    const ext = definedOnly({ longClientExtensions: o.longClientExtensions, shortClientExtensions: o.shortClientExtensions });
    const res = this.#request().closePosition(instrument, { longUnits: units(o.longUnits), shortUnits: units(o.shortUnits), ...ext });
    const body = definedOnly(res.body);
    if (res.status >= 200 && res.status < 300) {
      const b = (await schemas()).positionCloseResponse.parse(body);
      const side = (fill?: S.OrderFillTransaction, cancel?: S.OrderCancelTransaction): OrderOutcome | undefined =>
        fill ? fillOutcome(fill, body, b.lastTransactionID) : cancel ? cancelOutcome(cancel, body) : undefined;
      return { long: side(b.longOrderFillTransaction, b.longOrderCancelTransaction), short: side(b.shortOrderFillTransaction, b.shortOrderCancelTransaction), lastTransactionID: b.lastTransactionID };
    }
    const out = outcomeFromOrderResponse(res.status, body);
    return { long: o.longUnits !== undefined ? out : undefined, short: o.shortUnits !== undefined ? out : undefined };
  }

  /** Fills of trade closes after a transaction id that name `tradeId`; see OandaClient.tradeCloseFills. */
  async tradeCloseFills(tradeId: string, sinceTransactionID: string): Promise<Fill[]> {
    if (!/^\d+$/.test(tradeId)) throw new Error(`tradeCloseFills needs OANDA's numeric trade id (got ${JSON.stringify(tradeId)})`);
    const { transactions, lastTransactionID } = await this.transactionsSinceId(sinceTransactionID);
    const { tradeCloseFillsIn } = mapping ?? (await loadMapping());
    return tradeCloseFillsIn(transactions, tradeId, lastTransactionID);
  }
}
