// The smallest surface a SQL engine must offer for Kysely to run on it. Two engines implement it:
// @libsql/client on the journal file (libsql-port.ts) and a Turso Sync database for the replica
// reader (turso-port.ts). Keeping Kysely on top of both means one query builder and one set of
// typed queries, whether `sekisho orders` reads the local journal or the pulled replica.

export interface SqlResult {
  rows: Record<string, unknown>[];
  rowsAffected: number;
  lastInsertRowid?: bigint;
}

export interface SqlSession {
  execute(sql: string, params: readonly unknown[]): Promise<SqlResult>;
}

export interface SqlTransaction extends SqlSession {
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

export interface SqlPort extends SqlSession {
  /** A write transaction that owns its connection until commit or rollback. */
  begin(): Promise<SqlTransaction>;
  close(): Promise<void>;
}
