// The order journal: libSQL on a local file, reached through Kysely with typed tables (the order
// path's few fixed statements go straight to the connection: orders.ts).
// openJournal() creates the directory, sets WAL, the durability level and a busy timeout, runs
// the migrations (safe to repeat) and hands back the repositories the rest of the agent uses. No
// SQL leaves src/store.
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
import { WalCheckpointer } from "./checkpointer.ts";
import { historyRepository } from "./history.ts";
import { metricsRepository } from "./metrics.ts";
import { guardStateRepository } from "./guard-state.ts";
import { migrateToLatest } from "./migrations.ts";
import { OrderIdIndex } from "./order-ids.ts";
import { IntentLog, intentLogPath } from "./intent-log.ts";
import { OwnerLock } from "./owner-lock.ts";
import { type OrdersRepository, ordersRepository } from "./orders.ts";
import { snapshotsRepository } from "./snapshots.ts";
import type { JournalDB } from "./tables.ts";
import { type TransactionsRepository, transactionsRepository } from "./transactions.ts";
import { checkpoint, journalErrorLine, probeWrite, quickCheck } from "./integrity.ts";
import { adoptLegacyRows, registerScope } from "./scope.ts";
import type { JournalScope } from "./types.ts";
import { fileExists } from "../runtime/files.ts";
import { isoNow } from "./time.ts";
import { errorMessage } from "../core/error-message.ts";

export type { JournalDB } from "./tables.ts";
export type { ChangeFeed, ChangeItem, ColumnDef } from "./feed.ts";
export * from "./types.ts";
export { JournalInputError, listOrders, DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT } from "./orders.ts";
export type { LedgerTransaction, TransactionRow, TransactionsRepository } from "./transactions.ts";
export { transactionColumns, transactionFromRow } from "./transactions.ts";
export { JournalUnusableError, classifyJournalError, inspectJournalFile, type JournalProblem } from "./integrity.ts";
export { accountsInMode } from "./scope.ts";
export { STATUS_RANK, UNSETTLED_STATUSES, canAdvance, isOrderStatus } from "./lifecycle.ts";

export interface Journal {
  db: Kysely<JournalDB>;
  orders: OrdersRepository;
  decisions: ReturnType<typeof decisionsRepository>;
  metrics: ReturnType<typeof metricsRepository>;
  snapshots: ReturnType<typeof snapshotsRepository>;
  /** Account figures over time, for charts. */
  history: ReturnType<typeof historyRepository>;
  control: ReturnType<typeof controlRepository>;
  /** State the guards keep across restarts (loss limits). */
  guardState: ReturnType<typeof guardStateRepository>;
  /** The broker's ledger: every OANDA transaction, stored once by id, and the ingest cursor. */
  transactions: TransactionsRepository;
  /** The change sequence the replicator copies from. */
  feed: ChangeFeed;
  /** The file the journal lives in. */
  path: string;
  /** The account and mode stamped on every row written (undefined for readers). */
  scope?: JournalScope;
  /** Prove the journal takes writes by writing one tiny row (for /health). */
  probe(): Promise<{ writable: boolean; error?: string }>;
  /**
   * A consistent copy of the whole journal into `target` (VACUUM INTO), safe while the agent
   * writes; the copy is one self-contained file. `target` must not exist.
   */
  backup(target: string): Promise<void>;
  /** Closes; the owner's journal first folds its WAL into the database file (wal_checkpoint TRUNCATE). */
  close(): Promise<void>;
}

export interface OpenJournalOptions {
  /** A file path (DB_PATH) or ":memory:". */
  path: string;
  log?: Logger;
  clock?: Clock;
  /** The account and run mode this process writes for; stamped on every row (migration 003). */
  scope?: JournalScope;
  /**
   * The process that writes the journal (the agent): refuse a journal that fails PRAGMA
   * quick_check or does not take a write (JournalUnusableError, one line), and checkpoint the WAL
   * into the database file on close. Readers (sekisho orders) leave both alone.
   */
  owner?: boolean;
  /**
   * When a commit returns (JOURNAL_SYNCHRONOUS). `normal` (default): WAL with synchronous=NORMAL,
   * no fsync per commit; a crash of the process loses nothing, a power cut or OS crash may lose the
   * last commits but never corrupts the file, and an order whose row was lost after its request
   * left is adopted back from the broker's ledger (src/reconcile/attribution.ts). `full`: an fsync
   * per commit; nothing committed is ever lost.
   */
  synchronous?: JournalSynchronous;
  /**
   * The owner's intent log (intent-log.ts; JOURNAL_INTENT_LOG, default on): a new order's intent
   * is made durable as a line of `<path>-intents` before its request and written to the journal
   * right after. Off: every intent is committed to the journal before the request. A log left by
   * an earlier run is written to the journal at open either way.
   */
  intentLog?: boolean;
}

export type JournalSynchronous = "normal" | "full";

export async function openJournal(opts: OpenJournalOptions): Promise<Journal> {
  const log = opts.log ?? silentLogger;
  const clock = opts.clock ?? wallClock;
  if (opts.path !== ":memory:") ensureParentDir(opts.path);
  // One owner per journal file (owner-lock.ts), taken before anything is read or written.
  const lock = opts.owner && opts.path !== ":memory:" ? takeOwnerLock(opts.path) : undefined;
  let port: ReturnType<typeof openLibsqlPort>;
  try {
    port = openLibsqlPort(opts.path);
  } catch (e) {
    lock?.release();
    throw e;
  }
  const db = new Kysely<JournalDB>({ dialect: new SqlPortDialect(port) });
  let ids: OrderIdIndex | undefined;
  let intents: IntentLog | undefined;
  let checkpointer: WalCheckpointer | undefined;
  try {
    await sql`PRAGMA journal_mode = WAL`.execute(db);
    await sql.raw(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`).execute(db);
    await sql.raw(`PRAGMA synchronous = ${opts.synchronous === "full" ? "FULL" : "NORMAL"}`).execute(db);
    if (opts.owner) {
      const problems = await quickCheck(db);
      if (problems.length > 0) throw Object.assign(new Error(`quick_check: ${problems.slice(0, 3).join("; ")}`), { code: "SQLITE_CORRUPT" });
    }
    const applied = await migrateToLatest(db);
    if (applied.length > 0) log.info({ path: opts.path, migrations: applied }, "journal migrated");
    if (opts.owner) await probeWrite(db, clock);
    if (opts.scope) {
      await registerScope(db, opts.scope, clock);
      const adopted = await adoptLegacyRows(db, opts.scope);
      if (adopted > 0) log.info({ path: opts.path, orders: adopted, ...opts.scope }, "orders from before account/mode columns attributed to this account");
    }
    // The owner's intent log (intent-log.ts): what a previous run logged and did not write is
    // written first, so the id index below and the start-up reconciliation see those orders.
    if (opts.owner && opts.path !== ":memory:") {
      const opened = await IntentLog.open(intentLogPath(opts.path), port, { sync: opts.synchronous === "full" });
      if (opts.intentLog === false) opened.log.close();
      else intents = opened.log;
      const { recovered, unreadable } = opened.recovery;
      if (recovered.length > 0) {
        log.warn({ event: "journal_intents_recovered", path: opts.path, orders: recovered.map((r) => r.clientId) }, `${recovered.length} order intent(s) logged before their request but not yet in the journal were written to it (as submitted: each request may have left; reconciliation settles them)`);
      }
      if (unreadable > 0) log.warn({ event: "journal_intent_lines_unreadable", path: opts.path, lines: unreadable }, "intent log lines that were not a whole intent were skipped (a torn last line after a power cut; the broker's ledger adopts any order they named)");
    }
    // The one writer (the agent's own journal, or a private in-memory one) answers duplicate
    // checks from memory; a reader's file is written by another process, so it keeps asking SQL.
    if (opts.owner || opts.path === ":memory:") ids = await OrderIdIndex.load(port);
    // The owner's file: checkpoints leave this connection (and the event loop) for a second
    // connection on libsql's own threads (checkpointer.ts); readers leave checkpoints to SQLite.
    if (opts.owner && opts.path !== ":memory:") {
      checkpointer = await WalCheckpointer.open({
        path: opts.path, port, synchronous: opts.synchronous === "full" ? "FULL" : "NORMAL", now: () => isoNow(clock),
        onError: (e) => log.warn({ event: "journal_checkpoint_failed", path: opts.path, err: String(e) }, "journal checkpoint failed; retrying every second (recent commits stay in the WAL meanwhile)"),
        onRecovered: () => log.info({ event: "journal_checkpoint_recovered", path: opts.path }, "journal checkpoints work again"),
      });
      await sql.raw("PRAGMA wal_autocheckpoint = 0").execute(db);
      checkpointer.start();
    }
  } catch (e) {
    intents?.close();
    await checkpointer?.close().catch(() => {});
    await db.destroy().catch(() => {});
    lock?.release();
    throw opts.owner ? journalErrorLine(opts.path, e) : e;
  }
  let closed = false;
  // /health may be polled often: one write per second at most proves the point.
  let lastProbe: { at: number; result: { writable: boolean; error?: string } } | undefined;
  return {
    db,
    path: opts.path,
    scope: opts.scope,
    orders: ordersRepository(db, port, clock, opts.scope, ids, intents),
    decisions: decisionsRepository(db, clock, opts.scope),
    metrics: metricsRepository(db, clock, opts.scope),
    snapshots: snapshotsRepository(db, opts.scope),
    history: historyRepository(db),
    control: controlRepository(db, clock, opts.scope),
    guardState: guardStateRepository(db, clock),
    transactions: transactionsRepository(db, clock),
    feed: changeFeed(db),
    async probe() {
      const now = clock.now();
      if (lastProbe && now - lastProbe.at < 1000 && now >= lastProbe.at) return lastProbe.result;
      let result: { writable: boolean; error?: string };
      try {
        await probeWrite(db, clock);
        result = { writable: true };
      } catch (e) {
        result = { writable: false, error: errorMessage(e).split("\n")[0] };
      }
      lastProbe = { at: now, result };
      return result;
    },
    async backup(target: string) {
      if (fileExists(target)) throw new Error(`${target} exists; choose a new file name`);
      ensureParentDir(target);
      await sql`VACUUM INTO ${target}`.execute(db);
    },
    async close() {
      if (closed) return;
      closed = true;
      await checkpointer?.close().catch((e) => log.warn({ path: opts.path, err: String(e) }, "journal checkpointer did not close cleanly"));
      if (opts.owner && opts.path !== ":memory:") {
        try {
          if (!(await checkpoint(db))) log.warn({ path: opts.path }, "journal checkpoint incomplete: a reader held the log; orders.db-wal still holds recent rows");
        } catch (e) {
          log.warn({ path: opts.path, err: String(e) }, "journal checkpoint failed");
        }
      }
      // After the checkpoint: the rows its lines stood for are in the database file first.
      intents?.close();
      await db.destroy();
      lock?.release();
    },
  };
}

function takeOwnerLock(path: string): OwnerLock {
  try {
    return OwnerLock.take(path);
  } catch (e) {
    throw journalErrorLine(path, e);
  }
}
