// SQL for the Turso replica, kept here because all SQL lives in the store. The replica mirrors
// each replicated table under the same name and columns (no triggers, no change feed), plus a
// small state table holding the copy cursor. Statements use positional `?` parameters.
import type { ColumnDef } from "./feed.ts";
import { REPLICATED_TABLES, type ReplicatedTable } from "./tables.ts";

export interface Statement {
  sql: string;
  params: unknown[];
}

export const REPLICA_STATE_TABLE = "sekisho_replica_state";

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

function assertTable(t: string): asserts t is ReplicatedTable {
  if (!(REPLICATED_TABLES as readonly string[]).includes(t)) throw new Error(`not a replicated table: ${t}`);
}

function safeType(t: string): string {
  const u = t.toUpperCase();
  return /^[A-Z ]+$/.test(u) ? u : "TEXT";
}

export function createStateTableSql(): string {
  return `CREATE TABLE IF NOT EXISTS ${REPLICA_STATE_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)`;
}

export function readStateSql(): Statement {
  return { sql: `SELECT key, value FROM ${REPLICA_STATE_TABLE}`, params: [] };
}

export function writeStateSql(key: string, value: string): Statement {
  return {
    sql: `INSERT INTO ${REPLICA_STATE_TABLE} (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
    params: [key, value],
  };
}

export function tableColumnsSql(table: ReplicatedTable): Statement {
  assertTable(table);
  return { sql: `SELECT name FROM pragma_table_info(?)`, params: [table] };
}

export function createTableSql(table: ReplicatedTable, cols: ColumnDef[]): string {
  assertTable(table);
  const defs = cols.map((c) => `${ident(c.name)} ${safeType(c.type)}${c.primaryKey ? " PRIMARY KEY" : ""}`);
  return `CREATE TABLE IF NOT EXISTS ${ident(table)} (${defs.join(", ")})`;
}

export function addColumnSql(table: ReplicatedTable, col: ColumnDef): string {
  assertTable(table);
  return `ALTER TABLE ${ident(table)} ADD COLUMN ${ident(col.name)} ${safeType(col.type)}`;
}

/** Indexes that make the replica's common queries (orders by status, instrument, time) fast. */
export function replicaIndexSql(): string[] {
  return [
    `CREATE INDEX IF NOT EXISTS orders_status ON orders (status)`,
    `CREATE INDEX IF NOT EXISTS orders_instrument_intent_at ON orders (instrument, intent_at)`,
    `CREATE INDEX IF NOT EXISTS orders_intent_at ON orders (intent_at)`,
    `CREATE INDEX IF NOT EXISTS decisions_ts ON decisions (ts)`,
    `CREATE INDEX IF NOT EXISTS metrics_name_ts ON metrics (name, ts)`,
  ];
}

/** Insert or overwrite a row by its primary key `id`: repeating it is harmless. */
export function upsertSql(table: ReplicatedTable, row: Record<string, unknown>): Statement {
  assertTable(table);
  const cols = Object.keys(row);
  if (!cols.includes("id")) throw new Error(`row of ${table} has no id`);
  const updates = cols.filter((c) => c !== "id").map((c) => `${ident(c)} = excluded.${ident(c)}`);
  return {
    sql: `INSERT INTO ${ident(table)} (${cols.map(ident).join(", ")}) VALUES (${cols.map(() => "?").join(", ")})` +
      (updates.length ? ` ON CONFLICT(id) DO UPDATE SET ${updates.join(", ")}` : ` ON CONFLICT(id) DO NOTHING`),
    params: cols.map((c) => row[c] ?? null),
  };
}

export function deleteSql(table: ReplicatedTable, id: number): Statement {
  assertTable(table);
  return { sql: `DELETE FROM ${ident(table)} WHERE id = ?`, params: [id] };
}

/** Whether the replica has an orders table yet (false before the agent's first push). */
export function hasTableSql(table: ReplicatedTable): Statement {
  assertTable(table);
  return { sql: `SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?`, params: [table] };
}
