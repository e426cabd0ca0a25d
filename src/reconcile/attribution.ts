// Attribution: every transaction of the broker's ledger that settles an order is matched to the
// journal row of the request that caused it, and settles that row whatever its status.
//
// - ORDER_FILL / ORDER_CANCEL carrying a clientOrderID settle the row of that client id. A fill
//   after the row was given up as never executed (`reconciled`, or `cancelled`/`rejected`) is a
//   *late fill*: the row becomes `filled`, the position and reservations follow, and an alert
//   goes out (error log, metric, /health degraded, a decision row with reason `late_fill`).
// - Trade closes (PUT /trades/{id}/close) carry no client id at OANDA. The MARKET_ORDER the close
//   creates (reason TRADE_CLOSE) is claimed by the one unsettled close row for that trade and
//   those units (the gate sends one close per trade at a time), or, with none waiting, by the one
//   such row given up as never executed (its late fill), and its fill or cancel then settles that
//   row by the claimed order id: never "any close of that trade since".
// - A fill or cancel carrying sekisho's client id prefix (`sk-`) that no row has is *adopted*:
//   the journal lost the row (with JOURNAL_SYNCHRONOUS=normal a power cut may take the last
//   commits, the intent included, after the request left) or another sekisho trades the account.
//   The row is written again from the ledger (the order's own MARKET_ORDER transaction gives its
//   pocket, strategy and position fill) and settled by the fill, the position follows, and an
//   error-level alert says the row was adopted. Only if writing it fails is the fill left
//   `unattributed` (the same alert, saying so).
// - A fill no row claims otherwise is recorded and alerted, never dropped: one the broker made
//   (take profit, stop loss, margin closeout...) is an exit; any other is `manual` (warning: a
//   person traded the account; counted in margin, never touched).
import type { Logger } from "../core/log.ts";
import type { NewDecision, NewOrderIntent } from "../core/journal-records.ts";
import { pocketFromTag } from "../core/tag.ts";
import type { OrderEvent } from "../core/order-events.ts";
import type { Journal, OrderRow, TransactionRow } from "../store/index.ts";
import { positionCloseBase, SEKISHO_CLIENT_ID_PREFIX, signalIdFromClientId, unknownSignalId } from "../core/client-id.ts";
import { readTradeCloseRequest, TRADE_CLOSE } from "../core/trade-close.ts";

export type AttributionKind = "settled" | "late_fill" | "adopted" | "unattributed" | "manual" | "broker_exit";

export interface LedgerAlert {
  kind: "late_fill" | "unattributed" | "manual" | "margin_closeout";
  transactionId: number;
  time: string;
  clientId?: string;
  instrument?: string;
  units?: number;
  message: string;
}

export interface AttributionDeps {
  journal: Pick<Journal, "orders" | "decisions" | "transactions">;
  /**
   * Follows the settlements the ledger finds (late fills, fills and cancels of rows whose answer
   * was lost, adopted rows) as the same order events execution publishes: the account state.
   */
  account: { onOrderEvent(e: OrderEvent): void };
  log: Logger;
  /** Metrics and /health hear of every fill's attribution and every alert. */
  onFill?: (kind: AttributionKind) => void;
  onAlert?: (a: LedgerAlert) => void;
}

/** Fills the broker makes on its own (exits of open trades), by ORDER_FILL reason. */
const BROKER_EXITS = new Set([
  "TAKE_PROFIT_ORDER", "STOP_LOSS_ORDER", "GUARANTEED_STOP_LOSS_ORDER", "TRAILING_STOP_LOSS_ORDER",
  "MARKET_ORDER_MARGIN_CLOSEOUT", "MARKET_ORDER_DELAYED_TRADE_CLOSE",
]);

export class Attributor {
  constructor(private readonly d: AttributionDeps) {}

  /**
   * Attribute one stored transaction. Safe to repeat: a settled row is left as it is, and fills
   * no row claims are alerted only when `fresh` (stored just now, not seen before).
   */
  async onTransaction(tx: TransactionRow, fresh = true): Promise<void> {
    switch (tx.type) {
      case "MARKET_ORDER":
        if (tx.reason === TRADE_CLOSE) await this.#claimTradeClose(tx);
        return;
      case "ORDER_FILL":
        await this.#fill(tx, fresh);
        return;
      case "ORDER_CANCEL":
        await this.#cancel(tx);
        return;
    }
  }

  async #rowFor(tx: TransactionRow): Promise<OrderRow | undefined> {
    const orders = this.d.journal.orders;
    if (tx.clientOrderId) {
      const row = await orders.findByClientId(tx.clientOrderId);
      if (row) return row;
    }
    return tx.orderId ? orders.findByOandaOrderId(tx.orderId) : undefined;
  }

  async #claimTradeClose(tx: TransactionRow): Promise<void> {
    const close = tx.raw.tradeClose as { tradeID?: unknown; units?: unknown } | undefined;
    const tradeId = String(close?.tradeID ?? "");
    if (!tradeId || !tx.orderId) return;
    const orders = this.d.journal.orders;
    if (await orders.findByOandaOrderId(tx.orderId)) return; // its own answer named it already
    // A close of this trade, unclaimed, asking for the units this order asks for (sekisho never
    // closes "ALL"), sent before this order was made.
    const units = Number(close?.units);
    const mine = (r: OrderRow) => {
      if (r.positionFill !== TRADE_CLOSE || r.oandaOrderId) return false;
      const req = readTradeCloseRequest(r.requestJson);
      return req.tradeId === tradeId && (!Number.isFinite(units) || units === r.requestedUnits) && !(Number(req.sinceTransactionID) >= tx.id);
    };
    let candidates = (await orders.unsettled()).filter(mine);
    // None waiting: a close given up as never executed (`reconciled`) that the broker executed
    // after all. It carries no client id at OANDA, so only this claim makes its fill a late fill
    // of its own row rather than a "manual" fill with the row still saying never executed.
    if (candidates.length === 0) candidates = (await orders.list({ status: "reconciled", limit: 200 })).rows.filter(mine);
    if (candidates.length === 1) {
      await orders.claimOandaOrderId(candidates[0]!.clientId, tx.orderId);
      this.d.log.info({ event: "ledger_claim", clientId: candidates[0]!.clientId, orderId: tx.orderId, tradeId }, "trade close matched to its request by the ledger");
    } else if (candidates.length > 1) {
      this.d.log.error({ event: "ledger_ambiguous_close", orderId: tx.orderId, tradeId, candidates: candidates.map((c) => c.clientId) }, "two close requests of one trade are unsettled: not guessing which this is");
    }
  }

  async #fill(tx: TransactionRow, fresh: boolean): Promise<void> {
    const row = await this.#rowFor(tx);
    if (row) return this.#settleFill(row, tx);
    if (tx.clientOrderId?.startsWith(SEKISHO_CLIENT_ID_PREFIX)) {
      const adopted = await this.#adopt(tx);
      if (adopted) return this.#settleFill(adopted, tx, true);
    }
    if (!fresh) return; // recorded and alerted when it was first stored
    const base = { transactionId: tx.id, time: tx.time, instrument: tx.instrument ?? undefined, units: tx.units ?? undefined };
    if (tx.clientOrderId?.startsWith(SEKISHO_CLIENT_ID_PREFIX)) {
      this.d.onFill?.("unattributed");
      const a: LedgerAlert = { ...base, kind: "unattributed", clientId: tx.clientOrderId, message: `fill ${tx.id} carries sekisho's client id ${tx.clientOrderId} but no journal row has it, and it could not be adopted` };
      this.d.log.error({ event: "unattributed_fill", ...a }, a.message);
      this.d.onAlert?.(a);
      await this.#decision({ signalId: `ledger-${tx.id}`, worker: "ledger", strategy: "unattributed", pocket: "manual", tx, reason: "unattributed_fill", clientId: tx.clientOrderId });
      return;
    }
    if (tx.reason && BROKER_EXITS.has(tx.reason)) {
      this.d.onFill?.("broker_exit");
      this.d.log.info({ event: "broker_exit", transactionId: tx.id, reason: tx.reason, instrument: tx.instrument, units: tx.units, pl: tx.pl });
      if (tx.reason === "MARKET_ORDER_MARGIN_CLOSEOUT") {
        const a: LedgerAlert = { ...base, kind: "margin_closeout", message: `the broker closed ${tx.units ?? "?"} ${tx.instrument ?? ""} in a margin closeout (transaction ${tx.id})` };
        this.d.log.error({ event: "margin_closeout", ...a }, a.message);
        this.d.onAlert?.(a);
      }
      return;
    }
    // Placed (or closed) by someone else on the account: counted in margin, never touched.
    this.d.onFill?.("manual");
    const a: LedgerAlert = { ...base, kind: "manual", clientId: tx.clientOrderId ?? undefined, message: `fill ${tx.id} (${tx.reason ?? "?"}) was not placed by sekisho: recorded as manual` };
    this.d.log.warn({ event: "manual_fill", ...a }, a.message);
    this.d.onAlert?.(a);
  }

  async #settleFill(row: OrderRow, tx: TransactionRow, adopted = false): Promise<void> {
    const { journal, account, log } = this.d;
    if (row.status === "filled") {
      if (row.oandaTransactionId !== String(tx.id)) log.warn({ event: "ledger_second_fill", clientId: row.clientId, transactionId: tx.id, first: row.oandaTransactionId }, "a second fill for one order");
      return;
    }
    const units = Math.abs(tx.units ?? 0);
    const side = (tx.units ?? 0) < 0 ? "sell" : "buy";
    const late = row.status === "reconciled" || row.status === "cancelled" || row.status === "rejected";
    const raw = tx.raw as { tradeOpened?: { tradeID?: string }; tradeReduced?: { tradeID?: string }; tradesClosed?: Array<{ tradeID?: string }> };
    const tradeId = raw.tradeOpened?.tradeID ?? raw.tradeReduced?.tradeID ?? raw.tradesClosed?.[0]?.tradeID;
    const note = adopted
      ? `adopted from the broker's ledger: the journal had no row for this client id (lost, e.g. in a power cut); fill ${tx.id}`
      : late ? `late fill: was ${row.status}; the broker's ledger shows fill ${tx.id}` : `settled by the broker's ledger (fill ${tx.id})`;
    const { after } = await journal.orders.settleFromLedger(row.clientId, "filled", {
      filledUnits: units, fillPrice: tx.price ?? undefined, oandaOrderId: tx.orderId ?? undefined, oandaTradeId: tradeId, oandaTransactionId: String(tx.id),
      responseJson: tx.raw, note,
    });
    if (after?.status !== "filled") return;
    // An adopted row's position fill is the order's own; a fill that opened no trade only reduced.
    const reduce = row.reduceOnly || row.positionFill === TRADE_CLOSE || (adopted && !raw.tradeOpened);
    account.onOrderEvent({ type: "filled", clientId: row.clientId, instrument: row.instrument, side, units, transactionId: String(tx.id), reduceOnly: reduce });
    account.onOrderEvent({ type: "released", clientId: row.clientId, status: "filled" });
    this.d.onFill?.(adopted ? "adopted" : late ? "late_fill" : "settled");
    if (!late && !adopted) {
      log.info({ event: "ledger_settled", clientId: row.clientId, was: row.status, transactionId: tx.id, units });
      return;
    }
    const a: LedgerAlert = adopted
      ? {
        kind: "unattributed", transactionId: tx.id, time: tx.time, clientId: row.clientId, instrument: row.instrument, units: tx.units ?? undefined,
        message: `adopted: order ${row.clientId} was missing from the journal (lost after it was sent, e.g. in a power cut) and the broker filled ${units} ${row.instrument} (transaction ${tx.id}); the journal row was written again from the broker's ledger`,
      }
      : {
        kind: "late_fill", transactionId: tx.id, time: tx.time, clientId: row.clientId, instrument: row.instrument, units: tx.units ?? undefined,
        message: `late fill: order ${row.clientId} was ${row.status} but the broker filled ${units} ${row.instrument} (transaction ${tx.id})`,
      };
    log.error({ event: adopted ? "adopted_fill" : "late_fill", ...a }, a.message);
    this.d.onAlert?.(a);
    await this.#decision({
      signalId: row.signalId, worker: row.worker, strategy: row.strategy, pocket: row.pocket, tx, reason: adopted ? "adopted_fill" : "late_fill", clientId: row.clientId,
      was: adopted ? "missing" : row.status,
    });
  }

  /**
   * Write again the row of an order sekisho sent (its client id says so) that the journal lacks,
   * from the ledger: the order's own transaction (MARKET_ORDER) gives pocket, strategy and
   * position fill. Written as `submitted`, for the fill or cancel to settle. The signal id is
   * what the client id says (core/client-id.ts signalIdFromClientId: exact for ids of letters,
   * digits and `_.:-` that fit, as the gate's and workers' do); a client id folded to fit (a
   * signal id too long for 128 characters) cannot be reversed, so the row says its signal is
   * unknown (`unknown:<client id>`) and the client id stays its key: a repeated signal is refused
   * by the client ids it would use (src/gate/gate.ts).
   */
  async #adopt(tx: TransactionRow): Promise<OrderRow | undefined> {
    const clientId = tx.clientOrderId!;
    try {
      const order = tx.orderId ? (await this.d.journal.transactions.byOrderId(tx.orderId)).find((t) => t.id !== tx.id && t.type.endsWith("_ORDER")) : undefined;
      const o = (order?.raw ?? {}) as { positionFill?: string; reason?: string; clientExtensions?: { tag?: string } };
      const { pocket, strategy } = pocketFromTag(o.clientExtensions?.tag);
      const positionClose = o.reason === "POSITION_CLOSEOUT" && /-[LS]$/.test(clientId);
      const positionFill = positionClose ? "REDUCE_ONLY" : o.positionFill ?? "DEFAULT";
      const units = tx.units ?? order?.units ?? 0;
      const base = positionClose ? positionCloseBase(clientId) : clientId;
      const signalId = (base === undefined ? undefined : signalIdFromClientId(base)) ?? unknownSignalId(clientId);
      const intent: NewOrderIntent = {
        clientId, signalId, worker: "ledger", strategy: strategy ?? "adopted", pocket,
        instrument: tx.instrument ?? order?.instrument ?? "?", side: units < 0 ? "sell" : "buy", requestedUnits: Math.abs(units) || 1,
        reduceOnly: positionFill === "REDUCE_ONLY", positionFill, requestJson: order?.raw ?? null,
      };
      const row = await this.d.journal.orders.insertIntent(intent, "submitted");
      this.d.log.warn({ event: "order_adopted", clientId, transactionId: tx.id, orderTransactionId: order?.id ?? null }, "an order sekisho sent was missing from the journal: its row is written again from the broker's ledger");
      return row;
    } catch (e) {
      this.d.log.error({ event: "adopt_failed", clientId, transactionId: tx.id, err: String(e) }, "could not write a missing order's row from the ledger");
      return undefined;
    }
  }

  async #cancel(tx: TransactionRow): Promise<void> {
    // An order that did not execute exposed nothing; one of sekisho's is adopted all the same, so
    // its signal id stays a duplicate key.
    const row = await this.#rowFor(tx) ?? (tx.clientOrderId?.startsWith(SEKISHO_CLIENT_ID_PREFIX) ? await this.#adopt(tx) : undefined);
    if (!row) return;
    const { after } = await this.d.journal.orders.settleFromLedger(row.clientId, "cancelled", {
      cancelReason: tx.reason ?? "CANCELLED", oandaOrderId: tx.orderId ?? undefined, oandaTransactionId: String(tx.id), responseJson: tx.raw,
      note: `settled by the broker's ledger (cancel ${tx.id})`,
    });
    if (after?.status === "cancelled" && row.status !== "cancelled") {
      this.d.account.onOrderEvent({ type: "released", clientId: row.clientId, status: "cancelled" });
      this.d.log.info({ event: "ledger_settled", clientId: row.clientId, was: row.status, status: "cancelled", reason: tx.reason });
    }
  }

  async #decision(o: { signalId: string; worker: string; strategy: string; pocket: string; tx: TransactionRow; reason: string; clientId: string; was?: string }): Promise<void> {
    const units = o.tx.units ?? 0;
    const d: NewDecision = {
      signalId: o.signalId, worker: o.worker, strategy: o.strategy, pocket: o.pocket, instrument: o.tx.instrument ?? "?", side: units < 0 ? "sell" : "buy",
      outcome: "error", reason: o.reason, units: Math.abs(units), clientId: o.clientId,
      detail: { transactionId: o.tx.id, time: o.tx.time, price: o.tx.price, was: o.was ?? null },
    };
    try {
      await this.d.journal.decisions.insert(d);
    } catch (e) {
      this.d.log.error({ event: "journal_error", err: String(e) }, "could not journal a ledger alert");
    }
  }
}
