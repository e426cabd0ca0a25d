// Schema migrations, listed statically so they are compiled into the single binary (no directory
// scanning). Kysely's Migrator records what ran in kysely_migration, so running them at every
// start is safe. Never edit a released migration: add the next one. One file on purpose: it is
// the journal schema's history, read top to bottom, with the one function that applies it.
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from "kysely";
import { errorMessage } from "../core/error-message.ts";

/** Triggers that stamp every insert, update and delete with the next change sequence number. */
async function addChangeTriggers(db: Kysely<any>, table: string): Promise<void> {
  for (const [event, ref] of [["INSERT", "NEW"], ["UPDATE", "NEW"], ["DELETE", "OLD"]] as const) {
    const name = `${table}_change_${event.toLowerCase()}`;
    await sql`
      CREATE TRIGGER IF NOT EXISTS ${sql.id(name)} AFTER ${sql.raw(event)} ON ${sql.table(table)}
      BEGIN
        UPDATE change_counter SET seq = seq + 1 WHERE id = 1;
        INSERT OR REPLACE INTO changes (seq, tbl, row_id)
          SELECT seq, ${sql.lit(table)}, ${sql.raw(ref)}.id FROM change_counter WHERE id = 1;
      END`.execute(db);
  }
}

const m001_journal: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable("orders")
      .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
      .addColumn("client_id", "text", (c) => c.notNull().unique())
      .addColumn("signal_id", "text", (c) => c.notNull())
      .addColumn("worker", "text", (c) => c.notNull())
      .addColumn("strategy", "text", (c) => c.notNull())
      .addColumn("pocket", "text", (c) => c.notNull())
      .addColumn("instrument", "text", (c) => c.notNull())
      .addColumn("side", "text", (c) => c.notNull().check(sql`side IN ('buy', 'sell')`))
      .addColumn("requested_units", "real", (c) => c.notNull())
      .addColumn("filled_units", "real")
      .addColumn("reduce_only", "integer", (c) => c.notNull())
      .addColumn("position_fill", "text", (c) => c.notNull())
      .addColumn("price_bound", "real")
      .addColumn("tp_price", "real")
      .addColumn("sl_price", "real")
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("oanda_order_id", "text")
      .addColumn("oanda_trade_id", "text")
      .addColumn("oanda_transaction_id", "text")
      .addColumn("fill_price", "real")
      .addColumn("cancel_reason", "text")
      .addColumn("reject_reason", "text")
      .addColumn("error_code", "text")
      .addColumn("error", "text")
      .addColumn("note", "text")
      .addColumn("request_json", "text")
      .addColumn("response_json", "text")
      .addColumn("intent_at", "text", (c) => c.notNull())
      .addColumn("submitted_at", "text")
      .addColumn("unknown_at", "text")
      .addColumn("filled_at", "text")
      .addColumn("cancelled_at", "text")
      .addColumn("rejected_at", "text")
      .addColumn("reconciled_at", "text")
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("orders_status").on("orders").column("status").execute();
    await db.schema.createIndex("orders_instrument_intent_at").on("orders").columns(["instrument", "intent_at"]).execute();
    await db.schema.createIndex("orders_intent_at").on("orders").column("intent_at").execute();
    await db.schema.createIndex("orders_signal_id").on("orders").column("signal_id").execute();

    await db.schema
      .createTable("decisions")
      .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
      .addColumn("ts", "text", (c) => c.notNull())
      .addColumn("signal_id", "text", (c) => c.notNull())
      .addColumn("worker", "text", (c) => c.notNull())
      .addColumn("strategy", "text", (c) => c.notNull())
      .addColumn("pocket", "text", (c) => c.notNull())
      .addColumn("instrument", "text", (c) => c.notNull())
      .addColumn("side", "text", (c) => c.notNull())
      .addColumn("outcome", "text", (c) => c.notNull().check(sql`outcome IN ('accepted', 'skipped', 'error')`))
      .addColumn("reason", "text")
      .addColumn("units", "real")
      .addColumn("detail_json", "text")
      .addColumn("client_id", "text")
      .execute();
    await db.schema.createIndex("decisions_ts").on("decisions").column("ts").execute();
    await db.schema.createIndex("decisions_signal_id").on("decisions").column("signal_id").execute();

    await db.schema
      .createTable("metrics")
      .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
      .addColumn("ts", "text", (c) => c.notNull())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("value", "real", (c) => c.notNull())
      .addColumn("tags_json", "text")
      .execute();
    await db.schema.createIndex("metrics_name_ts").on("metrics").columns(["name", "ts"]).execute();
    await db.schema.createIndex("metrics_ts").on("metrics").column("ts").execute();

    await db.schema
      .createTable("account_snapshots")
      .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
      .addColumn("ts", "text", (c) => c.notNull())
      .addColumn("account_id", "text", (c) => c.notNull())
      .addColumn("currency", "text", (c) => c.notNull())
      .addColumn("balance", "real", (c) => c.notNull())
      .addColumn("nav", "real", (c) => c.notNull())
      .addColumn("unrealized_pl", "real", (c) => c.notNull())
      .addColumn("margin_used", "real", (c) => c.notNull())
      .addColumn("margin_available", "real", (c) => c.notNull())
      .addColumn("margin_closeout_percent", "real", (c) => c.notNull())
      .addColumn("hedging_enabled", "integer", (c) => c.notNull())
      .addColumn("last_transaction_id", "text", (c) => c.notNull())
      .addColumn("positions_json", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("account_snapshots_ts").on("account_snapshots").column("ts").execute();

    await db.schema
      .createTable("control_actions")
      .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
      .addColumn("ts", "text", (c) => c.notNull())
      .addColumn("action", "text", (c) => c.notNull())
      .addColumn("actor", "text", (c) => c.notNull())
      .addColumn("detail_json", "text")
      .execute();
    await db.schema.createIndex("control_actions_ts").on("control_actions").column("ts").execute();

    // The change sequence that feeds the replicator (src/replica).
    await db.schema
      .createTable("change_counter")
      .addColumn("id", "integer", (c) => c.primaryKey())
      .addColumn("seq", "integer", (c) => c.notNull())
      .execute();
    await db.insertInto("change_counter").values({ id: 1, seq: 0 }).execute();
    await db.schema
      .createTable("changes")
      .addColumn("seq", "integer", (c) => c.primaryKey())
      .addColumn("tbl", "text", (c) => c.notNull())
      .addColumn("row_id", "integer", (c) => c.notNull())
      .addUniqueConstraint("changes_tbl_row", ["tbl", "row_id"])
      .execute();
    // The replicated tables as they were when this migration was released (frozen: later
    // migrations add triggers for their own tables).
    for (const t of ["orders", "decisions", "metrics", "account_snapshots", "control_actions"]) await addChangeTriggers(db, t);
  },
};

// The broker's ledger: every OANDA transaction of the account, stored once by its id (typed
// columns for the questions asked of it, the raw JSON for everything else), plus the ingest
// cursor so a restart resumes where it stopped. Replicated like the journal's other tables.
const m002_transactions: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable("transactions")
      .addColumn("id", "integer", (c) => c.primaryKey())
      .addColumn("account_id", "text", (c) => c.notNull())
      .addColumn("type", "text", (c) => c.notNull())
      .addColumn("time", "text", (c) => c.notNull())
      .addColumn("instrument", "text")
      .addColumn("units", "real")
      .addColumn("price", "real")
      .addColumn("order_id", "text")
      .addColumn("client_order_id", "text")
      .addColumn("batch_id", "text")
      .addColumn("reason", "text")
      .addColumn("pl", "real")
      .addColumn("financing", "real")
      .addColumn("commission", "real")
      .addColumn("account_balance", "real")
      .addColumn("raw_json", "text", (c) => c.notNull())
      .addColumn("received_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("transactions_client_order_id").on("transactions").column("client_order_id").execute();
    await db.schema.createIndex("transactions_order_id").on("transactions").column("order_id").execute();
    await db.schema.createIndex("transactions_type_time").on("transactions").columns(["type", "time"]).execute();
    await db.schema
      .createTable("ledger_cursor")
      .addColumn("account_id", "text", (c) => c.primaryKey())
      .addColumn("last_transaction_id", "integer", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    await addChangeTriggers(db, "transactions");
  },
};

/**
 * Journal rows carry the account and the run mode, so paper never mixes with real money and one
 * Turso database can hold many agents. Older rows get NULL here; openJournal attributes them to
 * the running account only when the journal's account snapshots show it never saw another one.
 */
const m003_account_mode: Migration = {
  async up(db: Kysely<any>) {
    for (const t of ["orders", "decisions", "metrics", "control_actions"]) {
      await db.schema.alterTable(t).addColumn("account_id", "text").execute();
      await db.schema.alterTable(t).addColumn("mode", "text").execute();
    }
    await db.schema.alterTable("account_snapshots").addColumn("mode", "text").execute();
    await db.schema.createIndex("orders_account_mode").on("orders").columns(["account_id", "mode"]).execute();
    await db.schema
      .createTable("journal_accounts")
      .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
      .addColumn("account_id", "text", (c) => c.notNull())
      .addColumn("mode", "text", (c) => c.notNull().check(sql`mode IN ('paper', 'practice', 'live')`))
      .addColumn("first_seen_at", "text", (c) => c.notNull())
      .addColumn("last_seen_at", "text", (c) => c.notNull())
      .addUniqueConstraint("journal_accounts_account_mode", ["account_id", "mode"])
      .execute();
    await addChangeTriggers(db, "journal_accounts");
    await db.schema
      .createTable("journal_probe")
      .addColumn("id", "integer", (c) => c.primaryKey().check(sql`id = 1`))
      .addColumn("written_at", "text", (c) => c.notNull())
      .execute();
  },
};

/** Small state that must survive a restart, one JSON value per key (the loss-limit guard's). */
const m004_guard_state: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable("guard_state")
      .addColumn("key", "text", (c) => c.primaryKey())
      .addColumn("value_json", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
  },
};

/**
 * The journal's own identity, drawn once: the key under which its rows sit in a Turso replica
 * that several agents share (each journal numbers its rows from 1, so the local id alone clashes).
 */
const m005_journal_identity: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable("journal_identity")
      .addColumn("id", "integer", (c) => c.primaryKey().check(sql`id = 1`))
      .addColumn("journal_id", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await db.insertInto("journal_identity").values({ id: 1, journal_id: crypto.randomUUID(), created_at: new Date().toISOString() }).execute();
  },
};

/**
 * The change-feed triggers written again without `INSERT OR REPLACE`. A statement's own ON
 * CONFLICT clause overrides the conflict policy of the statements its triggers run, so an upsert
 * that updated a replicated table had the trigger's OR REPLACE turned into abort, and failed on
 * changes' UNIQUE (tbl, row_id). Deleting the row's earlier entry first needs no conflict policy:
 * the same one entry per row at its latest sequence, whatever statement fired the trigger.
 */
const m006_change_triggers: Migration = {
  async up(db: Kysely<any>) {
    const tables = ["orders", "decisions", "metrics", "account_snapshots", "control_actions", "transactions", "journal_accounts"];
    for (const table of tables) {
      for (const [event, ref] of [["INSERT", "NEW"], ["UPDATE", "NEW"], ["DELETE", "OLD"]] as const) {
        const name = `${table}_change_${event.toLowerCase()}`;
        await sql`DROP TRIGGER IF EXISTS ${sql.id(name)}`.execute(db);
        await sql`
          CREATE TRIGGER ${sql.id(name)} AFTER ${sql.raw(event)} ON ${sql.table(table)}
          BEGIN
            UPDATE change_counter SET seq = seq + 1 WHERE id = 1;
            DELETE FROM changes WHERE tbl = ${sql.lit(table)} AND row_id = ${sql.raw(ref)}.id;
            INSERT INTO changes (seq, tbl, row_id)
              SELECT seq, ${sql.lit(table)}, ${sql.raw(ref)}.id FROM change_counter WHERE id = 1;
          END`.execute(db);
      }
    }
  },
};

export const MIGRATIONS: Record<string, Migration> = {
  "001_journal": m001_journal,
  "002_transactions": m002_transactions,
  "003_account_mode": m003_account_mode,
  "004_guard_state": m004_guard_state,
  "005_journal_identity": m005_journal_identity,
  "006_change_triggers": m006_change_triggers,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/** Bring the schema up to date; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  // Most starts open a journal this release already brought up to date. Kysely's Migrator then
  // still creates-if-missing its two tables, takes its lock table's row and reads its records in
  // a transaction: 16-18 ms of every restart (binary, measured). Reading the records first answers
  // that case in two small reads; anything else (a new file, a migration to run, a record this
  // release does not know) goes to the Migrator exactly as before.
  if (await upToDate(db)) return [];
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    throw new Error(`journal migration ${failed} failed: ${errorMessage(error)}`);
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

/** True when the journal records exactly this release's migrations as run, and nothing else. */
async function upToDate(db: Kysely<any>): Promise<boolean> {
  const table = await sql<{ n: number }>`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'kysely_migration'`.execute(db);
  if (Number(table.rows[0]?.n ?? 0) === 0) return false;
  const ran = await sql<{ name: string }>`SELECT name FROM kysely_migration`.execute(db);
  const want = Object.keys(MIGRATIONS);
  const names = new Set(ran.rows.map((r) => r.name));
  return names.size === want.length && ran.rows.length === want.length && want.every((n) => names.has(n));
}
