// SqlPort over libSQL on a local file: the journal's engine. One connection (the `libsql`
// package, the engine @libsql/client itself runs on) with a cache of prepared statements.
// @libsql/client prepares every statement afresh (its sqlite3 client has no statement cache),
// and preparing an `orders` INSERT compiles the change-feed triggers with it: most of the cost of
// a journal write once commits no longer wait for fsync (bench/journal-hotpath.bench.ts).
// One connection also makes per-connection settings (PRAGMA synchronous) hold for every write.
// The WAL checkpointer (checkpointer.ts) writes from a second connection off this thread; while it
// does, this port holds its writes back (holdWrites) instead of letting SQLite's busy handler
// sleep on the event loop.
import Database from "libsql";
import type { SqlPort, SqlResult, SqlTransaction } from "./sql-port.ts";

/** Milliseconds a writer waits for a lock held by another connection before failing. */
export const BUSY_TIMEOUT_MS = 5_000;

/** Prepared statements kept per connection; the journal's queries have far fewer shapes. */
const STATEMENT_CACHE_SIZE = 256;

interface Cached {
  stmt: Database.Statement;
  reader: boolean;
}

/** The journal's port: a SqlPort whose writes can be held back while another connection writes. */
export interface JournalPort extends SqlPort {
  /**
   * Run `fn` (another connection's short write) while this port starts no write: writes and
   * transactions asked for meanwhile wait (asynchronously) until `fn` settles; reads go on. An
   * open transaction is let finish first.
   */
  holdWrites<T>(fn: () => Promise<T>): Promise<T>;
}

export function openLibsqlPort(path: string): JournalPort {
  const db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
  const port = new LibsqlPort(db);
  try {
    // Fail fast (as @libsql/client does) when the file cannot be opened at all.
    port.run("SELECT 1", []);
  } catch (e) {
    db.close();
    throw e;
  }
  return port;
}

class LibsqlPort implements JournalPort {
  readonly #cache = new Map<string, Cached>();
  /** Settles when the open transaction ends; statements outside it wait (one connection). */
  #txEnd: Promise<void> | undefined;
  /** Resolves (never rejects) when another connection's held write (holdWrites) is over. */
  #held: Promise<void> | undefined;

  constructor(private readonly db: Database.Database) {}

  /** Run one statement now, synchronously, on a cached prepared statement. */
  run(sql: string, params: readonly unknown[]): SqlResult {
    const c = this.#prepare(sql);
    const args = params.map(toSql);
    try {
      if (c.reader) return { rows: c.stmt.all(args) as Record<string, unknown>[], rowsAffected: 0 };
      const info = c.stmt.run(args);
      return { rows: [], rowsAffected: info.changes, lastInsertRowid: BigInt(info.lastInsertRowid) };
    } catch (e) {
      throw mapError(e);
    }
  }

  async execute(sql: string, params: readonly unknown[]): Promise<SqlResult> {
    // Reads go on while writes are held: a WAL reader never waits for a writer.
    while (this.#txEnd || (this.#held && !this.#prepare(sql).reader)) await (this.#txEnd ?? this.#held);
    return this.run(sql, params);
  }

  async holdWrites<T>(fn: () => Promise<T>): Promise<T> {
    while (this.#txEnd || this.#held) await (this.#txEnd ?? this.#held);
    const held = fn();
    this.#held = held.then(() => undefined, () => undefined);
    try {
      return await held;
    } finally {
      this.#held = undefined;
    }
  }

  async begin(): Promise<SqlTransaction> {
    while (this.#txEnd || this.#held) await (this.#txEnd ?? this.#held);
    this.run("BEGIN IMMEDIATE", []);
    let end!: () => void;
    this.#txEnd = new Promise((r) => { end = r; });
    let open = true;
    const finish = (sql: string) => {
      if (!open) throw new LibsqlError("The transaction is closed", "TRANSACTION_CLOSED");
      open = false;
      try {
        if (this.db.inTransaction) this.run(sql, []);
      } catch (e) {
        // A COMMIT that fails can leave SQLite's transaction open (a deferred constraint, a busy
        // or full disk): roll it back, because from here on this port runs other statements, and
        // they must never land inside it. The COMMIT's own error is what the caller hears.
        if (this.db.inTransaction) {
          try {
            this.run("ROLLBACK", []);
          } catch {
            // the COMMIT's error says what went wrong
          }
        }
        throw e;
      } finally {
        this.#txEnd = undefined;
        end();
      }
    };
    return {
      execute: async (sql, params) => {
        if (!open) throw new LibsqlError("The transaction is closed", "TRANSACTION_CLOSED");
        return this.run(sql, params);
      },
      commit: async () => finish("COMMIT"),
      rollback: async () => finish("ROLLBACK"),
    };
  }

  async close(): Promise<void> {
    this.#cache.clear();
    if (this.db.open) this.db.close();
  }

  #prepare(sql: string): Cached {
    let c = this.#cache.get(sql);
    if (c) {
      // Least recently used goes first: re-insert to mark it used.
      this.#cache.delete(sql);
      this.#cache.set(sql, c);
      return c;
    }
    try {
      const stmt = this.db.prepare(sql);
      c = { stmt, reader: stmt.reader };
    } catch (e) {
      throw mapError(e);
    }
    this.#cache.set(sql, c);
    if (this.#cache.size > STATEMENT_CACHE_SIZE) this.#cache.delete(this.#cache.keys().next().value!);
    return c;
  }
}

/** Values as @libsql/client binds them (booleans as 0/1, Date as epoch ms); undefined is a bug. */
function toSql(v: unknown): unknown {
  if (typeof v === "boolean") return v ? 1 : 0;
  if (v === undefined) throw new TypeError("undefined cannot be passed as argument to the database");
  if (typeof v === "number" && !Number.isFinite(v)) throw new RangeError("Only finite numbers (not Infinity or NaN) can be passed as arguments");
  if (v instanceof Date) return v.valueOf();
  return v;
}

/**
 * An error of the journal's database in the shape of @libsql/client's LibsqlError (the message
 * prefixed with the code; code, extendedCode, rawCode, cause), without importing that client:
 * the journal runs on the `libsql` package directly, and loading the client (its remote
 * protocols included) only for this class cost every `sekisho run` its evaluation and memory.
 */
export class LibsqlError extends Error {
  constructor(message: string, readonly code: string, readonly extendedCode?: string, readonly rawCode?: number, cause?: unknown) {
    super(`${code}: ${message}`, { cause });
    this.name = "LibsqlError";
  }
}

/** SQLite's errors in @libsql/client's form (code = the base code, e.g. SQLITE_READONLY). */
function mapError(e: unknown): unknown {
  if (e instanceof Database.SqliteError) {
    const raw = (e as { rawCode?: number }).rawCode;
    const code = raw === undefined ? "SQLITE_UNKNOWN" : (BASE_CODES[raw & 0xff] ?? `SQLITE_UNKNOWN_${raw & 0xff}`);
    return new LibsqlError(e.message, code, e.code, raw, e);
  }
  return e;
}

const BASE_CODES: Record<number, string> = {
  1: "SQLITE_ERROR", 2: "SQLITE_INTERNAL", 3: "SQLITE_PERM", 4: "SQLITE_ABORT", 5: "SQLITE_BUSY", 6: "SQLITE_LOCKED",
  7: "SQLITE_NOMEM", 8: "SQLITE_READONLY", 9: "SQLITE_INTERRUPT", 10: "SQLITE_IOERR", 11: "SQLITE_CORRUPT",
  12: "SQLITE_NOTFOUND", 13: "SQLITE_FULL", 14: "SQLITE_CANTOPEN", 15: "SQLITE_PROTOCOL", 16: "SQLITE_EMPTY",
  17: "SQLITE_SCHEMA", 18: "SQLITE_TOOBIG", 19: "SQLITE_CONSTRAINT", 20: "SQLITE_MISMATCH", 21: "SQLITE_MISUSE",
  22: "SQLITE_NOLFS", 23: "SQLITE_AUTH", 24: "SQLITE_FORMAT", 25: "SQLITE_RANGE", 26: "SQLITE_NOTADB",
  27: "SQLITE_NOTICE", 28: "SQLITE_WARNING",
};
