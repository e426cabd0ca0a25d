// SqlPort over a Turso database (the @tursodatabase/sync replica file), typed structurally so the
// store does not import the sync engine. Used read-only by `sekisho orders --remote`.
import type { SqlPort, SqlResult, SqlTransaction } from "./sql-port.ts";

/** The part of @tursodatabase/sync's Database that the port needs. */
export interface TursoLikeDatabase {
  prepare(sql: string): Promise<{
    reader: boolean;
    all(...params: unknown[]): Promise<unknown[]>;
    run(...params: unknown[]): Promise<{ changes: number; lastInsertRowid: number }>;
  }>;
  close(): Promise<void>;
}

export function tursoPort(db: TursoLikeDatabase, closeDb = false): SqlPort {
  return {
    async execute(sql: string, params: readonly unknown[]): Promise<SqlResult> {
      const stmt = await db.prepare(sql);
      if (stmt.reader) {
        return { rows: (await stmt.all(...params)) as Record<string, unknown>[], rowsAffected: 0 };
      }
      const r = await stmt.run(...params);
      return { rows: [], rowsAffected: r.changes, lastInsertRowid: BigInt(r.lastInsertRowid) };
    },
    begin(): Promise<SqlTransaction> {
      return Promise.reject(new Error("transactions are not supported on the replica reader"));
    },
    async close(): Promise<void> {
      if (closeDb) await db.close();
    },
  };
}
