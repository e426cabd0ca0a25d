// An order's intent as the row it is written as, and the one statement that writes it: shared by
// the orders repository, the intent log's recovery (intent-log.ts) and replay's memory journal,
// so all of them hold the same row.
import type { SqlResult, SqlSession } from "./sql-port.ts";
import type { OrdersTable } from "./tables.ts";
import type { JournalScope, NewOrderIntent, OrderRow } from "./types.ts";
import { JournalInputError, optionalFinite } from "./input-error.ts";
import { toJsonText } from "./json.ts";

/** The intent's names, side and units (its prices are checked where they are read: optionalFinite). */
function checkNamesAndUnits(o: NewOrderIntent): void {
  for (const f of ["clientId", "signalId", "worker", "strategy", "pocket", "instrument", "positionFill"] as const) {
    if (typeof o[f] !== "string" || o[f].length === 0) throw new JournalInputError(`${f} must be a non-empty string`);
  }
  if (o.side !== "buy" && o.side !== "sell") throw new JournalInputError(`side must be buy or sell (got ${String(o.side)})`);
  if (!Number.isFinite(o.requestedUnits) || o.requestedUnits <= 0) {
    throw new JournalInputError(`requestedUnits must be a positive number (got ${o.requestedUnits})`);
  }
}

/** Everything intentRow() would refuse, refused without building the row (JournalInputError naming the field). */
export function validateIntent(o: NewOrderIntent): void {
  checkNamesAndUnits(o);
  optionalFinite("priceBound", o.priceBound);
  optionalFinite("tpPrice", o.tpPrice);
  optionalFinite("slPrice", o.slPrice);
}

/**
 * An order's intent as the row it is written as, `id` 0 until the journal gives it one. Bad input
 * throws JournalInputError naming the field, before anything is written.
 */
export function intentRow(o: NewOrderIntent, status: "intent" | "submitted", now: string, scope: JournalScope | undefined): OrderRow {
  checkNamesAndUnits(o);
  return {
    id: 0, clientId: o.clientId, signalId: o.signalId, worker: o.worker, strategy: o.strategy, pocket: o.pocket,
    instrument: o.instrument, side: o.side, requestedUnits: o.requestedUnits, filledUnits: null, reduceOnly: Boolean(o.reduceOnly),
    positionFill: o.positionFill, priceBound: optionalFinite("priceBound", o.priceBound), tpPrice: optionalFinite("tpPrice", o.tpPrice),
    slPrice: optionalFinite("slPrice", o.slPrice), status, oandaOrderId: null, oandaTradeId: null, oandaTransactionId: null,
    fillPrice: null, cancelReason: null, rejectReason: null, errorCode: null, error: null, note: null, requestJson: toJsonText(o.requestJson),
    responseJson: null, intentAt: now, submittedAt: status === "submitted" ? now : null, unknownAt: null, filledAt: null, cancelledAt: null,
    rejectedAt: null, reconciledAt: null, updatedAt: now, accountId: scope?.accountId ?? null, mode: scope?.mode ?? null,
  };
}

/** The columns an intent row is written with (the rest start NULL), and the row field each holds. */
export const INTENT_FIELDS = {
  client_id: "clientId", signal_id: "signalId", worker: "worker", strategy: "strategy", pocket: "pocket", instrument: "instrument", side: "side",
  requested_units: "requestedUnits", reduce_only: "reduceOnly", position_fill: "positionFill", price_bound: "priceBound", tp_price: "tpPrice",
  sl_price: "slPrice", status: "status", request_json: "requestJson", intent_at: "intentAt", submitted_at: "submittedAt", updated_at: "updatedAt",
  account_id: "accountId", mode: "mode",
} as const satisfies Partial<Record<keyof OrdersTable, keyof OrderRow>>;
const INTENT_COLUMNS = Object.keys(INTENT_FIELDS);
const INTENT_ROW_FIELDS = Object.values(INTENT_FIELDS);
/** INSERT_INTENT's arguments, in its placeholders' order; SQLite has no boolean (reduce_only is 0 or 1). */
const intentArgs = (row: OrderRow): unknown[] => INTENT_ROW_FIELDS.map((f) => (f === "reduceOnly" ? (row.reduceOnly ? 1 : 0) : row[f]));
// Idempotent on the client id: a retried or replayed intent keeps the first row intact.
const INSERT_INTENT = `INSERT INTO orders (${INTENT_COLUMNS.join(", ")}) VALUES (${INTENT_COLUMNS.map(() => "?").join(", ")}) ON CONFLICT (client_id) DO NOTHING`;

/** Write the intent row, committed when this resolves; a row already under its client id is kept (rowsAffected 0). */
export function writeIntentRow(session: SqlSession, row: OrderRow): Promise<SqlResult> {
  return session.execute(INSERT_INTENT, intentArgs(row));
}

/**
 * Which of `ids` the journal has an order row for: intent-log recovery (before it inserts) and
 * the readers' warning about logged intents without a row.
 */
export async function clientIdsWithRows(session: SqlSession, ids: readonly string[]): Promise<Set<string>> {
  const present = new Set<string>();
  // Within SQLite's default limit of bound parameters (999 before 3.32).
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const r = await session.execute(`SELECT client_id FROM orders WHERE client_id IN (${chunk.map(() => "?").join(", ")})`, chunk);
    for (const row of r.rows) present.add(String(row.client_id));
  }
  return present;
}
