// The rows a client id's closes by trade id can be (`<clientId>-t<tradeId>`), found by the client
// id they start with: for a client id folded into a hash, which does not say its signal id.
import type { Kysely } from "kysely";
import { orderFromRow } from "./order-columns.ts";
import type { JournalDB } from "./tables.ts";
import type { OrderRow } from "./types.ts";

/** Rows whose client id starts with `<base>-t`: a range on the client_id index (`u` follows `t`). */
export async function tradeCloseCandidates(db: Kysely<JournalDB>, base: string): Promise<OrderRow[]> {
  const rows = await db.selectFrom("orders").selectAll().where("client_id", ">=", `${base}-t`).where("client_id", "<", `${base}-u`).orderBy("id", "asc").execute();
  return rows.map(orderFromRow);
}
