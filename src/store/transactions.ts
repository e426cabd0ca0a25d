// The broker's ledger: every OANDA transaction of the account, stored once by its id. Appending
// is idempotent (the same transaction from the stream and from a gap fill is one row), and the
// cursor says up to which id the ledger is known to be complete, so a restart fills the gap from
// there with sinceid and nothing is lost or stored twice. Typed columns answer the common
// questions (fills of a client order id, closes of a trade, P/L, financing); raw_json keeps the
// rest exactly as OANDA sent it.
import type { Kysely, Selectable } from "kysely";
import type { Clock } from "../core/types.ts";
import type { JournalDB, TransactionsTable } from "./tables.ts";
import { isoNow } from "./time.ts";

/** A transaction as OANDA sends it: id, type and time are certain, the rest depends on the type. */
export interface LedgerTransaction {
  id: string;
  type: string;
  time: string;
  [field: string]: unknown;
}

export interface TransactionRow {
  id: number;
  accountId: string;
  type: string;
  time: string;
  instrument: string | null;
  units: number | null;
  price: number | null;
  orderId: string | null;
  clientOrderId: string | null;
  batchId: string | null;
  reason: string | null;
  pl: number | null;
  financing: number | null;
  commission: number | null;
  accountBalance: number | null;
  /** The transaction exactly as received. */
  raw: LedgerTransaction;
  receivedAt: string;
}

const num = (v: unknown): number | null => {
  if (typeof v !== "string" && typeof v !== "number") return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};
const str = (v: unknown): string | null => (typeof v === "string" && v.length > 0 ? v : typeof v === "number" ? String(v) : null);
const obj = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === "object" ? (v as Record<string, unknown>) : undefined);

/**
 * The typed columns of one transaction. Order-creating transactions (MARKET_ORDER, LIMIT_ORDER,
 * TAKE_PROFIT_ORDER, ...) are their order: order_id is their own id and client_order_id the
 * order's clientExtensions.id; fills and cancels name their order in orderID/clientOrderID.
 */
export function transactionColumns(accountId: string, tx: LedgerTransaction, receivedAt: string): TransactionsTable {
  const id = Number(tx.id);
  if (!Number.isSafeInteger(id) || id <= 0) throw new Error(`transaction id must be a positive integer (got ${String(tx.id)})`);
  const isOrder = /_ORDER$/.test(tx.type);
  return {
    id,
    account_id: accountId,
    type: tx.type,
    time: String(tx.time),
    instrument: str(tx.instrument),
    units: num(tx.units),
    price: num(tx.price) ?? num(tx.fullVWAP),
    order_id: str(tx.orderID) ?? (isOrder ? tx.id : null),
    client_order_id: str(tx.clientOrderID) ?? str(obj(tx.clientExtensions)?.id),
    batch_id: str(tx.batchID),
    reason: str(tx.reason) ?? str(tx.rejectReason),
    pl: num(tx.pl),
    financing: num(tx.financing),
    commission: num(tx.commission),
    account_balance: num(tx.accountBalance),
    raw_json: JSON.stringify(tx),
    received_at: receivedAt,
  };
}

export function transactionFromRow(r: Selectable<TransactionsTable>): TransactionRow {
  let raw: LedgerTransaction;
  try {
    raw = JSON.parse(r.raw_json) as LedgerTransaction;
  } catch {
    raw = { id: String(r.id), type: r.type, time: r.time };
  }
  return {
    id: r.id, accountId: r.account_id, type: r.type, time: r.time, instrument: r.instrument, units: r.units, price: r.price,
    orderId: r.order_id, clientOrderId: r.client_order_id, batchId: r.batch_id, reason: r.reason, pl: r.pl, financing: r.financing,
    commission: r.commission, accountBalance: r.account_balance, raw, receivedAt: r.received_at,
  };
}

const MAX_TRANSACTION_PAGE = 10_000;

export function transactionsRepository(db: Kysely<JournalDB>, clock: Clock) {
  const page = (limit: number | undefined) => Math.max(1, Math.min(MAX_TRANSACTION_PAGE, Math.trunc(limit ?? 1000)));
  return {
    /**
     * Store transactions not stored yet; returns the ones that were new, in id order. Storing
     * the same transaction again (stream and gap fill, a restart) is a no-op.
     */
    async append(accountId: string, txs: readonly LedgerTransaction[]): Promise<TransactionRow[]> {
      const receivedAt = isoNow(clock);
      const fresh: TransactionRow[] = [];
      for (const tx of [...txs].sort((a, b) => Number(a.id) - Number(b.id))) {
        const cols = transactionColumns(accountId, tx, receivedAt);
        const r = await db.insertInto("transactions").values(cols).onConflict((oc) => oc.column("id").doNothing()).executeTakeFirst();
        if (Number(r.numInsertedOrUpdatedRows ?? 0n) > 0) fresh.push(transactionFromRow(cols));
      }
      return fresh;
    },

    async get(id: number | string): Promise<TransactionRow | undefined> {
      const r = await db.selectFrom("transactions").selectAll().where("id", "=", Number(id)).executeTakeFirst();
      return r ? transactionFromRow(r) : undefined;
    },

    /** Transactions with id > afterId, oldest first. */
    async since(afterId: number | string, limit?: number): Promise<TransactionRow[]> {
      const rows = await db.selectFrom("transactions").selectAll().where("id", ">", Number(afterId)).orderBy("id", "asc").limit(page(limit)).execute();
      return rows.map(transactionFromRow);
    },

    /** Transactions with from <= id <= to, oldest first. */
    async range(from: number | string, to: number | string, limit?: number): Promise<TransactionRow[]> {
      const rows = await db.selectFrom("transactions").selectAll().where("id", ">=", Number(from)).where("id", "<=", Number(to))
        .orderBy("id", "asc").limit(page(limit)).execute();
      return rows.map(transactionFromRow);
    },

    /** Every transaction naming this client order id (the order, its fill or cancel), oldest first. */
    async byClientOrderId(clientOrderId: string): Promise<TransactionRow[]> {
      const rows = await db.selectFrom("transactions").selectAll().where("client_order_id", "=", clientOrderId).orderBy("id", "asc").execute();
      return rows.map(transactionFromRow);
    },

    /** Every transaction of one broker order (its creation, fill or cancel), oldest first. */
    async byOrderId(orderId: string): Promise<TransactionRow[]> {
      const rows = await db.selectFrom("transactions").selectAll().where("order_id", "=", orderId).orderBy("id", "asc").execute();
      return rows.map(transactionFromRow);
    },

    /** Highest id stored (0 when empty). */
    async maxId(): Promise<number> {
      const r = await db.selectFrom("transactions").select(db.fn.max("id").as("m")).executeTakeFirst();
      return Number(r?.m ?? 0);
    },

    /** Every transaction up to this id is stored (undefined before the first ingest). */
    async cursor(accountId: string): Promise<number | undefined> {
      const r = await db.selectFrom("ledger_cursor").select("last_transaction_id").where("account_id", "=", accountId).executeTakeFirst();
      return r ? Number(r.last_transaction_id) : undefined;
    },

    /** Move the cursor forward (never back). */
    async setCursor(accountId: string, id: number | string): Promise<void> {
      const n = Number(id);
      if (!Number.isSafeInteger(n) || n < 0) throw new Error(`ledger cursor must be a whole number (got ${String(id)})`);
      const now = isoNow(clock);
      await db.insertInto("ledger_cursor").values({ account_id: accountId, last_transaction_id: n, updated_at: now })
        .onConflict((oc) => oc.column("account_id").doUpdateSet({ last_transaction_id: n, updated_at: now }).where("ledger_cursor.last_transaction_id", "<", n))
        .execute();
    },
  };
}

export type TransactionsRepository = ReturnType<typeof transactionsRepository>;
