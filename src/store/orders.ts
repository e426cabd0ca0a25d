// The orders repository: the gate's write path (intent before the request leaves, then forward
// status moves) and the readers' query path. Every write is a single statement in autocommit,
// so it is committed (and durable) before the returned promise resolves.
import type { Kysely, Selectable, Updateable } from "kysely";
import { ORDER_STATUSES, type OrderStatus } from "../core/orders.ts";
import type { Clock } from "../core/types.ts";
import { toJsonText } from "./json.ts";
import { statusesBefore, timestampColumn, UNSETTLED_STATUSES } from "./lifecycle.ts";
import type { JournalDB, OrdersTable } from "./tables.ts";
import { isoNow, normaliseIso } from "./time.ts";
import type { JournalScope, NewOrderIntent, OrderFilter, OrderPage, OrderPatch, OrderRow } from "./types.ts";

export const DEFAULT_LIST_LIMIT = 100;
export const MAX_LIST_LIMIT = 10_000;

/** Bad input to the journal: the message says which field and why. Nothing was written. */
export class JournalInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JournalInputError";
  }
}

export function orderFromRow(r: Selectable<OrdersTable>): OrderRow {
  return {
    id: r.id,
    clientId: r.client_id,
    signalId: r.signal_id,
    worker: r.worker,
    strategy: r.strategy,
    pocket: r.pocket,
    instrument: r.instrument,
    side: r.side,
    requestedUnits: r.requested_units,
    filledUnits: r.filled_units,
    reduceOnly: Number(r.reduce_only) === 1,
    positionFill: r.position_fill,
    priceBound: r.price_bound,
    tpPrice: r.tp_price,
    slPrice: r.sl_price,
    status: r.status,
    oandaOrderId: r.oanda_order_id,
    oandaTradeId: r.oanda_trade_id,
    oandaTransactionId: r.oanda_transaction_id,
    fillPrice: r.fill_price,
    cancelReason: r.cancel_reason,
    rejectReason: r.reject_reason,
    errorCode: r.error_code,
    error: r.error,
    note: r.note,
    requestJson: r.request_json,
    responseJson: r.response_json,
    intentAt: r.intent_at,
    submittedAt: r.submitted_at,
    unknownAt: r.unknown_at,
    filledAt: r.filled_at,
    cancelledAt: r.cancelled_at,
    rejectedAt: r.rejected_at,
    reconciledAt: r.reconciled_at,
    updatedAt: r.updated_at,
    accountId: r.account_id ?? null,
    mode: (r.mode as JournalScope["mode"] | null) ?? null,
  };
}

export function patchColumns(p: OrderPatch | undefined): Updateable<OrdersTable> {
  const out: Updateable<OrdersTable> = {};
  if (!p) return out;
  if (p.requestJson !== undefined) out.request_json = toJsonText(p.requestJson);
  if (p.responseJson !== undefined) out.response_json = toJsonText(p.responseJson);
  if (p.filledUnits !== undefined) out.filled_units = finite("filledUnits", p.filledUnits);
  if (p.fillPrice !== undefined) out.fill_price = finite("fillPrice", p.fillPrice);
  if (p.oandaOrderId !== undefined) out.oanda_order_id = p.oandaOrderId;
  if (p.oandaTradeId !== undefined) out.oanda_trade_id = p.oandaTradeId;
  if (p.oandaTransactionId !== undefined) out.oanda_transaction_id = p.oandaTransactionId;
  if (p.cancelReason !== undefined) out.cancel_reason = p.cancelReason;
  if (p.rejectReason !== undefined) out.reject_reason = p.rejectReason;
  if (p.errorCode !== undefined) out.error_code = p.errorCode;
  if (p.error !== undefined) out.error = p.error;
  if (p.note !== undefined) out.note = p.note;
  return out;
}

function finite(field: string, v: number): number {
  if (!Number.isFinite(v)) throw new JournalInputError(`${field} must be a finite number (got ${v})`);
  return v;
}

export function optionalFinite(field: string, v: number | undefined): number | null {
  return v === undefined ? null : finite(field, v);
}

export function validateIntent(o: NewOrderIntent): void {
  for (const f of ["clientId", "signalId", "worker", "strategy", "pocket", "instrument", "positionFill"] as const) {
    if (typeof o[f] !== "string" || o[f].length === 0) throw new JournalInputError(`${f} must be a non-empty string`);
  }
  if (o.side !== "buy" && o.side !== "sell") throw new JournalInputError(`side must be buy or sell (got ${String(o.side)})`);
  if (!Number.isFinite(o.requestedUnits) || o.requestedUnits <= 0) {
    throw new JournalInputError(`requestedUnits must be a positive number (got ${o.requestedUnits})`);
  }
}

export async function findOrderByClientId(db: Kysely<JournalDB>, clientId: string): Promise<OrderRow | undefined> {
  const r = await db.selectFrom("orders").selectAll().where("client_id", "=", clientId).executeTakeFirst();
  return r ? orderFromRow(r) : undefined;
}

/** Orders newest first, filtered; works on the journal and on a pulled replica alike. */
export async function listOrders(db: Kysely<JournalDB>, filter: OrderFilter = {}): Promise<OrderPage> {
  const limit = filter.limit ?? DEFAULT_LIST_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
    throw new JournalInputError(`limit must be a whole number in [1, ${MAX_LIST_LIMIT}] (got ${filter.limit})`);
  }
  let q = db.selectFrom("orders").selectAll();
  if (filter.status !== undefined) {
    if (!(ORDER_STATUSES as readonly string[]).includes(filter.status)) {
      throw new JournalInputError(`status must be one of ${ORDER_STATUSES.join(", ")} (got ${filter.status})`);
    }
    q = q.where("status", "=", filter.status);
  }
  if (filter.instrument !== undefined) q = q.where("instrument", "=", filter.instrument);
  if (filter.accountId !== undefined) q = q.where("account_id", "=", filter.accountId);
  if (filter.mode !== undefined) q = q.where("mode", "=", filter.mode);
  if (filter.since !== undefined) {
    const since = normaliseIso(filter.since);
    if (since === undefined) throw new JournalInputError(`since must be an ISO-8601 time such as 2026-01-31T09:00:00Z (got ${filter.since})`);
    q = q.where("intent_at", ">=", since);
  }
  if (filter.cursor !== undefined) {
    if (!/^[1-9][0-9]{0,15}$/.test(filter.cursor)) throw new JournalInputError(`cursor is not one this journal issued (got ${filter.cursor})`);
    q = q.where("id", "<", Number(filter.cursor));
  }
  const rows = await q.orderBy("id", "desc").limit(limit + 1).execute();
  const page = rows.slice(0, limit).map(orderFromRow);
  const more = rows.length > limit;
  return more ? { rows: page, nextCursor: String(page[page.length - 1]!.id) } : { rows: page };
}

export function ordersRepository(db: Kysely<JournalDB>, clock: Clock, scope?: JournalScope) {
  return {
    async insertIntent(o: NewOrderIntent): Promise<OrderRow> {
      validateIntent(o);
      const now = isoNow(clock);
      await db
        .insertInto("orders")
        .values({
          client_id: o.clientId,
          signal_id: o.signalId,
          worker: o.worker,
          strategy: o.strategy,
          pocket: o.pocket,
          instrument: o.instrument,
          side: o.side,
          requested_units: o.requestedUnits,
          filled_units: null,
          reduce_only: o.reduceOnly ? 1 : 0,
          position_fill: o.positionFill,
          price_bound: optionalFinite("priceBound", o.priceBound),
          tp_price: optionalFinite("tpPrice", o.tpPrice),
          sl_price: optionalFinite("slPrice", o.slPrice),
          status: "intent",
          request_json: toJsonText(o.requestJson),
          intent_at: now,
          updated_at: now,
          account_id: scope?.accountId ?? null,
          mode: scope?.mode ?? null,
        })
        // Idempotent on the client id: a retried or replayed intent keeps the first row intact.
        .onConflict((oc) => oc.column("client_id").doNothing())
        .execute();
      const row = await findOrderByClientId(db, o.clientId);
      if (!row) throw new Error(`order ${o.clientId} was not found right after it was written`);
      return row;
    },

    async advance(clientId: string, to: OrderStatus, patch?: OrderPatch): Promise<OrderRow | undefined> {
      if (!(ORDER_STATUSES as readonly string[]).includes(to)) {
        throw new JournalInputError(`status must be one of ${ORDER_STATUSES.join(", ")} (got ${String(to)})`);
      }
      const from = statusesBefore(to);
      if (from.length > 0) {
        const now = isoNow(clock);
        // One conditional UPDATE: the forward-only rule holds even against a concurrent writer.
        await db
          .updateTable("orders")
          .set({ ...patchColumns(patch), status: to, [timestampColumn(to)]: now, updated_at: now })
          .where("client_id", "=", clientId)
          .where("status", "in", from)
          .execute();
      }
      return findOrderByClientId(db, clientId);
    },

    findByClientId: (clientId: string) => findOrderByClientId(db, clientId),

    /** Every row a signal produced (its entry, or one row per trade it closed), oldest first. */
    async findBySignalId(signalId: string): Promise<OrderRow[]> {
      const rows = await db.selectFrom("orders").selectAll().where("signal_id", "=", signalId).orderBy("id", "asc").execute();
      return rows.map(orderFromRow);
    },

    /** The row that claimed a broker order (its answer, or the ledger, named the order id). */
    async findByOandaOrderId(orderId: string): Promise<OrderRow | undefined> {
      const r = await db.selectFrom("orders").selectAll().where("oanda_order_id", "=", orderId).orderBy("id", "asc").executeTakeFirst();
      return r ? orderFromRow(r) : undefined;
    },

    /** Name the broker order a row's request created, unless a row already has an order id. */
    async claimOandaOrderId(clientId: string, orderId: string): Promise<boolean> {
      const r = await db.updateTable("orders").set({ oanda_order_id: orderId, updated_at: isoNow(clock) })
        .where("client_id", "=", clientId).where("oanda_order_id", "is", null).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },

    /**
     * The broker's ledger settles a row whatever its status: a fill overrides anything but a fill
     * (a fill after `reconciled` is a late fill), a cancel anything but a fill, a cancel or a
     * reject. Returns the row before and after; `before` equal to `after` means nothing changed.
     */
    async settleFromLedger(clientId: string, to: "filled" | "cancelled", patch: OrderPatch): Promise<{ before?: OrderRow; after?: OrderRow }> {
      const before = await findOrderByClientId(db, clientId);
      if (!before) return {};
      const keep: OrderStatus[] = to === "filled" ? ["filled"] : ["filled", "cancelled", "rejected"];
      if (keep.includes(before.status)) return { before, after: before };
      const now = isoNow(clock);
      await db
        .updateTable("orders")
        .set({ ...patchColumns(patch), status: to, [timestampColumn(to)]: now, updated_at: now })
        .where("client_id", "=", clientId)
        .where("status", "not in", keep)
        .execute();
      return { before, after: await findOrderByClientId(db, clientId) };
    },

    list: (filter: OrderFilter) => listOrders(db, filter),

    async unsettled(): Promise<OrderRow[]> {
      const rows = await db.selectFrom("orders").selectAll().where("status", "in", [...UNSETTLED_STATUSES]).orderBy("id", "asc").execute();
      return rows.map(orderFromRow);
    },

    async countByStatus(): Promise<Record<OrderStatus, number>> {
      const rows = await db.selectFrom("orders").select(["status", db.fn.countAll<number>().as("n")]).groupBy("status").execute();
      const out = Object.fromEntries(ORDER_STATUSES.map((s) => [s, 0])) as Record<OrderStatus, number>;
      for (const r of rows) if (r.status in out) out[r.status] = Number(r.n);
      return out;
    },
  };
}

export type OrdersRepository = ReturnType<typeof ordersRepository>;
