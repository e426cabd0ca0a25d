// The readers' query of the orders: newest first, filtered, in pages with a cursor. It runs on
// the journal (`sekisho orders`, GET /orders) and on a pulled replica alike.
import type { Kysely } from "kysely";
import { JournalInputError } from "./input-error.ts";
import { checkStatus, orderFromRow } from "./order-columns.ts";
import type { JournalDB } from "./tables.ts";
import { normaliseIso } from "./time.ts";
import type { OrderFilter, OrderPage, OrderRow } from "./types.ts";

export const DEFAULT_LIST_LIMIT = 100;
export const MAX_LIST_LIMIT = 10_000;

/**
 * Where a page ends: the last row's intent time and id. Pages follow the listing's order, by time
 * then id, so a cursor also holds in a replica where several journals' ids interleave.
 */
const cursorOf = (r: OrderRow): string => `${r.intentAt}_${r.id}`;

function parseCursor(cursor: string): { intentAt: string; id: number } {
  const m = /^(.{1,64})_([1-9][0-9]{0,15})$/.exec(cursor);
  if (!m || normaliseIso(m[1]!) === undefined) throw new JournalInputError(`cursor is not one this journal issued (got ${cursor})`);
  return { intentAt: m[1]!, id: Number(m[2]) };
}

/**
 * Orders newest first (by intent time, then id), filtered; works on the journal and on a pulled
 * replica alike. In a replica several agents' journals each number their rows from 1, so the
 * local id alone would interleave them; the time orders them as they happened.
 */
export async function listOrders(db: Kysely<JournalDB>, filter: OrderFilter = {}): Promise<OrderPage> {
  const limit = filter.limit ?? DEFAULT_LIST_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
    throw new JournalInputError(`limit must be a whole number in [1, ${MAX_LIST_LIMIT}] (got ${filter.limit})`);
  }
  let q = db.selectFrom("orders").selectAll();
  if (filter.status !== undefined) {
    checkStatus(filter.status);
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
    const after = parseCursor(filter.cursor);
    q = q.where((eb) => eb.or([eb("intent_at", "<", after.intentAt), eb.and([eb("intent_at", "=", after.intentAt), eb("id", "<", after.id)])]));
  }
  const rows = await q.orderBy("intent_at", "desc").orderBy("id", "desc").limit(limit + 1).execute();
  const page = rows.slice(0, limit).map(orderFromRow);
  const more = rows.length > limit;
  return more ? { rows: page, nextCursor: cursorOf(page[page.length - 1]!) } : { rows: page };
}
