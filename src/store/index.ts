// The order journal: libSQL on a local file, reached only through Kysely with typed tables.
// openJournal() creates the directory, sets WAL and a busy timeout, runs the migrations (safe to
// repeat) and hands back the repositories the rest of the agent uses. No SQL leaves src/store.
import { Kysely, sql } from "kysely";
import type { Logger } from "../core/log.ts";
import { silentLogger } from "../core/log.ts";
import { type Clock, wallClock } from "../core/types.ts";
import { ensureParentDir } from "../runtime/files.ts";
import { controlRepository } from "./control.ts";
import { decisionsRepository } from "./decisions.ts";
import { type ChangeFeed, changeFeed } from "./feed.ts";
import { SqlPortDialect } from "./kysely-dialect.ts";
import { BUSY_TIMEOUT_MS, openLibsqlPort } from "./libsql-port.ts";
import { metricsRepository } from "./metrics.ts";
import { guardStateRepository } from "./guard-state.ts";
import { migrateToLatest } from "./migrations.ts";
import { type OrdersRepository, ordersRepository } from "./orders.ts";
import { snapshotsRepository } from "./snapshots.ts";
import type { JournalDB } from "./tables.ts";
import { type TransactionsRepository, transactionsRepository } from "./transactions.ts";

export type { JournalDB } from "./tables.ts";
export type { ChangeFeed, ChangeItem, ColumnDef } from "./feed.ts";
export * from "./types.ts";
export { JournalInputError, listOrders, DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT } from "./orders.ts";
export type { LedgerTransaction, TransactionRow, TransactionsRepository } from "./transactions.ts";
export { transactionColumns } from "./transactions.ts";
export { STATUS_RANK, UNSETTLED_STATUSES, canAdvance, isOrderStatus } from "./lifecycle.ts";

export interface Journal {
  db: Kysely<JournalDB>;
  orders: OrdersRepository;
  decisions: ReturnType<typeof decisionsRepository>;
  metrics: ReturnType<typeof metricsRepository>;
  snapshots: ReturnType<typeof snapshotsRepository>;
  control: ReturnType<typeof controlRepository>;
  /** State the guards keep across restarts (loss limits). */
  guardState: ReturnType<typeof guardStateRepository>;
  /** The broker's ledger: every OANDA transaction, stored once by id, and the ingest cursor. */
  transactions: TransactionsRepository;
  /** The change sequence the replicator copies from. */
  feed: ChangeFeed;
  /** The file the journal lives in. */
  path: string;
  close(): Promise<void>;
}

export interface OpenJournalOptions {
  /** A file path (DB_PATH) or ":memory:". */
  path: string;
  log?: Logger;
  clock?: Clock;
}

export async function openJournal(opts: OpenJournalOptions): Promise<Journal> {
  const log = opts.log ?? silentLogger;
  const clock = opts.clock ?? wallClock;
  if (opts.path !== ":memory:") ensureParentDir(opts.path);
  const db = new Kysely<JournalDB>({ dialect: new SqlPortDialect(openLibsqlPort(opts.path)) });
  try {
    await sql`PRAGMA journal_mode = WAL`.execute(db);
    await sql.raw(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`).execute(db);
    const applied = await migrateToLatest(db);
    if (applied.length > 0) log.info({ path: opts.path, migrations: applied }, "journal migrated");
  } catch (e) {
    await db.destroy().catch(() => {});
    throw e;
  }
  let closed = false;
  return {
    db,
    path: opts.path,
    orders: ordersRepository(db, clock),
    decisions: decisionsRepository(db, clock),
    metrics: metricsRepository(db, clock),
    snapshots: snapshotsRepository(db),
    control: controlRepository(db, clock),
    guardState: guardStateRepository(db, clock),
    transactions: transactionsRepository(db, clock),
    feed: changeFeed(db),
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}
