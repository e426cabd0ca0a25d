// The adapter's execution role, the gate's BrokerPort: MARKET orders, trade and position closes,
// lookups by client id, and the fills of trade closes. Writes are sent exactly once and never
// throw for broker answers: fill, cancel and reject are outcomes; no answer is `unknown`, to be
// settled by a lookup before anything is sent again.
import type { BrokerPort, MarketOrderRequest, OrderLookup, OrderOutcome } from "../core/orders.ts";
import type { OandaContext } from "./config.ts";
import { formatUnits } from "./decimal.ts";
import { OandaHttpError, OandaNetworkError } from "./errors.ts";
import { cancelOutcome, fillOutcome, lookupFromOrder, orderBodyOrRejection, outcomeFromOrderResponse, tradeCloseFillsIn, tradeCloseUnits } from "./order-mapping.ts";
import * as S from "./schemas.ts";
import { errorMessage } from "../core/error-message.ts";

type ClientExtensions = { id?: string; tag?: string; comment?: string };

export interface ClosePositionResult {
  long?: OrderOutcome;
  short?: OrderOutcome;
  lastTransactionID?: string;
}

/** Where tradeCloseFills reads transactions from (the data role). */
export type TransactionsSince = (id: string, signal?: AbortSignal) => Promise<{ transactions: S.Transaction[]; lastTransactionID: string }>;

export class OandaExecution implements BrokerPort {
  constructor(private readonly ctx: OandaContext, private readonly transactionsSinceId: TransactionsSince) {}

  /**
   * Send one MARKET order, exactly once. No answer (timeout, connection lost, 5xx) is `unknown`
   * and is NOT retried here: look the order up with lookupOrderByClientId first.
   */
  async submitMarketOrder(req: MarketOrderRequest, signal?: AbortSignal): Promise<OrderOutcome> {
    const built = orderBodyOrRejection(req, () => this.ctx.instrumentTable.get(req.instrument));
    if ("rejected" in built) return built.rejected;
    const { body } = built;
    try {
      const res = await this.ctx.http.send("POST", `${this.ctx.accountPath}/orders`, { body, signal });
      const outcome = outcomeFromOrderResponse(res.status, res.body);
      this.ctx.log.info({ event: "oanda_order", clientId: req.clientId, instrument: req.instrument, units: body.order.units, status: res.status, outcome: outcome.kind, reason: "reason" in outcome ? outcome.reason : undefined });
      return outcome;
    } catch (e) {
      const error = unanswered(e, signal);
      this.ctx.log.warn({ event: "oanda_order_unknown", clientId: req.clientId, error }, "order sent without an answer: outcome unknown, not retried");
      return { kind: "unknown", error };
    }
  }

  /**
   * The order's request built as submitMarketOrder builds it (body, JSON, the request's bytes),
   * and not sent: the rehearsal of an order (src/gate/rehearsal.ts). Returns the bytes it would
   * write; 0 where the order would be rejected before sending.
   */
  rehearseMarketOrder(req: MarketOrderRequest): number {
    const built = orderBodyOrRejection(req, () => this.ctx.instrumentTable.get(req.instrument));
    return "rejected" in built ? 0 : this.ctx.http.rehearseWrite("POST", `${this.ctx.accountPath}/orders`, built.body);
  }

  /**
   * What the broker knows of an order by its client id (GET /orders/@<clientId>), with the fill
   * (price, units, trades) or the cancel reason read from the transaction that settled it.
   * Throws on network errors: "could not ask" is not "not found".
   */
  async lookupOrderByClientId(clientId: string, signal?: AbortSignal): Promise<OrderLookup> {
    let r;
    try {
      r = await this.ctx.http.read(`${this.ctx.accountPath}/orders/@${encodeSpecifier(clientId)}`, S.orderResponse, { signal });
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
      return lookupFromOrder(order, r, await this.#transaction(order.fillingTransactionID, S.orderFillTransaction, signal));
    }
    if (order.state === "CANCELLED" && order.cancellingTransactionID) {
      return lookupFromOrder(order, r, undefined, await this.#transaction(order.cancellingTransactionID, S.orderCancelTransaction, signal));
    }
    return lookupFromOrder(order, r);
  }

  async #transaction<T extends typeof S.orderFillTransaction | typeof S.orderCancelTransaction>(id: string, schema: T, signal?: AbortSignal) {
    const r = await this.ctx.http.read(`${this.ctx.accountPath}/transactions/${encodeURIComponent(id)}`, S.transactionResponse, { signal });
    return this.ctx.http.parse("GET", `transactions/${id}`, schema, r.transaction) as ReturnType<T["parse"]>;
  }

  /**
   * Close (part of) a position with PUT /positions/{instrument}/close. A write: sent once.
   * Units are magnitudes or "ALL"; omit a side to leave it open. No answer => both requested
   * sides `unknown` (read the account's positions before trying again).
   */
  async closePosition(
    instrument: string,
    o: { longUnits?: number | "ALL"; shortUnits?: number | "ALL"; longClientExtensions?: ClientExtensions; shortClientExtensions?: ClientExtensions },
    signal?: AbortSignal,
  ): Promise<ClosePositionResult> {
    if (o.longUnits === undefined && o.shortUnits === undefined) throw new Error("closePosition needs longUnits or shortUnits");
    const precision = this.ctx.instrumentTable.get(instrument).tradeUnitsPrecision;
    const units = (u: number | "ALL" | undefined) => (u === undefined ? "NONE" : u === "ALL" ? "ALL" : formatUnits(Math.abs(u), precision));
    const path = `${this.ctx.accountPath}/positions/${encodeURIComponent(instrument)}/close`;
    const both = (out: OrderOutcome): ClosePositionResult => ({ long: o.longUnits !== undefined ? out : undefined, short: o.shortUnits !== undefined ? out : undefined });
    let res;
    try {
      const ext = { ...(o.longClientExtensions ? { longClientExtensions: o.longClientExtensions } : {}), ...(o.shortClientExtensions ? { shortClientExtensions: o.shortClientExtensions } : {}) };
      res = await this.ctx.http.send("PUT", path, { body: { longUnits: units(o.longUnits), shortUnits: units(o.shortUnits), ...ext }, signal });
    } catch (e) {
      return both({ kind: "unknown", error: errorMessage(e) });
    }
    if (res.status < 200 || res.status >= 300) return both(outcomeFromOrderResponse(res.status, res.body));
    const b = this.ctx.http.parse("PUT", path, S.positionCloseResponse, res.body);
    const side = (fill?: S.OrderFillTransaction, cancel?: S.OrderCancelTransaction): OrderOutcome | undefined =>
      fill ? fillOutcome(fill, res.body, b.lastTransactionID) : cancel ? cancelOutcome(cancel, res.body) : undefined;
    return { long: side(b.longOrderFillTransaction, b.longOrderCancelTransaction), short: side(b.shortOrderFillTransaction, b.shortOrderCancelTransaction), lastTransactionID: b.lastTransactionID };
  }

  /**
   * Close (part of) one trade with PUT /trades/{tradeId}/close: `units` is a magnitude or "ALL";
   * `tradeId` is OANDA's trade id or `@<clientTradeID>`. A write: sent once, never retried.
   * The answer has the order-create shape, so it maps like submitMarketOrder's: filled (the fill
   * names the trade in tradeReduced or tradesClosed), cancelled (e.g. MARKET_HALTED), rejected
   * (400 e.g. CLOSE_TRADE_UNITS_EXCEED_TRADE_SIZE, 404 NO_SUCH_TRADE); no answer is `unknown`:
   * settle it with tradeCloseFills(tradeId, <last transaction id seen before sending>).
   */
  async closeTrade(tradeId: string, units: number | "ALL", signal?: AbortSignal): Promise<OrderOutcome> {
    const checked = tradeCloseUnits(tradeId, units);
    if ("rejected" in checked) return checked.rejected;
    const unitsText = checked.units;
    const specifier = tradeId.startsWith("@") ? `@${encodeSpecifier(tradeId.slice(1))}` : encodeURIComponent(tradeId);
    try {
      const res = await this.ctx.http.send("PUT", `${this.ctx.accountPath}/trades/${specifier}/close`, { body: { units: unitsText }, signal });
      const outcome = outcomeFromOrderResponse(res.status, res.body);
      this.ctx.log.info({ event: "oanda_trade_close", tradeId, units: unitsText, status: res.status, outcome: outcome.kind, reason: "reason" in outcome ? outcome.reason : undefined });
      return outcome;
    } catch (e) {
      const error = unanswered(e, signal);
      this.ctx.log.warn({ event: "oanda_trade_close_unknown", tradeId, error }, "trade close sent without an answer: outcome unknown, not retried");
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
}

/** Why a sent write has no answer. */
function unanswered(e: unknown, signal?: AbortSignal): string {
  return e instanceof OandaNetworkError ? e.message : signal?.aborted ? `aborted: ${String(signal.reason ?? "caller")}` : errorMessage(e);
}

/** Path-encode a client id after "@", keeping ':' (legal in a path segment, common in our ids). */
function encodeSpecifier(clientId: string): string {
  return encodeURIComponent(clientId).replace(/%3A/gi, ":");
}
