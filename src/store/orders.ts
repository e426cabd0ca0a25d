// The orders repository: the gate's write path (intent before the request leaves, then forward
// status moves) and the order path's lookups; the readers' listing is order-list.ts, and a row's
// columns and fields are order-columns.ts. Every write is a single statement in autocommit,
// so it is committed before the returned promise resolves (durable as the journal's
// JOURNAL_SYNCHRONOUS setting says: see docs/journal.md).
// The statements between a tick and the order's POST (the duplicate check and the intent) skip
// Kysely: fixed SQL text with positional arguments on the port's cached prepared statements, and
// the duplicate check answered from the in-memory id index (order-ids.ts) when there is one. The
// journal's owner skips the intent's statement too: appendIntent makes it a line of the intent log
// (intent-log.ts) and its row is written after the request.
import type { Kysely, Selectable } from "kysely";
import { ORDER_STATUSES, type OrderStatus } from "../core/orders.ts";
import type { Clock } from "../core/types.ts";
import { statusesBefore, timestampColumn, UNSETTLED_STATUSES } from "./lifecycle.ts";
import type { OrderIdIndex } from "./order-ids.ts";
import type { IntentLog } from "./intent-log.ts";
import { clientIdsWithRows, intentRow, validateIntent, writeIntentRow } from "./intent-row.ts";
import type { SqlSession } from "./sql-port.ts";
import { checkStatus, orderFromRow, patchColumns } from "./order-columns.ts";
import { listOrders } from "./order-list.ts";
import type { JournalDB, OrdersTable } from "./tables.ts";
import { isoNow } from "./time.ts";
import type { JournalScope, NewOrderIntent, OrderFilter, OrderPatch, OrderRow } from "./types.ts";

export { JournalInputError } from "./input-error.ts";
export { intentRow } from "./intent-row.ts";
export { checkStatus, orderFromRow, patchColumns } from "./order-columns.ts";
export { DEFAULT_LIST_LIMIT, listOrders, MAX_LIST_LIMIT } from "./order-list.ts";

/** Rows read from SQL and, after them, the logged rows (not written yet) among `logged` that SQL did not return. */
function withLogged(rows: OrderRow[], logged: OrderRow[] | undefined): OrderRow[] {
  if (!logged || logged.length === 0) return rows;
  return [...rows, ...logged.filter((l) => !rows.some((r) => r.clientId === l.clientId))];
}

const SELECT_BY_CLIENT_ID = "SELECT * FROM orders WHERE client_id = ?";
const SELECT_BY_SIGNAL_ID = "SELECT * FROM orders WHERE signal_id = ? ORDER BY id ASC";

/**
 * `session` is the journal's connection under `db`, for the fixed statements of the order path;
 * `ids` the in-memory id index and `intents` the intent log (intent-log.ts), both given only where
 * this process is the journal's one writer.
 */
export function ordersRepository(db: Kysely<JournalDB>, session: SqlSession, clock: Clock, scope?: JournalScope, ids?: OrderIdIndex, intents?: IntentLog) {
  // A logged intent whose row is not written yet is the journal's row all the same.
  const byClientId = async (clientId: string): Promise<OrderRow | undefined> => {
    const logged = intents?.pending(clientId);
    if (logged) return logged;
    const r = (await session.execute(SELECT_BY_CLIENT_ID, [clientId])).rows[0];
    return r ? orderFromRow(r as Selectable<OrdersTable>) : undefined;
  };
  // Before a row is changed, its logged intent (if not written yet) is written: a fill read from
  // the ledger while the row waits for a held write must land on the row, not on nothing.
  const written = async (clientId: string): Promise<void> => {
    if (intents?.has(clientId)) await intents.fold(clientId);
  };
  // Whether a new intent goes to the log (and so what a rehearsal of it builds): a usable log, the
  // id index beside it, and a client id the journal does not know yet.
  const logs = (o: NewOrderIntent): IntentLog | undefined => (intents?.usable && ids && !ids.hasClientId(o.clientId) ? intents : undefined);
  return {
    /**
     * Make a new order's intent durable in the intent log, without SQL, for a caller that writes
     * the request next and then runs `fold` (which writes the journal's row). Undefined where
     * there is no log (a reader, an in-memory journal), the log failed, or the client id is known
     * already: then insertIntent, which keeps the first row under an id.
     */
    appendIntent(o: NewOrderIntent): { fold: () => Promise<void> } | undefined {
      const log = logs(o);
      if (!log) return undefined;
      validateIntent(o); // bad input is refused before anything is written, as insertIntent does
      log.append(o, isoNow(clock), scope);
      ids!.add(o.clientId, o.signalId);
      return { fold: () => log.fold(o.clientId) };
    },

    /**
     * The intent's line built as appendIntent would build it, and nothing written or indexed (the
     * gate's rehearsal, src/gate/rehearsal.ts): its length in bytes, 0 where no log is kept.
     */
    rehearseIntent(o: NewOrderIntent): number {
      const log = logs(o);
      if (!log) return 0;
      validateIntent(o);
      return log.rehearse(o, isoNow(clock), scope);
    },

    /**
     * Write an order's intent, committed before this resolves. `submitted`: the row is written
     * straight as submitted (intent_at = submitted_at), for a caller that sends the request next:
     * one commit between the decision and the request instead of two, and the row still exists
     * before a byte leaves. Either way reconciliation treats the row as "maybe sent".
     */
    async insertIntent(o: NewOrderIntent, status: "intent" | "submitted" = "intent"): Promise<OrderRow> {
      const row = intentRow(o, status, isoNow(clock), scope);
      await written(o.clientId); // a logged row under this id is the first row
      const wrote = await writeIntentRow(session, row);
      ids?.add(o.clientId, o.signalId);
      // Written now: the row is what was just bound (no read back). Already there: read the first.
      if (wrote.rowsAffected === 1 && wrote.lastInsertRowid !== undefined) return { ...row, id: Number(wrote.lastInsertRowid) };
      const first = await byClientId(o.clientId);
      if (!first) throw new Error(`order ${o.clientId} was not found right after it was written`);
      return first;
    },

    async advance(clientId: string, to: OrderStatus, patch?: OrderPatch): Promise<OrderRow | undefined> {
      await written(clientId);
      checkStatus(to);
      const from = statusesBefore(to);
      if (from.length > 0) {
        const now = isoNow(clock);
        // One conditional UPDATE: the forward-only rule holds even against a concurrent writer.
        // Fixed text per (patched columns, status): a settlement is on the way to the next
        // order, so it skips Kysely's compile and reuses the connection's prepared statement.
        const set: Record<string, unknown> = { ...patchColumns(patch), status: to, [timestampColumn(to)]: now, updated_at: now };
        const columns = Object.keys(set);
        await session.execute(
          `UPDATE orders SET ${columns.map((c) => `${c} = ?`).join(", ")} WHERE client_id = ? AND status IN (${from.map(() => "?").join(", ")})`,
          [...columns.map((c) => set[c] ?? null), clientId, ...from],
        );
      }
      return byClientId(clientId);
    },

    /**
     * True when the id index proves the journal has no row under this signal id nor under any of
     * these client ids (logged intents included); false when it cannot (no index: a reader) or a
     * row may exist. Synchronous: the duplicate check of a new signal costs no await.
     */
    provesAbsent(signalId: string, clientIds: readonly string[]): boolean {
      return ids !== undefined && !ids.hasSignalId(signalId) && clientIds.every((c) => !ids.hasClientId(c));
    },

    /** The row with this client id; answered from memory when the id index knows it is absent. */
    async findByClientId(clientId: string): Promise<OrderRow | undefined> {
      if (ids && !ids.hasClientId(clientId)) return undefined;
      return byClientId(clientId);
    },

    /** Every row a signal produced (its entry, or one row per trade it closed), oldest first. */
    async findBySignalId(signalId: string): Promise<OrderRow[]> {
      if (ids && !ids.hasSignalId(signalId)) return [];
      const rows = (await session.execute(SELECT_BY_SIGNAL_ID, [signalId])).rows.map((r) => orderFromRow(r as Selectable<OrdersTable>));
      return withLogged(rows, intents?.pendingOfSignal(signalId));
    },

    /** The row that claimed a broker order (its answer, or the ledger, named the order id). */
    async findByOandaOrderId(orderId: string): Promise<OrderRow | undefined> {
      const r = await db.selectFrom("orders").selectAll().where("oanda_order_id", "=", orderId).orderBy("id", "asc").executeTakeFirst();
      return r ? orderFromRow(r) : undefined;
    },

    /** Name the broker order a row's request created, unless a row already has an order id. */
    async claimOandaOrderId(clientId: string, orderId: string): Promise<boolean> {
      await written(clientId);
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
      await written(clientId);
      const before = await byClientId(clientId);
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
      return { before, after: await byClientId(clientId) };
    },

    list: (filter: OrderFilter) => listOrders(db, filter),

    /** Which of `ids` have a row in the journal (written rows only, not intents still in the log). */
    clientIdsWithRows: (ids: readonly string[]) => clientIdsWithRows(session, ids),

    /** Rows whose fate is open, logged intents not written yet among them (after a failed write). */
    async unsettled(): Promise<OrderRow[]> {
      const rows = (await db.selectFrom("orders").selectAll().where("status", "in", [...UNSETTLED_STATUSES]).orderBy("id", "asc").execute()).map(orderFromRow);
      return withLogged(rows, intents?.pendingRows());
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
