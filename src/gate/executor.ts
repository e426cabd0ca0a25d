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

  execute(req: MarketOrderRequest, s: Signal, detail: Record<string, unknown>): Promise<SettledOrder> {
    return this.#whileInFlight(req.clientId, () => this.#execute(req, s, detail));
  }

  async #whileInFlight<T>(clientId: string, fn: () => Promise<T>): Promise<T> {
    this.#inFlight.add(clientId);
    try {
      return await fn();
    } finally {
      this.#inFlight.delete(clientId);
    }
  }

  /** Intent committed, units reserved, row marked submitted: all before the request leaves. */
  async #journalIntent(req: MarketOrderRequest, s: Signal, positionFill: string, requestJson: string, tradeId?: string): Promise<void> {
    const reduceOnly = req.positionFill === "REDUCE_ONLY";
    await this.d.journal.orders.insertIntent({
      clientId: req.clientId, signalId: s.id, worker: s.worker, strategy: s.strategy, pocket: s.pocket, instrument: req.instrument,
      side: req.side, requestedUnits: req.units, reduceOnly, positionFill,
      priceBound: req.priceBound, tpPrice: req.takeProfitPrice, slPrice: req.stopLossPrice, requestJson,
    });
    this.d.account.reserve({ clientId: req.clientId, instrument: req.instrument, side: req.side, units: req.units, reduceOnly, tradeId });
    await this.d.journal.orders.advance(req.clientId, "submitted", { requestJson });
  }

  async #execute(req: MarketOrderRequest, s: Signal, detail: Record<string, unknown>): Promise<SettledOrder> {
    const { journal, broker, clock, metrics } = this.d;
    // The intent is committed before a byte of the order leaves the process.
    await this.#journalIntent(req, s, req.positionFill, JSON.stringify(req));
    // Monotonic and sub-millisecond when the tick came from a stream in this process.
    if (s.tickReceivedMono !== undefined) metrics?.tickToSubmit?.(Math.max(0, performance.now() - s.tickReceivedMono) / 1000);
    else if (s.tickReceivedAt !== undefined) metrics?.tickToSubmit?.(Math.max(0, clock.now() - s.tickReceivedAt) / 1000);
    this.d.log.info({ event: "order_submit", clientId: req.clientId, instrument: req.instrument, side: req.side, units: req.units, positionFill: req.positionFill, priceBound: req.priceBound, detail });

    const outcome = await this.#send((signal) => broker.submitMarketOrder(req, signal));
    if (outcome.kind !== "unknown") return this.#settle(req, outcome);

    await this.#markUnknown(req.clientId, outcome.error);
    this.d.log.warn({ event: "order_unknown", clientId: req.clientId, error: outcome.error }, "no answer to an order: looking it up before anything is sent again");
    // Looked up by client id until the broker answers; never resent (see #pollLostAnswer).
    const resolved = await this.#pollLostAnswer(async () => {
      const found = await this.#lookup(req.clientId);
      return found === "error" || !found.found ? undefined : this.#settleLookup(req, found);
    });
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
      const req: MarketOrderRequest = { ...base, clientId: `${base.clientId}-t${leg.tradeId}`.slice(0, 128), units: leg.units, positionFill: "REDUCE_ONLY", priceBound: undefined, takeProfitPrice: undefined, stopLossPrice: undefined };
      results.push(await this.#whileInFlight(req.clientId, () => this.#closeTrade(req, leg, s, detail)));
      if (results.at(-1)!.status !== "filled") break; // do not press on after a refusal or an unknown
    }
    const filled = results.filter((r) => r.status === "filled");
    const last = results.at(-1)!;
    return {
      ...last, clientId: results[0]!.clientId, units: legs.reduce((n, l) => n + l.units, 0),
      filledUnits: filled.reduce((n, r) => n + (r.filledUnits ?? 0), 0), status: filled.length === legs.length ? "filled" : last.status,
    };
  }

  /**
   * Both sides of one instrument closed in ONE broker request (PUT /positions/{instrument}/close
   * with longUnits and shortUnits): a halted market or a refusal stops both sides together, so no
   * half-done close can leave |net| or margin above where they were. Each side is its own journal
   * row (client id `<base>-L` / `<base>-S`, named on the broker's order through its client
   * extensions); a lost answer is settled by looking each order up by client id, never resent.
   */
  async executePositionClose(base: MarketOrderRequest, units: { long: number; short: number }, s: Signal, detail: Record<string, unknown>): Promise<SettledOrder> {
    const legs = ([["long", units.long, "sell"], ["short", units.short, "buy"]] as const).filter(([, u]) => u > 0);
    const reqs = legs.map(([side, u, orderSide]): MarketOrderRequest => ({
      ...base, clientId: `${base.clientId.slice(0, 125)}-${side === "long" ? "L" : "S"}`, side: orderSide, units: u, positionFill: "REDUCE_ONLY",
      priceBound: undefined, takeProfitPrice: undefined, stopLossPrice: undefined,
    }));
    for (const r of reqs) this.#inFlight.add(r.clientId);
    try {
      for (const r of reqs) await this.#journalIntent(r, s, "REDUCE_ONLY", JSON.stringify({ ...r, positionClose: { longUnits: units.long, shortUnits: units.short } }));
      this.d.log.info({ event: "position_close_submit", instrument: base.instrument, longUnits: units.long, shortUnits: units.short, clientIds: reqs.map((r) => r.clientId), detail });
      const ext = (r: MarketOrderRequest | undefined) => (r ? { id: r.clientId, tag: r.tag, comment: r.comment } : undefined);
      const longReq = reqs.find((r) => r.side === "sell");
      const shortReq = reqs.find((r) => r.side === "buy");
      let answer: { long?: OrderOutcome; short?: OrderOutcome };
      try {
        answer = await this.d.broker.closePosition!(base.instrument, {
          longUnits: longReq?.units, shortUnits: shortReq?.units, longClientExtensions: ext(longReq), shortClientExtensions: ext(shortReq),
        }, AbortSignal.timeout(this.d.orderTimeoutMs));
      } catch (e) {
        const error = e instanceof Error ? e.message : String(e);
        answer = { long: { kind: "unknown", error }, short: { kind: "unknown", error } };
      }
      const results: SettledOrder[] = [];
      for (const r of reqs) {
        const o = (r.side === "sell" ? answer.long : answer.short) ?? { kind: "unknown" as const, error: "no outcome for this side in the answer" };
        if (o.kind !== "unknown") {
          results.push(await this.#settle(r, o));
          continue;
        }
        await this.#markUnknown(r.clientId, o.error);
        const resolved = await this.#pollLostAnswer(async () => {
          const found = await this.#lookup(r.clientId);
          return found === "error" || !found.found ? undefined : this.#settleLookup(r, found);
        });
        results.push(resolved ?? this.#result(r, "unknown", "unknown", { reason: o.error }));
      }
      const notFilled = results.find((r) => r.status !== "filled");
      return {
        ...(notFilled ?? results[0]!), clientId: base.clientId, units: reqs.reduce((n, r) => n + r.units, 0),
        filledUnits: results.reduce((n, r) => n + (r.filledUnits ?? 0), 0),
      };
    } finally {
      for (const r of reqs) this.#inFlight.delete(r.clientId);
    }
  }

  async #closeTrade(req: MarketOrderRequest, leg: TradeClose, s: Signal, detail: Record<string, unknown>): Promise<SettledOrder> {
    const sinceTransactionID = this.d.account.snapshot()?.lastTransactionID ?? "0";
    await this.#journalIntent(req, s, TRADE_CLOSE, JSON.stringify({ tradeClose: { tradeId: leg.tradeId, units: leg.units }, sinceTransactionID }), leg.tradeId);
    this.d.log.info({ event: "trade_close_submit", clientId: req.clientId, tradeId: leg.tradeId, units: leg.units, detail });
    const outcome = await this.#send((signal) => this.d.broker.closeTrade!(leg.tradeId, leg.units, signal));
    if (outcome.kind !== "unknown") return this.#settle(req, outcome);
    await this.#markUnknown(req.clientId, outcome.error);
    const resolved = await this.#pollLostAnswer(async () => {
      const fill = await this.#tradeCloseFill(req.clientId, leg.tradeId, sinceTransactionID);
      return fill ? this.#settle(req, fill, "lookup") : undefined;
    });
    return resolved ?? this.#result(req, "unknown", "unknown", { reason: outcome.error });
  }

  /** Record that the answer was lost: the order counts at full size until its fate is proven. */
  async #markUnknown(clientId: string, error: string): Promise<void> {
    await this.d.journal.orders.advance(clientId, "unknown", { error });
    this.d.account.markFateUnknown(clientId);
  }

  /**
   * The fill of this close request: a fill closing the trade after the request was journaled,
   * of a broker order no other journal row has claimed (a close is matched by its own order,
   * never by "any close of that trade since"; the gate sends one close per trade at a time).
   */
  async #tradeCloseFill(clientId: string, tradeId: string, sinceTransactionID: string): Promise<Extract<OrderOutcome, { kind: "filled" }> | undefined> {
    try {
      for (const fill of (await this.d.broker.tradeCloseFills?.(tradeId, sinceTransactionID)) ?? []) {
        const owner = await this.d.journal.orders.findByOandaOrderId(fill.orderId);
        if (!owner || owner.clientId === clientId) return fill;
      }
      return undefined;
    } catch (e) {
      this.d.log.warn({ event: "trade_close_lookup_failed", tradeId, err: String(e) });
      return undefined;
    }
  }

  /** One write to the broker, bounded by ORDER_TIMEOUT_MS. */
  async #send(write: (signal: AbortSignal) => Promise<OrderOutcome>): Promise<OrderOutcome> {
    try {
      return await write(AbortSignal.timeout(this.d.orderTimeoutMs));
    } catch (e) {
      // Anything thrown after the request may have left is an unknown, never a failure.
      return { kind: "unknown", error: e instanceof Error ? e.message : String(e) };
    }
  }

  /**
   * Ask the broker what became of a write whose answer was lost, with backoff. Nothing is ever
   * resent from here: an order the broker has not seen may still be on its way, and a second
   * request is exactly the double order this gate exists to prevent. Unresolved orders stay
   * `unknown` (and keep counting as position) until the periodic reconciliation settles them.
   */
  async #pollLostAnswer(settleIfKnown: () => Promise<SettledOrder | undefined>): Promise<SettledOrder | undefined> {
    for (const delay of LOOKUP_DELAYS_MS) {
      await this.#sleep(delay);
      const settled = await settleIfKnown();
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
   * what the broker knows. Rows the broker never saw become `reconciled` once older than
   * `minAgeMs` (ORDER_FATE_HORIZON_SEC: before that the broker may still execute them, so they
   * keep counting at full size); nothing is resent. The ledger settles them sooner when the
   * broker's fill or cancel arrives (src/gate/attribution.ts), a late fill after `reconciled` too.
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
    const fill = tradeId ? await this.#tradeCloseFill(row.clientId, tradeId, close.sinceTransactionID ?? "0") : undefined;
    const fresh = await this.#stillUnsettled(row.clientId);
    if (!fresh) return;
    if (fill) {
      await this.#settle({ ...req, positionFill: "REDUCE_ONLY" }, fill, "lookup");
      return;
    }
    if (this.#tooRecent(fresh, minAgeMs)) {
      this.#keepCounted(fresh, req, tradeId);
      return;
    }
    await this.#markNeverExecuted(fresh, `no fill closing trade ${tradeId ?? "?"} at the broker ${Math.round(minAgeMs / 1000)} s after the request`);
  }

  /** The row as it is now, if it still waits for an outcome and no execution holds it. */
  async #stillUnsettled(clientId: string): Promise<JournalOrderRow | undefined> {
    const row = await this.d.journal.orders.findByClientId(clientId);
    return row && UNSETTLED.has(row.status) && !this.#inFlight.has(clientId) ? row : undefined;
  }

  /**
   * Still inside the fate horizon: the broker may yet execute the request. Measured from the
   * row's last change (when the answer was given up on, or the intent if nothing followed),
   * which is no earlier than the request's last byte.
   */
  #tooRecent(row: JournalOrderRow, minAgeMs: number): boolean {
    const lastChange = Date.parse(row.updatedAt ?? row.intentAt ?? "");
    return minAgeMs > 0 && (!Number.isFinite(lastChange) || this.d.clock.now() - lastChange < minAgeMs);
  }

  /** An order whose fate is still unknown keeps counting at full size (after a restart too). */
  #keepCounted(row: JournalOrderRow, req: MarketOrderRequest, tradeId?: string): void {
    const account = this.d.account;
    if (!account.reservations().some((r) => r.clientId === row.clientId)) {
      account.reserve({ clientId: req.clientId, instrument: req.instrument, side: req.side, units: req.units, reduceOnly: req.positionFill === "REDUCE_ONLY" || row.positionFill === TRADE_CLOSE, tradeId });
    }
    account.markFateUnknown(row.clientId);
  }

  async #markNeverExecuted(row: JournalOrderRow, why: string): Promise<void> {
    await this.d.journal.orders.advance(row.clientId, "reconciled", { note: `was ${row.status}; ${why}; never executed` });
    this.d.account.release(row.clientId);
    this.d.metrics?.orderSettled?.("reconciled");
    this.d.log.info({ event: "order_reconciled", clientId: row.clientId, status: "reconciled", was: row.status });
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
      const row = await this.#stillUnsettled(listed.clientId);
      if (!row) continue;
      if (found === "error") {
        // Keep it counted as position until the broker can answer.
        this.#keepCounted(row, req);
        continue;
      }
      if (found.found) {
        const settled = await this.#settleLookup(req, found);
        if (settled) this.d.log.info({ event: "order_reconciled", clientId: row.clientId, status: settled.status });
        else this.#keepCounted(row, req);
        continue;
      }
      if (this.#tooRecent(row, minAgeMs)) {
        this.#keepCounted(row, req);
        continue;
      }
      await this.#markNeverExecuted(row, `not found at the broker ${Math.round(minAgeMs / 1000)} s after the request`);
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
