// SqlPort over @libsql/client on a local file: the journal's engine.
import { type Client, createClient, type InArgs, type ResultSet, type Transaction } from "@libsql/client";
import type { SqlPort, SqlResult, SqlTransaction } from "./sql-port.ts";

/** Milliseconds a writer waits for a lock held by another connection before failing. */
export const BUSY_TIMEOUT_MS = 5_000;

export function openLibsqlPort(path: string): SqlPort {
  const client = createClient({
    url: `file:${path}`,
    // libsql applies this as SQLite's busy timeout on every pooled connection.
    timeout: BUSY_TIMEOUT_MS,
    // One writer process; a couple of connections let a reader run beside an open transaction.
    concurrency: 2,
    intMode: "number",
  });
  return new LibsqlPort(client);
}

class LibsqlPort implements SqlPort {
  constructor(private readonly client: Client) {}
  async execute(sql: string, params: readonly unknown[]): Promise<SqlResult> {
    return toResult(await this.client.execute({ sql, args: params as InArgs }));
  }
  async begin(): Promise<SqlTransaction> {
    return new LibsqlTx(await this.client.transaction("write"));
  }
  async close(): Promise<void> {
    this.client.close();
  }
}

class LibsqlTx implements SqlTransaction {
  constructor(private readonly tx: Transaction) {}
  async execute(sql: string, params: readonly unknown[]): Promise<SqlResult> {
    return toResult(await this.tx.execute({ sql, args: params as InArgs }));
  }
  async commit(): Promise<void> { await this.tx.commit(); }
  async rollback(): Promise<void> { await this.tx.rollback(); }
}

function toResult(r: ResultSet): SqlResult {
  // libsql rows are arrays with column-name properties; copy to plain objects for Kysely.
  const rows = r.rows.map((row) => {
    const o: Record<string, unknown> = {};
    r.columns.forEach((c, i) => { o[c] = row[i]; });
    return o;
  });
  return { rows, rowsAffected: r.rowsAffected, lastInsertRowid: r.lastInsertRowid };
}
