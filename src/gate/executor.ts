// Journal the intent, submit, settle; and resolve every order whose fate is unknown before
// anything is sent again. An order is never sent twice: a resubmission reuses the client id,
// so the broker itself refuses a duplicate.
import { type BrokerPort, type MarketOrderRequest, type OrderLookup, type OrderOutcome, type OrderStatus, type TradeClose, UNSETTLED_STATUSES } from "../core/orders.ts";
import type { Clock, Signal } from "../core/types.ts";
import type { Logger } from "../core/log.ts";
import type { AccountState } from "../state/account-state.ts";
import type { GateJournal, GateMetrics, JournalOrderRow } from "./ports.ts";

export interface SettledOrder {
  clientId: string;
  instrument: string;
  side: "buy" | "sell";
  status: OrderStatus;
  outcomeKind: OrderOutcome["kind"] | "lookup";
  units: number;
  filledUnits?: number;
  fillPrice?: number;
  reduceOnly: boolean;
  reason?: string;
}

export interface ExecutorDeps {
  broker: BrokerPort;
  journal: GateJournal;
  account: AccountState;
  clock: Clock;
  log: Logger;
  metrics?: GateMetrics;
  orderTimeoutMs: number;
  sleep?: (ms: number) => Promise<void>;
}

/** Backoff between lookups of an order whose response was lost. */
const LOOKUP_DELAYS_MS = [250, 1000, 3000];

export class OrderExecutor {
  readonly #sleep: (ms: number) => Promise<void>;
  /** Orders this process is executing right now; reconciliation leaves them alone. */
  readonly #inFlight = new Set<string>();
  #reconciling: Promise<void> | undefined;

  constructor(private readonly d: ExecutorDeps) {
    this.#sleep = d.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  async execute(req: MarketOrderRequest, s: Signal, detail: Record<string, unknown>): Promise<SettledOrder> {
    this.#inFlight.add(req.clientId);
    try {
      return await this.#execute(req, s, detail);
    } finally {
      this.#inFlight.delete(req.clientId);
    }
  }

  async #execute(req: MarketOrderRequest, s: Signal, detail: Record<string, unknown>): Promise<SettledOrder> {
    const { journal, account, broker, clock, metrics } = this.d;
    const requestJson = JSON.stringify(req);
    // The intent is committed before a byte of the order leaves the process.
    await journal.orders.insertIntent({
      clientId: req.clientId, signalId: s.id, worker: s.worker, strategy: s.strategy, pocket: s.pocket, instrument: req.instrument,
      side: req.side, requestedUnits: req.units, reduceOnly: req.positionFill === "REDUCE_ONLY", positionFill: req.positionFill,
      priceBound: req.priceBound, tpPrice: req.takeProfitPrice, slPrice: req.stopLossPrice, requestJson,
    });
    account.reserve({ clientId: req.clientId, instrument: req.instrument, side: req.side, units: req.units, reduceOnly: req.positionFill === "REDUCE_ONLY" });
    await journal.orders.advance(req.clientId, "submitted", { requestJson });
    if (s.tickReceivedAt !== undefined) metrics?.tickToSubmit?.(Math.max(0, clock.now() - s.tickReceivedAt) / 1000);
    this.d.log.info({ event: "order_submit", clientId: req.clientId, instrument: req.instrument, side: req.side, units: req.units, positionFill: req.positionFill, priceBound: req.priceBound, detail });

    const outcome = await this.#submit(req);
    if (outcome.kind !== "unknown") return this.#settle(req, outcome);

    await journal.orders.advance(req.clientId, "unknown", { error: outcome.error });
    this.d.log.warn({ event: "order_unknown", clientId: req.clientId, error: outcome.error }, "no answer to an order: looking it up before anything is sent again");
    const resolved = await this.#resolveUnknown(req);
    return resolved ?? this.#result(req, "unknown", "unknown", { reason: outcome.error });
  }

  /**
   * A reduction done trade by trade (sekisho's own trades, when a position-level REDUCE_ONLY
   * order would close a manual trade first). Each close is its own journal row with a client id
   * derived from the signal's; a close whose answer is lost is settled from the fills in the
   * transactions since the last ID seen before it was sent — never by sending it again.
   */
  async executeTradeCloses(base: MarketOrderRequest, legs: TradeClose[], s: Signal, detail: Record<string, unknown>): Promise<SettledOrder> {
    const results: SettledOrder[] = [];
    for (const leg of legs) {
      const req: MarketOrderRequest = { ...base, clientId: `${base.clientId}-t${leg.tradeId}`.slice(0, 128), units: leg.units, positionFill: "REDUCE_ONLY", takeProfitPrice: undefined, stopLossPrice: undefined };
      this.#inFlight.add(req.clientId);
      try {
        results.push(await this.#closeTrade(req, leg, s, detail));
      } finally {
        this.#inFlight.delete(req.clientId);
      }
      if (results.at(-1)!.status !== "filled") break; // do not press on after a refusal or an unknown
    }
    const filled = results.filter((r) => r.status === "filled");
    const last = results.at(-1)!;
    return {
      ...last, clientId: results[0]!.clientId, units: legs.reduce((n, l) => n + l.units, 0),
      filledUnits: filled.reduce((n, r) => n + (r.filledUnits ?? 0), 0), status: filled.length === legs.length ? "filled" : last.status,
    };
  }

  async #closeTrade(req: MarketOrderRequest, leg: TradeClose, s: Signal, detail: Record<string, unknown>): Promise<SettledOrder> {
    const { journal, account, broker } = this.d;
    const sinceTransactionID = account.snapshot()?.lastTransactionID ?? "0";
    const requestJson = JSON.stringify({ tradeClose: { tradeId: leg.tradeId, units: leg.units }, sinceTransactionID });
    await journal.orders.insertIntent({
      clientId: req.clientId, signalId: s.id, worker: s.worker, strategy: s.strategy, pocket: s.pocket, instrument: req.instrument,
      side: req.side, requestedUnits: leg.units, reduceOnly: true, positionFill: TRADE_CLOSE, requestJson,
    });
    account.reserve({ clientId: req.clientId, instrument: req.instrument, side: req.side, units: leg.units, reduceOnly: true });
    await journal.orders.advance(req.clientId, "submitted", { requestJson });
    this.d.log.info({ event: "trade_close_submit", clientId: req.clientId, tradeId: leg.tradeId, units: leg.units, detail });
    let outcome: OrderOutcome;
    try {
      outcome = await broker.closeTrade!(leg.tradeId, leg.units, AbortSignal.timeout(this.d.orderTimeoutMs));
    } catch (e) {
      outcome = { kind: "unknown", error: e instanceof Error ? e.message : String(e) };
    }
    if (outcome.kind !== "unknown") return this.#settle(req, outcome);
    await journal.orders.advance(req.clientId, "unknown", { error: outcome.error });
    for (const delay of LOOKUP_DELAYS_MS) {
      await this.#sleep(delay);
      const fill = await this.#tradeCloseFill(leg.tradeId, sinceTransactionID);
      if (fill) return this.#settle(req, fill, "lookup");
    }
    return this.#result(req, "unknown", "unknown", { reason: outcome.error });
  }

  async #tradeCloseFill(tradeId: string, sinceTransactionID: string): Promise<Extract<OrderOutcome, { kind: "filled" }> | undefined> {
    try {
      return (await this.d.broker.tradeCloseFills?.(tradeId, sinceTransactionID))?.[0];
    } catch (e) {
      this.d.log.warn({ event: "trade_close_lookup_failed", tradeId, err: String(e) });
      return undefined;
    }
  }

  async #submit(req: MarketOrderRequest): Promise<OrderOutcome> {
    try {
      return await this.d.broker.submitMarketOrder(req, AbortSignal.timeout(this.d.orderTimeoutMs));
    } catch (e) {
      // Anything thrown after the request may have left is an unknown, never a failure.
      return { kind: "unknown", error: e instanceof Error ? e.message : String(e) };
    }
  }

  /**
   * Look the order up by client id until the broker answers. Nothing is ever resent from here:
   * an order the broker has not seen may still be on its way, and a second request is exactly
   * the double order this gate exists to prevent. Unresolved orders stay `unknown` (and keep
   * counting as position) until the periodic reconciliation settles them.
   */
  async #resolveUnknown(req: MarketOrderRequest): Promise<SettledOrder | undefined> {
    for (const delay of LOOKUP_DELAYS_MS) {
      await this.#sleep(delay);
      const found = await this.#lookup(req.clientId);
      if (found === "error" || !found.found) continue;
      const settled = await this.#settleLookup(req, found);
      if (settled) return settled;
    }
    return undefined;
  }

  async #lookup(clientId: string): Promise<OrderLookup | "error"> {
    try {
      return await this.d.broker.lookupOrderByClientId(clientId);
    } catch (e) {
      this.d.log.warn({ event: "order_lookup_failed", clientId, err: String(e) });
      return "error";
    }
  }

  async #settleLookup(req: MarketOrderRequest, found: Extract<OrderLookup, { found: true }>): Promise<SettledOrder | undefined> {
    if (found.state === "FILLED" && found.fill) return this.#settle(req, found.fill, "lookup");
    if (found.state === "CANCELLED") {
      return this.#settle(req, { kind: "cancelled", orderId: found.orderId, reason: found.cancelReason ?? "CANCELLED", raw: found.raw }, "lookup");
    }
    return undefined;
  }

  async #settle(req: MarketOrderRequest, o: OrderOutcome, via: "submit" | "lookup" = "submit"): Promise<SettledOrder> {
    const { journal, account, metrics } = this.d;
    const reduce = req.positionFill === "REDUCE_ONLY";
    const responseJson = safeJson(o.kind === "unknown" ? { error: o.error } : o.raw);
    const note = via === "lookup" ? "settled by lookup after a lost response" : undefined;
    let result: SettledOrder;
    switch (o.kind) {
      case "filled":
        account.applyFill(req.instrument, req.side, o.units, o.transactionId, reduce);
        await journal.orders.advance(req.clientId, "filled", {
          responseJson, filledUnits: o.units, fillPrice: o.price, oandaOrderId: o.orderId, oandaTradeId: o.tradeIds[0],
          oandaTransactionId: o.transactionId, note,
        });
        result = this.#result(req, "filled", via === "lookup" ? "lookup" : "filled", { filledUnits: o.units, fillPrice: o.price });
        break;
      case "cancelled":
        await journal.orders.advance(req.clientId, "cancelled", { responseJson, cancelReason: o.reason, oandaOrderId: o.orderId, oandaTransactionId: o.transactionId, note });
        result = this.#result(req, "cancelled", via === "lookup" ? "lookup" : "cancelled", { reason: o.reason });
        break;
      case "rejected":
        await journal.orders.advance(req.clientId, "rejected", { responseJson, rejectReason: o.reason, errorCode: o.errorCode, note });
        result = this.#result(req, "rejected", "rejected", { reason: o.errorCode ?? o.reason });
        break;
      default:
        return this.#result(req, "unknown", "unknown", { reason: o.error });
    }
    account.release(req.clientId);
    metrics?.orderSettled?.(result.status);
    this.d.log.info({ event: "order_settled", clientId: req.clientId, status: result.status, filledUnits: result.filledUnits, fillPrice: result.fillPrice, reason: result.reason });
    return result;
  }

  #result(req: MarketOrderRequest, status: OrderStatus, kind: SettledOrder["outcomeKind"], extra: Partial<SettledOrder>): SettledOrder {
    return { clientId: req.clientId, instrument: req.instrument, side: req.side, status, outcomeKind: kind, units: req.units, reduceOnly: req.positionFill === "REDUCE_ONLY", ...extra };
  }

  /**
   * Restart (and periodic) reconciliation: every intent/submitted/unknown row is settled from
   * what the broker knows. Rows the broker never saw become `reconciled`; nothing is resent.
   * `minAgeMs` leaves recent rows alone (an order may still be on its way to the broker).
   * One pass at a time: two passes settling the same order would apply its fill twice.
   */
  reconcileUnsettled(minAgeMs = 0): Promise<void> {
    this.#reconciling ??= this.#reconcileOnce(minAgeMs).finally(() => {
      this.#reconciling = undefined;
    });
    return this.#reconciling;
  }

  async #reconcileTradeClose(row: JournalOrderRow, req: MarketOrderRequest, minAgeMs: number): Promise<void> {
    let close: { tradeClose?: { tradeId?: string }; sinceTransactionID?: string } = {};
    try {
      close = JSON.parse(row.requestJson ?? "{}");
    } catch { /* an unreadable request is settled below as not executed only when old enough */ }
    const tradeId = close.tradeClose?.tradeId;
    const fill = tradeId ? await this.#tradeCloseFill(tradeId, close.sinceTransactionID ?? "0") : undefined;
    const fresh = await this.d.journal.orders.findByClientId(row.clientId);
    if (!fresh || !UNSETTLED.has(fresh.status) || this.#inFlight.has(row.clientId)) return;
    if (fill) {
      await this.#settle({ ...req, positionFill: "REDUCE_ONLY" }, fill, "lookup");
      return;
    }
    const lastChange = Date.parse(fresh.updatedAt ?? fresh.intentAt ?? "");
    if (minAgeMs > 0 && Number.isFinite(lastChange) && this.d.clock.now() - lastChange < minAgeMs) return;
    await this.d.journal.orders.advance(row.clientId, "reconciled", { note: `was ${fresh.status}; no fill closing trade ${tradeId ?? "?"} at the broker; never executed` });
    this.d.account.release(row.clientId);
  }

  async #reconcileOnce(minAgeMs: number): Promise<void> {
    const rows = await this.d.journal.orders.unsettled();
    for (const listed of rows) {
      if (this.#inFlight.has(listed.clientId)) continue;
      const req = requestFromRow(listed);
      if (listed.positionFill === TRADE_CLOSE) {
        await this.#reconcileTradeClose(listed, req, minAgeMs);
        continue;
      }
      const found = await this.#lookup(listed.clientId);
      // The row may have moved on while we asked (an execution finished): read it again.
      const row = await this.d.journal.orders.findByClientId(listed.clientId);
      if (!row || !UNSETTLED.has(row.status) || this.#inFlight.has(row.clientId)) continue;
      if (found === "error") {
        // Keep it counted as position until the broker can answer.
        if (!this.d.account.reservations().some((r) => r.clientId === row.clientId)) {
          this.d.account.reserve({ clientId: req.clientId, instrument: req.instrument, side: req.side, units: req.units, reduceOnly: req.positionFill === "REDUCE_ONLY" });
        }
        continue;
      }
      if (found.found) {
        const settled = await this.#settleLookup(req, found);
        if (settled) this.d.log.info({ event: "order_reconciled", clientId: row.clientId, status: settled.status });
        continue;
      }
      const lastChange = Date.parse(row.updatedAt ?? row.intentAt ?? "");
      if (minAgeMs > 0 && Number.isFinite(lastChange) && this.d.clock.now() - lastChange < minAgeMs) continue;
      await this.d.journal.orders.advance(row.clientId, "reconciled", { note: `was ${row.status}; not found at the broker; never executed` });
      this.d.account.release(row.clientId);
      this.d.metrics?.orderSettled?.("reconciled");
      this.d.log.info({ event: "order_reconciled", clientId: row.clientId, status: "reconciled", was: row.status });
    }
  }
}

const UNSETTLED = new Set<string>(UNSETTLED_STATUSES);
/** positionFill recorded for legs closed by trade id (PUT /trades/{id}/close). */
export const TRADE_CLOSE = "TRADE_CLOSE";

function requestFromRow(row: JournalOrderRow): MarketOrderRequest {
  return {
    clientId: row.clientId, instrument: row.instrument, side: row.side === "sell" ? "sell" : "buy", units: Number(row.requestedUnits),
    timeInForce: "FOK", positionFill: (row.positionFill as MarketOrderRequest["positionFill"]) ?? "OPEN_ONLY",
    tag: `sekisho:${row.pocket}:${row.strategy}`, comment: "",
  };
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? "null";
  } catch {
    return "\"[unserialisable]\"";
  }
}
