// One agent per journal. The journal's owner (the agent) holds an exclusive lock on a small
// database beside the journal, `<path>-owner`: opened in SQLite's EXCLUSIVE locking mode and
// written once, SQLite keeps its write lock for as long as the connection is open. The lock is
// the operating system's (POSIX advisory locks, as SQLite takes them), so it is dropped when the
// process ends, however it ends (kill -9 included): a crashed agent leaves no stale lock. A second
// owner finds it held and refuses at once, before it reads or writes anything: two agents on one
// journal would each trade on their own picture of it and empty each other's intent logs.
// Readers (sekisho orders, backups) never take it. Not reliable on network file systems.
import Database from "libsql";
import { errorMessage } from "../core/error-message.ts";
import { JournalUnusableError } from "./integrity.ts";

export const ownerLockPath = (journalPath: string): string => `${journalPath}-owner`;

export class OwnerLock {
  private constructor(private db: Database.Database | undefined) {}

  /** Take the lock of the journal at `journalPath`, or throw JournalUnusableError ("in_use") naming it. */
  static take(journalPath: string): OwnerLock {
    const path = ownerLockPath(journalPath);
    const db = new Database(path, { timeout: 0 });
    try {
      db.exec("PRAGMA locking_mode = EXCLUSIVE");
      db.exec("PRAGMA journal_mode = OFF"); // its one row is a note, not data: no -journal file beside it
      db.exec("BEGIN EXCLUSIVE");
      db.exec("CREATE TABLE IF NOT EXISTS owner (since TEXT NOT NULL)");
      // exec, not a prepared statement: a statement left unfinalized would keep the connection, and
      // its lock, open after close() (an ISO time holds only digits, "-", ":", ".", "T" and "Z").
      db.exec(`INSERT INTO owner (since) VALUES ('${new Date().toISOString()}')`);
      db.exec("DELETE FROM owner WHERE rowid < (SELECT max(rowid) FROM owner)");
      db.exec("COMMIT");
    } catch (e) {
      db.close();
      if (/SQLITE_BUSY|database is locked/i.test(`${(e as { code?: unknown })?.code ?? ""} ${errorMessage(e)}`)) {
        throw new JournalUnusableError("in_use", `the journal at ${journalPath} is in use by another sekisho (it holds ${path}); run one agent per DB_PATH`);
      }
      throw e;
    }
    return new OwnerLock(db);
  }

  /** Let the lock go (closing the connection drops it). */
  release(): void {
    this.db?.close();
    this.db = undefined;
  }
}
