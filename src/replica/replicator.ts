// Copies the journal into a Turso Sync replica and pushes it to Turso, off the order path.
//
// How it stays correct:
// - The journal stamps every write with a change sequence number (src/store/feed.ts). Each cycle
//   copies the rows changed after the persisted cursor into the local replica file, upserting by
//   primary key (or deleting), and moves the cursor in the same replica transaction. A crash
//   mid-cycle therefore either keeps the batch and its cursor or neither: no gap, no duplicate,
//   and copying a row twice would be harmless anyway.
// - The replica file's own change log holds what is not yet pushed, so a push that failed (Turso
//   down) or never happened (agent killed) goes out on a later cycle or after a restart.
// - The replica is opened without a bootstrap round-trip, so start-up never waits on Turso.
// - Many agents may push into one Turso database: every replica row carries its journal's
//   identity and is keyed by (journal_id, id), and the cursors are kept per journal. A replica
//   made before that (keyed by id alone) is dropped and copied again from the journal once.
import type { Logger } from "../core/log.ts";
import { silentLogger } from "../core/log.ts";
import { type Clock, wallClock } from "../core/types.ts";
import type { Journal } from "../store/index.ts";
import {
  addColumnSql,
  createStateTableSql,
  createTableSql,
  deleteSql,
  deleteStateSql,
  dropTableSql,
  JOURNAL_ID_COLUMN,
  readStateSql,
  replicaIndexSql,
  tableColumnsSql,
  upsertSql,
  writeStateSql,
} from "../store/replica-sql.ts";
import { REPLICATED_TABLES, type ReplicatedTable } from "../store/tables.ts";
import { openDeferredReplica, type ReplicaDatabase } from "./replica-db.ts";
import { errorMessage } from "../core/error-message.ts";

export interface ReplicatorOptions {
  journal: Journal;
  /** TURSO_DATABASE_URL; without it the replicator is disabled and does nothing. */
  url?: string;
  /** TURSO_AUTH_TOKEN */
  authToken?: string;
  /** REPLICA_PATH: the local Turso Sync file (plus its -wal, -info... companions). */
  path: string;
  /** REPLICA_PUSH_INTERVAL_SEC */
  intervalSec: number;
  log?: Logger;
  clock?: Clock;
  /** Rows copied per replica transaction. */
  batchSize?: number;
  requestTimeoutMs?: number;
}

export interface ReplicaState {
  enabled: boolean;
  /** ISO time of the last successful push. */
  lastPushAt?: string;
  /** The last failure, cleared by the next successful push. */
  lastError?: string;
  /** Journal rows changed since the last successful push (as of the last cycle). */
  rowsBehind: number;
  /** Journal change sequence known to be on Turso. */
  lastPushedSeq: number;
  /** Journal change sequence copied into the local replica file. */
  copiedSeq: number;
}

/** Column names of each replicated table in the replica file. */
type ReplicaColumns = Map<ReplicatedTable, Set<string>>;

/** Cursor keys in the replica's state table, one pair per journal (the table reaches Turso too). */
const copiedKey = (journalId: string) => `copied_seq:${journalId}`;
const pushedKey = (journalId: string) => `pushed_seq:${journalId}`;
/** The keys of replicas made before the per-journal key. */
const LEGACY_KEYS = ["copied_seq", "pushed_seq"];

export class Replicator {
  readonly #o: ReplicatorOptions;
  readonly #log: Logger;
  readonly #clock: Clock;
  #db: ReplicaDatabase | undefined;
  #journalId = "";
  #schemaReady = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running = false;
  #chain: Promise<unknown> = Promise.resolve();
  #copiedSeq = 0;
  #lastPushedSeq = 0;
  #lastPushAt: string | undefined;
  #lastError: string | undefined;
  #rowsBehind = 0;

  constructor(opts: ReplicatorOptions) {
    this.#o = opts;
    this.#log = (opts.log ?? silentLogger).child({ component: "replicator" });
    this.#clock = opts.clock ?? wallClock;
  }

  get enabled(): boolean {
    return Boolean(this.#o.url);
  }

  /** Begin pushing every intervalSec; the first cycle runs at once, in the background. */
  start(): void {
    if (!this.enabled || this.#running) return;
    this.#running = true;
    this.#schedule(0);
  }

  /** Stop the schedule, make a final push (bounded by the request timeout) and close the file. */
  async stop(): Promise<void> {
    const wasRunning = this.#running;
    this.#running = false;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.enabled && (wasRunning || this.#db)) await this.pushNow();
    await this.#chain;
    const db = this.#db;
    this.#db = undefined;
    this.#schemaReady = false;
    if (db) await db.close().catch(() => {});
  }

  /** Copy what changed and push it now (serialised with the scheduled cycles). */
  pushNow(): Promise<ReplicaState> {
    if (!this.enabled) return Promise.resolve(this.state());
    const run = this.#chain.then(() => this.#cycle(true));
    this.#chain = run.catch(() => {});
    return run.then(() => this.state());
  }

  /** Copy what changed into the local replica file without pushing. */
  copyNow(): Promise<ReplicaState> {
    if (!this.enabled) return Promise.resolve(this.state());
    const run = this.#chain.then(() => this.#cycle(false));
    this.#chain = run.catch(() => {});
    return run.then(() => this.state());
  }

  state(): ReplicaState {
    const s: ReplicaState = { enabled: this.enabled, rowsBehind: this.#rowsBehind, lastPushedSeq: this.#lastPushedSeq, copiedSeq: this.#copiedSeq };
    if (this.#lastPushAt !== undefined) s.lastPushAt = this.#lastPushAt;
    if (this.#lastError !== undefined) s.lastError = this.#lastError;
    return s;
  }

  #schedule(delayMs: number): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.pushNow().finally(() => {
        if (this.#running) this.#schedule(this.#o.intervalSec * 1000);
      });
    }, delayMs);
  }

  async #cycle(push: boolean): Promise<void> {
    try {
      const db = await this.#open();
      await this.#copy(db);
      if (push) {
        const target = this.#copiedSeq;
        await db.push();
        this.#lastPushAt = new Date(this.#clock.now()).toISOString();
        if (this.#lastError !== undefined) this.#log.info("replica push succeeded again");
        this.#lastError = undefined;
        if (target !== this.#lastPushedSeq) {
          this.#lastPushedSeq = target;
          // Recorded in the replica so a restart knows what Turso already has; it rides the next push.
          await this.#run(db, writeStateSql(pushedKey(this.#journalId), String(target)));
        }
      }
    } catch (e) {
      const msg = describeError(e);
      if (msg !== this.#lastError) this.#log.warn({ err: msg }, "replica cycle failed; the journal keeps writing and the replica will catch up");
      this.#lastError = msg;
    } finally {
      try {
        this.#rowsBehind = await this.#o.journal.feed.countAfter(this.#lastPushedSeq);
      } catch {
        // the journal is closing; keep the last figure
      }
    }
  }

  async #open(): Promise<ReplicaDatabase> {
    // The replica's columns as opening found them, for the schema sync right after (read once).
    let columns: ReplicaColumns | undefined;
    if (!this.#db) {
      const db = await openDeferredReplica({
        path: this.#o.path,
        url: this.#o.url!,
        authToken: this.#o.authToken,
        clientName: "sekisho-agent",
        requestTimeoutMs: this.#o.requestTimeoutMs,
      });
      try {
        this.#journalId = await this.#o.journal.feed.journalId();
        await db.exec(createStateTableSql());
        columns = await this.#replicaColumns(db);
        if (await this.#dropLegacyLayout(db, columns)) this.#log.info("replica tables were keyed by row id alone; copying the journal again keyed by journal and id");
        const st = readStateSql();
        const rows = (await (await db.prepare(st.sql)).all(...st.params)) as { key: string; value: string }[];
        const state = new Map(rows.map((r) => [r.key, r.value]));
        this.#copiedSeq = Number(state.get(copiedKey(this.#journalId)) ?? 0);
        this.#lastPushedSeq = Math.min(Number(state.get(pushedKey(this.#journalId)) ?? 0), this.#copiedSeq);
      } catch (e) {
        await db.close().catch(() => {});
        throw e;
      }
      this.#db = db;
    }
    if (!this.#schemaReady) {
      await this.#syncSchema(this.#db, columns ?? (await this.#replicaColumns(this.#db)));
      this.#schemaReady = true;
    }
    return this.#db;
  }

  /**
   * Drop every replicated table still in the layout keyed by id alone, with the old cursors, so
   * the journal is copied again from the start (such a database held one agent, this one).
   */
  async #dropLegacyLayout(db: ReplicaDatabase, columns: ReplicaColumns): Promise<boolean> {
    let dropped = false;
    for (const table of REPLICATED_TABLES) {
      const names = columns.get(table)!;
      if (names.size === 0 || names.has(JOURNAL_ID_COLUMN)) continue;
      await db.exec(dropTableSql(table));
      columns.set(table, new Set());
      dropped = true;
    }
    if (dropped) for (const k of LEGACY_KEYS) await this.#run(db, deleteStateSql(k));
    return dropped;
  }

  /** Each replicated table's column names in the replica file (none for a table not there yet). */
  async #replicaColumns(db: ReplicaDatabase): Promise<ReplicaColumns> {
    const out: ReplicaColumns = new Map();
    for (const table of REPLICATED_TABLES) {
      const q = tableColumnsSql(table);
      out.set(table, new Set(((await (await db.prepare(q.sql)).all(...q.params)) as { name: string }[]).map((r) => r.name)));
    }
    return out;
  }

  /** Mirror each replicated table's columns: a missing table is created whole, and an existing
   * one gains the columns later migrations added. */
  async #syncSchema(db: ReplicaDatabase, columns: ReplicaColumns): Promise<void> {
    for (const table of REPLICATED_TABLES) {
      const cols = await this.#o.journal.feed.columns(table);
      const have = columns.get(table)!;
      if (have.size === 0) await db.exec(createTableSql(table, cols));
      else for (const c of cols) if (!have.has(c.name)) await db.exec(addColumnSql(table, c));
    }
    for (const s of replicaIndexSql()) await db.exec(s);
  }

  async #copy(db: ReplicaDatabase): Promise<void> {
    const batch = this.#o.batchSize ?? 500;
    for (;;) {
      const items = await this.#o.journal.feed.since(this.#copiedSeq, batch);
      if (items.length === 0) return;
      const last = items[items.length - 1]!.seq;
      await db.transactionAsync(async (tx) => {
        for (const it of items) {
          const st = it.row ? upsertSql(it.table, this.#journalId, it.row) : deleteSql(it.table, this.#journalId, it.rowId);
          await tx.run(st.sql, ...st.params);
        }
        const cur = writeStateSql(copiedKey(this.#journalId), String(last));
        await tx.run(cur.sql, ...cur.params);
      })();
      this.#copiedSeq = last;
    }
  }

  async #run(db: ReplicaDatabase, st: { sql: string; params: unknown[] }): Promise<void> {
    await (await db.prepare(st.sql)).run(...st.params);
  }
}

/** One line, no secrets: the sync engine's errors carry no token, but URLs may carry one. */
export function describeError(e: unknown): string {
  const msg = errorMessage(e);
  return msg
    .replace(/(authToken=)[^&\s]+/gi, "$1[redacted]")
    .replace(/Bearer\s+\S+/gi, "Bearer [redacted]")
    // The engine wraps every failure in the same two prefixes; they tell an operator nothing.
    .replace(/^sync engine operation failed: /, "")
    .replace(/^database sync engine error: /, "")
    .split("\n")[0]!;
}
