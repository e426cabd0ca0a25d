// The OANDA v20 REST client sekisho trades through (practice, live, or the simulator: only the
// URLs differ). It implements BrokerPort, the only thing the gate knows about a broker.
// Transport rules (timeouts, retries for reads only, rate limits) live in http.ts.
import type { BrokerPort, MarketOrderRequest, OrderLookup, OrderOutcome } from "../core/orders.ts";
import type { AccountSnapshot, Clock, InstrumentSpec, PositionSides, Side, Tick } from "../core/types.ts";
import { wallClock } from "../core/types.ts";
import { InstrumentTable } from "../core/instruments.ts";
import type { Logger } from "../core/log.ts";
import { silentLogger } from "../core/log.ts";
import { formatUnits } from "./decimal.ts";
import { OandaHttpError, OandaNetworkError } from "./errors.ts";
import { OandaHttp, OandaLimiter, httpError, type RetryPolicy } from "./http.ts";
import { cancelOutcome, fillOutcome, lookupFromOrder, outcomeFromOrderResponse, toOandaOrderBody, tradeCloseFillsIn, OrderRequestError } from "./order-mapping.ts";
import * as S from "./schemas.ts";
import { tickFromPrice } from "./tick.ts";
import { PricingStream, type PricingStreamOptions } from "./pricing-stream.ts";
import { TransactionStream, type TransactionStreamOptions } from "./transaction-stream.ts";

export { oandaUrls, type OandaEnv, type OandaUrls } from "./urls.ts";

export interface OandaClientOptions {
  restUrl: string;
  streamUrl: string;
  token: string;
  accountId: string;
  /** Per-request timeout for REST calls (default 10000 = OANDA_REQUEST_TIMEOUT_MS). */
  timeoutMs?: number;
  log?: Logger;
  fetch?: typeof fetch;
  /** Clock for receivedAt/asOf stamps (default: wall clock). */
  clock?: Clock;
  /** Instrument facts for price/unit precision; instruments() refreshes it. */
  instruments?: InstrumentTable;
  retry?: Partial<RetryPolicy>;
  /** Randomness for backoff jitter (tests). */
  random?: () => number;
  /** Request and connection limits (default: under OANDA's published limits). */
  limiter?: OandaLimiter;
}

/** The summary part of an account (no positions). */
export type AccountSummaryView = Omit<AccountSnapshot, "positions">;

/** An open trade, with units as a magnitude plus side (OANDA's sign stops here). */
export interface OpenTrade {
  id: string;
  instrument: string;
  side: Side;
  units: number;
  price: number;
  openTime: string;
  unrealizedPL?: number;
  marginUsed?: number;
  clientExtensions?: { id?: string; tag?: string; comment?: string };
  takeProfitPrice?: number;
  stopLossPrice?: number;
}

export interface AccountDetails extends AccountSnapshot {
  /** Open trades as the account endpoint lists them (TradeSummary: price, units, clientExtensions). */
  trades: Array<Pick<OpenTrade, "id" | "instrument" | "side" | "units" | "clientExtensions"> & { price?: number }>;
}

export interface CandleBA {
  /** Candle open time, epoch ms. */
  time: number;
  bid?: { o: number; h: number; l: number; c: number };
  ask?: { o: number; h: number; l: number; c: number };
  mid?: { o: number; h: number; l: number; c: number };
  volume: number;
  complete: boolean;
}

export interface ClosePositionResult {
  long?: OrderOutcome;
  short?: OrderOutcome;
  lastTransactionID?: string;
}

export class OandaClient implements BrokerPort {
  readonly http: OandaHttp;
  readonly limiter: OandaLimiter;
  readonly instrumentTable: InstrumentTable;
  readonly #o: OandaClientOptions;
  readonly #log: Logger;
  readonly #clock: Clock;
  readonly #acct: string;

  constructor(o: OandaClientOptions) {
    if (!o.token) throw new Error("OandaClient needs a token (OANDA_TOKEN)");
    if (!o.accountId) throw new Error("OandaClient needs an account id (OANDA_ACCOUNT_ID)");
    this.#o = o;
    this.#log = o.log ?? silentLogger;
    this.#clock = o.clock ?? wallClock;
    this.limiter = o.limiter ?? new OandaLimiter();
    this.instrumentTable = o.instruments ?? new InstrumentTable();
    this.http = new OandaHttp({ baseUrl: o.restUrl.replace(/\/+$/, ""), token: o.token, timeoutMs: o.timeoutMs ?? 10_000, log: this.#log, fetch: o.fetch, retry: o.retry, limiter: this.limiter, random: o.random });
    this.#acct = `/v3/accounts/${encodeURIComponent(o.accountId)}`;
  }

  get accountId(): string {
    return this.#o.accountId;
  }

  // ---------- account ----------

  async accountSummary(signal?: AbortSignal): Promise<AccountSummaryView> {
    const r = await this.http.read(`${this.#acct}/summary`, S.accountSummaryResponse, { signal });
    return this.#summaryView(r.account, r.lastTransactionID);
  }

  async accountDetails(signal?: AbortSignal): Promise<AccountDetails> {
    const r = await this.http.read(this.#acct, S.accountDetailsResponse, { signal });
    return {
      ...this.#summaryView(r.account, r.lastTransactionID),
      positions: r.account.positions.map(toPositionSides).filter((p) => p.long > 0 || p.short > 0),
      trades: r.account.trades.map((t) => ({ id: t.id, instrument: t.instrument, side: t.currentUnits < 0 ? "sell" : "buy", units: Math.abs(t.currentUnits), price: t.price, clientExtensions: t.clientExtensions })),
    };
  }

  #summaryView(a: S.AccountSummary, lastTransactionID: string): AccountSummaryView {
    return {
      id: a.id,
      currency: a.currency,
      balance: a.balance,
      nav: a.NAV,
      unrealizedPL: a.unrealizedPL,
      marginUsed: a.marginUsed,
      marginAvailable: a.marginAvailable,
      marginCloseoutPercent: a.marginCloseoutPercent ?? 0,
      hedgingEnabled: a.hedgingEnabled ?? false,
      lastTransactionID,
      asOf: this.#clock.now(),
    };
  }

  /** The account's tradeable instruments as InstrumentSpecs; also refreshes instrumentTable. */
  async instruments(names?: string[], signal?: AbortSignal): Promise<InstrumentSpec[]> {
    const r = await this.http.read(`${this.#acct}/instruments`, S.instrumentsResponse, { query: { instruments: names?.join(",") }, signal });
    const specs = r.instruments.map((i): InstrumentSpec => {
      const [base = i.name, quote = ""] = i.name.split("_");
      return { name: i.name, base, quote, pipLocation: i.pipLocation, displayPrecision: i.displayPrecision, tradeUnitsPrecision: i.tradeUnitsPrecision, minimumTradeSize: i.minimumTradeSize, marginRate: i.marginRate };
    });
    for (const s of specs) this.instrumentTable.upsert(s);
    return specs;
  }

  /** Open positions as long/short magnitudes (a hedging account holds both sides). */
  async openPositions(signal?: AbortSignal): Promise<PositionSides[]> {
    const r = await this.http.read(`${this.#acct}/openPositions`, S.openPositionsResponse, { signal });
    return r.positions.map(toPositionSides);
  }

  async openTrades(signal?: AbortSignal): Promise<OpenTrade[]> {
    const r = await this.http.read(`${this.#acct}/openTrades`, S.openTradesResponse, { signal });
    return r.trades.map((t) => ({
      id: t.id,
      instrument: t.instrument,
      side: t.currentUnits < 0 || (t.currentUnits === 0 && t.initialUnits < 0) ? "sell" : "buy",
      units: Math.abs(t.currentUnits),
      price: t.price,
      openTime: t.openTime,
      unrealizedPL: t.unrealizedPL,
      marginUsed: t.marginUsed,
      clientExtensions: t.clientExtensions,
      takeProfitPrice: t.takeProfitOrder?.price,
      stopLossPrice: t.stopLossOrder?.price,
    }));
  }

  // ---------- market data ----------

  /** A pricing snapshot; each Tick is stamped with receivedAt on this client's clock. */
  async pricing(instruments: string[], signal?: AbortSignal): Promise<Tick[]> {
    if (instruments.length === 0) return [];
    const r = await this.http.read(`${this.#acct}/pricing`, S.pricingResponse, { query: { instruments: instruments.join(",") }, signal });
    const receivedAt = this.#clock.now();
    return r.prices.flatMap((p) => {
      const t = tickFromPrice(p, receivedAt);
      return t ? [t] : [];
    });
  }

  /**
   * OANDA's own factors converting each currency into the account's home currency
   * (GET /pricing?includeHomeConversions=true), by currency: `positionValue` converts a position's
   * value (the margin factor c for a base currency), `accountLoss`/`accountGain` P/L. Factors
   * OANDA leaves out are absent from the map.
   */
  async homeConversions(instruments: string[], signal?: AbortSignal): Promise<Map<string, { positionValue?: number; accountLoss?: number; accountGain?: number }>> {
    const out = new Map<string, { positionValue?: number; accountLoss?: number; accountGain?: number }>();
    if (instruments.length === 0) return out;
    const r = await this.http.read(`${this.#acct}/pricing`, S.pricingResponse, { query: { instruments: instruments.join(","), includeHomeConversions: "true" }, signal });
    for (const h of r.homeConversions ?? []) out.set(h.currency, { positionValue: h.positionValue, accountLoss: h.accountLoss, accountGain: h.accountGain });
    return out;
  }

  /** Candles (default: M1, bid/ask, 500) for bootstrapping indicators. */
  async candles(instrument: string, o: { granularity?: string; count?: number; price?: string } = {}, signal?: AbortSignal): Promise<CandleBA[]> {
    const r = await this.http.read(`/v3/instruments/${encodeURIComponent(instrument)}/candles`, S.candlesResponse, {
      query: { granularity: o.granularity ?? "M1", count: o.count ?? 500, price: o.price ?? "BA" },
      signal,
    });
    return r.candles.map((c) => ({ time: c.time, bid: ohlc(c.bid), ask: ohlc(c.ask), mid: ohlc(c.mid), volume: c.volume, complete: c.complete }));
  }

  // ---------- orders ----------

  /**
   * Send one MARKET order, exactly once. Never throws for broker answers: fill, cancel and
   * reject are outcomes; no answer (timeout, connection lost, 5xx) is `unknown` and is NOT
   * retried here: look the order up with getOrderByClientId before anything is sent again.
   */
  async createMarketOrder(req: MarketOrderRequest, signal?: AbortSignal): Promise<OrderOutcome> {
    let body;
    try {
      body = toOandaOrderBody(req, this.instrumentTable.get(req.instrument));
    } catch (e) {
      // Bad input: nothing was sent, so this is a definite rejection.
      const msg = e instanceof Error ? e.message : String(e);
      return { kind: "rejected", reason: e instanceof OrderRequestError ? `INVALID_REQUEST: ${msg}` : msg, errorCode: "INVALID_REQUEST", httpStatus: 0, raw: { error: msg } };
    }
    const path = `${this.#acct}/orders`;
    try {
      const res = await this.http.send("POST", path, { body, signal });
      const outcome = outcomeFromOrderResponse(res.status, res.body);
      this.#log.info({ event: "oanda_order", clientId: req.clientId, instrument: req.instrument, units: body.order.units, status: res.status, outcome: outcome.kind, reason: "reason" in outcome ? outcome.reason : undefined });
      return outcome;
    } catch (e) {
      const error = e instanceof OandaNetworkError ? e.message : signal?.aborted ? `aborted: ${String(signal.reason ?? "caller")}` : e instanceof Error ? e.message : String(e);
      this.#log.warn({ event: "oanda_order_unknown", clientId: req.clientId, error }, "order sent without an answer: outcome unknown, not retried");
      return { kind: "unknown", error };
    }
  }

  submitMarketOrder(req: MarketOrderRequest, signal?: AbortSignal): Promise<OrderOutcome> {
    return this.createMarketOrder(req, signal);
  }

  /**
   * What the broker knows of an order by its client id (GET /orders/@<clientId>), with the fill
   * (price, units, trades) or the cancel reason read from the transaction that settled it.
   * Throws on network errors: "could not ask" is not "not found".
   */
  async getOrderByClientId(clientId: string, signal?: AbortSignal): Promise<OrderLookup> {
    let r;
    try {
      r = await this.http.read(`${this.#acct}/orders/@${encodeSpecifier(clientId)}`, S.orderResponse, { signal });
    } catch (e) {
      // 404 ORDER_DOESNT_EXIST means the broker never created it. A 404 about the account is not that.
      // Only OANDA's own JSON 404 (with an errorCode or errorMessage) counts: a proxy's bare 404
      // page proves nothing, and "not found" is what allows an order to be declared never sent.
      if (e instanceof OandaHttpError && e.status === 404 && (e.errorCode || e.errorMessage) && !/ACCOUNT/i.test(`${e.errorCode ?? ""} ${e.errorMessage ?? ""}`)) {
        return { found: false };
      }
      throw e;
    }
    const { order } = r;
    if (order.state === "FILLED" && order.fillingTransactionID) {
      const fill = await this.#transaction(order.fillingTransactionID, S.orderFillTransaction, signal);
      return lookupFromOrder(order, r, fill);
    }
    if (order.state === "CANCELLED" && order.cancellingTransactionID) {
      const cancel = await this.#transaction(order.cancellingTransactionID, S.orderCancelTransaction, signal);
      return lookupFromOrder(order, r, undefined, cancel);
    }
    return lookupFromOrder(order, r);
  }

  lookupOrderByClientId(clientId: string): Promise<OrderLookup> {
    return this.getOrderByClientId(clientId);
  }

  async #transaction<T extends typeof S.orderFillTransaction | typeof S.orderCancelTransaction>(id: string, schema: T, signal?: AbortSignal) {
    const r = await this.http.read(`${this.#acct}/transactions/${encodeURIComponent(id)}`, S.transactionResponse, { signal });
    return this.http.parse("GET", `transactions/${id}`, schema, r.transaction) as ReturnType<T["parse"]>;
  }

  /**
   * Close (part of) a position with PUT /positions/{instrument}/close. A write: sent once.
   * Units are magnitudes or "ALL"; omit a side to leave it open. No answer => both requested
   * sides `unknown` (check openPositions before trying again).
   */
  async closePosition(
    instrument: string,
    o: { longUnits?: number | "ALL"; shortUnits?: number | "ALL"; longClientExtensions?: { id?: string; tag?: string; comment?: string }; shortClientExtensions?: { id?: string; tag?: string; comment?: string } },
    signal?: AbortSignal,
  ): Promise<ClosePositionResult> {
    if (o.longUnits === undefined && o.shortUnits === undefined) throw new Error("closePosition needs longUnits or shortUnits");
    const precision = this.instrumentTable.get(instrument).tradeUnitsPrecision;
    const units = (u: number | "ALL" | undefined) => (u === undefined ? "NONE" : u === "ALL" ? "ALL" : formatUnits(Math.abs(u), precision));
    const path = `${this.#acct}/positions/${encodeURIComponent(instrument)}/close`;
    let res;
    try {
      const ext = { ...(o.longClientExtensions ? { longClientExtensions: o.longClientExtensions } : {}), ...(o.shortClientExtensions ? { shortClientExtensions: o.shortClientExtensions } : {}) };
      res = await this.http.send("PUT", path, { body: { longUnits: units(o.longUnits), shortUnits: units(o.shortUnits), ...ext }, signal });
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      return { long: o.longUnits !== undefined ? { kind: "unknown", error } : undefined, short: o.shortUnits !== undefined ? { kind: "unknown", error } : undefined };
    }
    if (res.status >= 200 && res.status < 300) {
      const b = this.http.parse("PUT", path, S.positionCloseResponse, res.body);
      const side = (fill?: S.OrderFillTransaction, cancel?: S.OrderCancelTransaction): OrderOutcome | undefined =>
        fill ? fillOutcome(fill, res.body, b.lastTransactionID) : cancel ? cancelOutcome(cancel, res.body) : undefined;
      return { long: side(b.longOrderFillTransaction, b.longOrderCancelTransaction), short: side(b.shortOrderFillTransaction, b.shortOrderCancelTransaction), lastTransactionID: b.lastTransactionID };
    }
    const out = outcomeFromOrderResponse(res.status, res.body);
    return { long: o.longUnits !== undefined ? out : undefined, short: o.shortUnits !== undefined ? out : undefined };
  }

  /**
   * Close (part of) one trade with PUT /trades/{tradeId}/close: `units` is a magnitude or "ALL";
   * `tradeId` is OANDA's trade id or `@<clientTradeID>`. A write: sent once, never retried.
   * The answer has the order-create shape, so it maps like createMarketOrder's: filled (the fill
   * names the trade in tradeReduced or tradesClosed), cancelled (e.g. MARKET_HALTED), rejected
   * (400 e.g. CLOSE_TRADE_UNITS_EXCEED_TRADE_SIZE, 404 NO_SUCH_TRADE); no answer is `unknown`:
   * settle it with tradeCloseFills(tradeId, <last transaction id seen before sending>).
   */
  async closeTrade(tradeId: string, units: number | "ALL", signal?: AbortSignal): Promise<OrderOutcome> {
    let unitsText: string;
    try {
      if (!tradeId || tradeId === "@") throw new OrderRequestError("tradeId is empty");
      unitsText = units === "ALL" ? "ALL" : closeUnits(units);
    } catch (e) {
      // Bad input: nothing was sent, so this is a definite rejection.
      const msg = e instanceof Error ? e.message : String(e);
      return { kind: "rejected", reason: `INVALID_REQUEST: ${msg}`, errorCode: "INVALID_REQUEST", httpStatus: 0, raw: { error: msg } };
    }
    const specifier = tradeId.startsWith("@") ? `@${encodeSpecifier(tradeId.slice(1))}` : encodeURIComponent(tradeId);
    const path = `${this.#acct}/trades/${specifier}/close`;
    try {
      const res = await this.http.send("PUT", path, { body: { units: unitsText }, signal });
      const outcome = outcomeFromOrderResponse(res.status, res.body);
      this.#log.info({ event: "oanda_trade_close", tradeId, units: unitsText, status: res.status, outcome: outcome.kind, reason: "reason" in outcome ? outcome.reason : undefined });
      return outcome;
    } catch (e) {
      const error = e instanceof OandaNetworkError ? e.message : signal?.aborted ? `aborted: ${String(signal.reason ?? "caller")}` : e instanceof Error ? e.message : String(e);
      this.#log.warn({ event: "oanda_trade_close_unknown", tradeId, error }, "trade close sent without an answer: outcome unknown, not retried");
      return { kind: "unknown", error };
    }
  }

  /**
   * The fills of trade closes (ORDER_FILL, reason MARKET_ORDER_TRADE_CLOSE) after
   * `sinceTransactionID` whose tradeReduced or tradesClosed name `tradeId`, oldest first. A read:
   * throws when it cannot ask (an empty list means "no such fill", never "could not look").
   * `tradeId` must be OANDA's trade id (fills do not carry client trade ids).
   */
  async tradeCloseFills(tradeId: string, sinceTransactionID: string, signal?: AbortSignal): Promise<Extract<OrderOutcome, { kind: "filled" }>[]> {
    if (!/^\d+$/.test(tradeId)) throw new Error(`tradeCloseFills needs OANDA's numeric trade id (got ${JSON.stringify(tradeId)})`);
    const { transactions, lastTransactionID } = await this.transactionsSinceId(sinceTransactionID, signal);
    return tradeCloseFillsIn(transactions, tradeId, lastTransactionID);
  }

  // ---------- transactions ----------

  /**
   * Every transaction after `id` (exclusive), following pages until lastTransactionID is reached
   * (OANDA may bound one answer).
   */
  async transactionsSinceId(id: string, signal?: AbortSignal): Promise<{ transactions: S.Transaction[]; lastTransactionID: string }> {
    const all: S.Transaction[] = [];
    let since = id;
    for (let page = 0; page < 1000; page++) {
      const r = await this.http.read(`${this.#acct}/transactions/sinceid`, S.transactionsResponse, { query: { id: since }, signal });
      all.push(...r.transactions);
      const last = r.transactions.at(-1)?.id;
      if (!last || BigInt(last) >= BigInt(r.lastTransactionID) || last === since) return { transactions: all, lastTransactionID: r.lastTransactionID };
      since = last;
    }
    throw new Error("transactionsSinceId: too many pages");
  }

  /** Changes and price-dependent state since a transaction (GET /changes). */
  async changes(sinceTransactionID: string, signal?: AbortSignal): Promise<S.ChangesResponse> {
    return this.http.read(`${this.#acct}/changes`, S.changesResponse, { query: { sinceTransactionID }, signal });
  }

  // ---------- streams ----------

  /** A pricing stream sharing this client's credentials, fetch and connection limiter. */
  pricingStream(o: Omit<PricingStreamOptions, "streamUrl" | "token" | "accountId">): PricingStream {
    return new PricingStream({ streamUrl: this.#o.streamUrl, token: this.#o.token, accountId: this.#o.accountId, fetch: this.#o.fetch, log: this.#log, clock: this.#clock, limiter: this.limiter, random: this.#o.random, ...o });
  }

  /** A transaction stream that fills reconnect gaps through this client's transactionsSinceId. */
  transactionStream(o: Omit<TransactionStreamOptions, "streamUrl" | "token" | "accountId" | "gapFill">): TransactionStream {
    return new TransactionStream({
      streamUrl: this.#o.streamUrl, token: this.#o.token, accountId: this.#o.accountId, fetch: this.#o.fetch, log: this.#log, clock: this.#clock, limiter: this.limiter, random: this.#o.random,
      gapFill: (since, signal) => this.transactionsSinceId(since, signal),
      ...o,
    });
  }
}

function ohlc(x: { o: number; h: number; l: number; c: number } | undefined) {
  return x ? { o: x.o, h: x.h, l: x.l, c: x.c } : undefined;
}

export function toPositionSides(p: S.Position): PositionSides {
  return {
    instrument: p.instrument,
    long: Math.abs(p.long.units),
    short: Math.abs(p.short.units),
    avgLongPrice: p.long.averagePrice,
    avgShortPrice: p.short.averagePrice,
    unrealizedPL: p.unrealizedPL,
    marginUsed: p.marginUsed,
  };
}

/** A close's units: a positive magnitude as a plain decimal string (the broker checks precision). */
function closeUnits(u: number): string {
  if (!Number.isFinite(u) || u <= 0) throw new OrderRequestError(`units must be a positive number or "ALL" (got ${u})`);
  let p = 0;
  while (p < 10 && Number(u.toFixed(p)) !== u) p++;
  return formatUnits(u, p);
}

/** Path-encode a client id after "@", keeping ':' (legal in a path segment, common in our ids). */
function encodeSpecifier(clientId: string): string {
  return encodeURIComponent(clientId).replace(/%3A/gi, ":");
}

export { httpError };
