// A tiny Kysely dialect over any SqlPort. Written here instead of using @libsql/kysely-libsql
// because that package pins @libsql/client ^0.8 and so drags a second copy of the client and
// its native addon into the build; this one is ~60 lines over the client we already have.
import {
  type CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from "kysely";
import type { SqlPort, SqlTransaction } from "./sql-port.ts";

/**
 * SQLite runs DDL inside a transaction; Kysely's SqliteAdapter answers no only to stay safe
 * across drivers. Answering yes makes Kysely's Migrator run all pending migrations in one
 * transaction: a migration that fails, or a process killed part-way, leaves the journal as it
 * was instead of half migrated, and a new journal's schema is one commit, not one per statement.
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

export class SqlPortDialect implements Dialect {
  constructor(private readonly port: SqlPort, private readonly closePort = true) {}
  createAdapter(): DialectAdapter { return new TransactionalDdlSqliteAdapter(); }
  createDriver(): Driver { return new SqlPortDriver(this.port, this.closePort); }
  createIntrospector(db: Kysely<any>): DatabaseIntrospector { return new SqliteIntrospector(db); }
  createQueryCompiler(): QueryCompiler { return new SqliteQueryCompiler(); }
}

class SqlPortDriver implements Driver {
  constructor(private readonly port: SqlPort, private readonly closePort: boolean) {}
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> { return new SqlPortConnection(this.port); }
  async beginTransaction(c: DatabaseConnection): Promise<void> { await (c as SqlPortConnection).begin(); }
  async commitTransaction(c: DatabaseConnection): Promise<void> { await (c as SqlPortConnection).commit(); }
  async rollbackTransaction(c: DatabaseConnection): Promise<void> { await (c as SqlPortConnection).rollback(); }
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> { if (this.closePort) await this.port.close(); }
}

class SqlPortConnection implements DatabaseConnection {
  #tx: SqlTransaction | undefined;
  constructor(private readonly port: SqlPort) {}

  async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    const r = await (this.#tx ?? this.port).execute(q.sql, q.parameters);
    return { rows: r.rows as R[], numAffectedRows: BigInt(r.rowsAffected), insertId: r.lastInsertRowid };
  }

  // deno-lint-ignore require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("streaming queries are not supported by the journal driver");
  }

  async begin(): Promise<void> {
    if (this.#tx) throw new Error("a transaction is already open on this connection");
    this.#tx = await this.port.begin();
  }

  async commit(): Promise<void> {
    const tx = this.#tx;
    this.#tx = undefined;
    if (!tx) throw new Error("no transaction to commit");
    await tx.commit();
  }

  async rollback(): Promise<void> {
    const tx = this.#tx;
    this.#tx = undefined;
    // Kysely rolls back after a failed commit; the port has already rolled that transaction back,
    // and an error here would hide the commit's own.
    if (!tx) return;
    await tx.rollback();
  }
}
