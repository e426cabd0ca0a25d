// The account and run mode a journal writes for. Every row the agent writes carries both (the
// repositories stamp them), journal_accounts lists every account the journal has traded with its
// mode, and rows written before migration 003 are attributed only when that is certain.
import { type Kysely, sql } from "kysely";
import type { Clock } from "../core/types.ts";
import type { JournalDB } from "./tables.ts";
import { isoNow } from "./time.ts";
import type { JournalScope } from "./types.ts";

/** Record (or refresh) the running account and mode in journal_accounts. */
export async function registerScope(db: Kysely<JournalDB>, scope: JournalScope, clock: Clock): Promise<void> {
  const now = isoNow(clock);
  await db.insertInto("journal_accounts")
    .values({ account_id: scope.accountId, mode: scope.mode, first_seen_at: now, last_seen_at: now })
    .onConflict((oc) => oc.columns(["account_id", "mode"]).doUpdateSet({ last_seen_at: now }))
    .execute();
}

/**
 * Rows from before migration 003 have no account or mode. They are given the running ones only
 * when the journal's account snapshots (written since the first version) name this account and
 * no other, and no row was yet written under another account or mode: then they can only be
 * this account's. Otherwise they stay NULL (shown as unknown), never guessed. Returns how many
 * order rows were attributed.
 */
export async function adoptLegacyRows(db: Kysely<JournalDB>, scope: JournalScope): Promise<number> {
  const legacy = await db.selectFrom("orders").select(db.fn.countAll<number>().as("n")).where("account_id", "is", null).executeTakeFirst();
  const snapshotsLegacy = await db.selectFrom("account_snapshots").select(db.fn.countAll<number>().as("n")).where("mode", "is", null).executeTakeFirst();
  if (Number(legacy?.n ?? 0) === 0 && Number(snapshotsLegacy?.n ?? 0) === 0) return 0;
  const accounts = await db.selectFrom("account_snapshots").select("account_id").distinct().execute();
  if (accounts.length !== 1 || accounts[0]!.account_id !== scope.accountId) return 0;
  const others = await db.selectFrom("journal_accounts").select("id")
    .where((eb) => eb.or([eb("account_id", "!=", scope.accountId), eb("mode", "!=", scope.mode)])).executeTakeFirst();
  if (others) return 0;
  let adopted = 0;
  for (const t of ["orders", "decisions", "metrics", "control_actions"] as const) {
    const r = await sql`UPDATE ${sql.table(t)} SET account_id = ${scope.accountId}, mode = ${scope.mode} WHERE account_id IS NULL`.execute(db);
    if (t === "orders") adopted = Number(r.numAffectedRows ?? 0n);
  }
  await sql`UPDATE account_snapshots SET mode = ${scope.mode} WHERE mode IS NULL AND account_id = ${scope.accountId}`.execute(db);
  return adopted;
}

/** Account ids the journal has seen in this mode (for filtering the ledger by mode). */
export async function accountsInMode(db: Kysely<JournalDB>, mode: string): Promise<string[]> {
  const rows = await db.selectFrom("journal_accounts").select("account_id").where("mode", "=", mode).execute();
  return rows.map((r) => r.account_id);
}
