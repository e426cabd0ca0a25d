// Folds the journal's write-ahead log into the database file away from the event loop.
//
// SQLite's automatic checkpoint runs inside the commit that crosses 1,000 WAL pages: that commit
// copies the log into the file and fsyncs both, and the first commit after a completed checkpoint
// restarts the log and fsyncs its new header. On the agent's one connection both land on the
// event loop, sometimes on an order's intent: milliseconds to tens of milliseconds of a disk's
// fsync between a price tick and the order request (docs/journal.md).
//
// So the owner's connection runs with wal_autocheckpoint=0 and never syncs (synchronous=NORMAL),
// and two more connections do both jobs through libsql's asynchronous API, whose statements run
// on the addon's own thread pool, not on the JavaScript thread:
//   1. every second, PRAGMA wal_checkpoint(PASSIVE): copy what is in the log into the file and
//      fsync (a passive checkpoint never blocks the writer, which goes on appending);
//   2. the *guard* connection holds a read transaction open at the end of the log. Whichever
//      writer first finds the whole log checkpointed restarts it, unless a reader still uses the
//      log; the guard is that reader, so the owner's commits only ever append. Before each
//      checkpoint the guard moves its snapshot to the end of the log (it ends and begins its
//      transaction while the log still holds pages not yet copied, so it always reads the log);
//   3. once the log holds `restartFrames` pages, the owner's writes wait, asynchronously
//      (JournalPort.holdWrites: two connections writing at once would make SQLite's busy handler
//      sleep on the event loop), the guard lets go, the last pages are checkpointed and this
//      connection restarts the log by writing the journal_probe row, so the new header's fsync
//      happens here too; then the guard takes hold again and the owner's writes go on.
// Durability is unchanged (or better): with NORMAL the log is synced at checkpoints, which now
// come every second instead of every 1,000 pages. A clean stop still folds everything into the
// file with wal_checkpoint(TRUNCATE) on the owner's connection.
import AsyncDatabase from "libsql/promise";
import { backgroundInterval } from "../runtime/runtime.ts";
import { BUSY_TIMEOUT_MS, type JournalPort } from "./libsql-port.ts";
import { errorMessage } from "../core/error-message.ts";

/** How often the log is checkpointed. Bounds how much a power cut can take with NORMAL. */
export const CHECKPOINT_INTERVAL_MS = 1_000;
/** Log pages (4 KiB) after which the log is restarted from its start (SQLite's own default is 1,000). */
export const RESTART_FRAMES = 4_096;

export interface CheckpointResult {
  /** 1 when a reader or writer kept the checkpoint from finishing. */
  busy: number;
  /** Pages in the log. */
  log: number;
  /** Of which copied into the database file. */
  checkpointed: number;
}

interface AsyncStatement {
  all(...params: unknown[]): Promise<Record<string, unknown>[]>;
}

export interface CheckpointerOptions {
  path: string;
  /** The owner's connection, whose writes wait while this one restarts the log. */
  port: JournalPort;
  synchronous: "NORMAL" | "FULL";
  /** ISO time for the journal_probe row the restart writes. */
  now: () => string;
  intervalMs?: number;
  restartFrames?: number;
  /**
   * A cycle failed (disk full, I/O error); the next one tries again. Called once per run of
   * failures with the same message (not every second), then onRecovered once a cycle succeeds.
   */
  onError?: (e: unknown) => void;
  onRecovered?: () => void;
}

/** A read transaction held open so that no other writer restarts the log (see above). */
class LogGuard {
  #holding = false;
  private constructor(private readonly db: AsyncDatabase, private readonly read: AsyncStatement) {}

  static async open(path: string): Promise<LogGuard> {
    const db = new AsyncDatabase(path, { timeout: BUSY_TIMEOUT_MS });
    try {
      await db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
      return new LogGuard(db, (await db.prepare("SELECT count(*) FROM journal_probe")) as AsyncStatement);
    } catch (e) {
      db.close();
      throw e;
    }
  }

  /** Begin a read transaction (its snapshot: the log as it is now). */
  async hold(): Promise<void> {
    if (this.#holding) return;
    await this.db.exec("BEGIN");
    this.#holding = true;
    await this.read.all();
  }

  async release(): Promise<void> {
    if (!this.#holding) return;
    this.#holding = false;
    await this.db.exec("COMMIT");
  }

  async close(): Promise<void> {
    await this.release().catch(() => undefined);
    this.db.close();
  }
}

export class WalCheckpointer {
  /** Checkpoint cycles done, and writes from this connection that restarted the log. */
  readonly stats = { cycles: 0, restarts: 0 };
  #stopTimer: (() => void) | undefined;
  #cycle: Promise<void> | undefined;
  #closed = false;
  /** The message of the failure being reported, while cycles keep failing. */
  #failing: string | undefined;

  private constructor(private readonly o: CheckpointerOptions, private readonly db: AsyncDatabase, private readonly stmt: AsyncStatement, private readonly guard: LogGuard) {}

  /** Opens both connections and takes hold of the log (the owner has written to it by now). */
  static async open(o: CheckpointerOptions): Promise<WalCheckpointer> {
    const db = new AsyncDatabase(o.path, { timeout: BUSY_TIMEOUT_MS });
    let guard: LogGuard | undefined;
    try {
      await db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}; PRAGMA synchronous = ${o.synchronous}; PRAGMA wal_autocheckpoint = 0`);
      const stmt = (await db.prepare("PRAGMA wal_checkpoint(PASSIVE)")) as AsyncStatement;
      guard = await LogGuard.open(o.path);
      await guard.hold();
      return new WalCheckpointer(o, db, stmt, guard);
    } catch (e) {
      await guard?.close();
      db.close();
      throw e;
    }
  }

  /** Checkpoint every `intervalMs` until close(). The timer does not keep the process alive. */
  start(): void {
    this.#stopTimer ??= backgroundInterval(this.o.intervalMs ?? CHECKPOINT_INTERVAL_MS, () => void this.run());
  }

  /** One cycle now (or the one under way); never rejects: a failure goes to onError. */
  run(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#cycle ??= this.#once().then(() => {
      if (this.#failing === undefined) return;
      this.#failing = undefined;
      this.o.onRecovered?.();
    }, (e) => {
      const message = errorMessage(e);
      if (message === this.#failing) return;
      this.#failing = message;
      this.o.onError?.(e);
    }).finally(() => {
      this.#cycle = undefined;
    });
    return this.#cycle;
  }

  /** Stop the timer, let a cycle under way finish, let go of the log, close both connections. */
  async close(): Promise<void> {
    this.#stopTimer?.();
    this.#closed = true;
    await this.#cycle;
    await this.guard.close();
    this.db.close();
  }

  async #checkpoint(): Promise<CheckpointResult> {
    const row = (await this.stmt.all())[0] ?? {};
    return { busy: Number(row.busy ?? 1), log: Number(row.log ?? 0), checkpointed: Number(row.checkpointed ?? 0) };
  }

  async #once(): Promise<void> {
    // Up to the guard's snapshot (usually done by the last cycle: then nothing to copy, no fsync).
    let r = await this.#checkpoint();
    if (r.log > r.checkpointed) {
      // Pages not yet copied: the guard's new snapshot reads the log, so it still guards it.
      await this.guard.release();
      await this.guard.hold();
      r = await this.#checkpoint();
    }
    this.stats.cycles++;
    if (r.log < (this.o.restartFrames ?? RESTART_FRAMES)) return;
    await this.o.port.holdWrites(async () => {
      await this.guard.release();
      try {
        // What the owner wrote since (usually little), then the restart.
        const last = await this.#checkpoint();
        if (last.busy !== 0 || last.checkpointed !== last.log) return; // a reader holds part of the log: next cycle
        const at = this.o.now();
        if (!/^[0-9T:.Z-]+$/.test(at)) throw new Error(`not an ISO time: ${at}`);
        await this.db.exec(`INSERT INTO journal_probe (id, written_at) VALUES (1, '${at}') ON CONFLICT (id) DO UPDATE SET written_at = excluded.written_at`);
        this.stats.restarts++;
      } finally {
        // The log now holds pages not yet copied (at least the probe row's): a guarding snapshot.
        await this.guard.hold();
      }
    });
  }
}
